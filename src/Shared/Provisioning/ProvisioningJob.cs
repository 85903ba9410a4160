namespace StorageHa.Shared.Provisioning;

/// <summary>What a job does to a cluster: build or converge it, or one of the lifecycle changes.</summary>
public enum JobKind { Apply, AddNode, RemoveNode, Teardown }

/// <summary>
/// Running until it ends: succeeded, failed at a step, cancelled by the admin, or interrupted (the console stopped while
/// it ran; the nodes keep whatever the last finished step did, and a re-run picks up from there).
/// </summary>
public enum JobState { Running, Succeeded, Failed, Cancelled, Interrupted }

/// <summary>A step's progress: waiting, running, done (it changed something), already done (its check passed), failed, or never reached.</summary>
public enum StepState { Pending, Running, Done, AlreadyDone, Failed, Cancelled }

/// <summary>One node's part of a step: its state, what the command printed (secrets never reach it), and how long it took.</summary>
public sealed record NodeRun(string Node, StepState State, string Output = "", double? Seconds = null);

/// <summary>A plan step as a job runs it, with a run per node it targets (the CIB batch runs on one node).</summary>
/// <param name="ChecksServing">The serve check: it runs every time and changes nothing, so a job of only it and done steps changed nothing.</param>
/// <param name="InstallsNodeHelper">The node helper's install: the wizard says where it went.</param>
public sealed record JobStep(string Id, string Description, string Target, string CommandLine, StepState State, IReadOnlyList<NodeRun> Runs,
    string? Warning = null, bool ChecksServing = false, bool InstallsNodeHelper = false)
{
    public static JobStep Pending(PlanStep step, IReadOnlyList<string> nodes) =>
        new(step.Id, step.Description, step.Target.ToString(), step.CommandLine, StepState.Pending,
            nodes.Select(n => new NodeRun(n, StepState.Pending)).ToArray(), step.Warning, step.ChecksServing, step.InstallsNodeHelper);

    public bool IsFinished => State is StepState.Done or StepState.AlreadyDone;
}

/// <summary>A plan being applied (or applied): who started it, when, every step's progress, and why it stopped if it failed.</summary>
public sealed record ProvisioningJob(
    long Id,
    long ClusterId,
    string Cluster,
    JobKind Kind,
    JobState State,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<JobStep> Steps,
    string? Failure = null)
{
    public bool IsRunning => State == JobState.Running;

    /// <summary>The step that failed (or was running when the job was stopped), if any.</summary>
    public JobStep? FailedStep => Steps.FirstOrDefault(s => s.State is StepState.Failed or StepState.Running or StepState.Cancelled);

    /// <summary>True when the run found everything already in place: a re-apply of an unchanged spec.</summary>
    public bool ChangedNothing => State == JobState.Succeeded && Steps.All(s => s.State == StepState.AlreadyDone || s.ChecksServing);
}
