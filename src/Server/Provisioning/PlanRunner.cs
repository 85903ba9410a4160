using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Deployment;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Validation;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Text;

namespace StorageHa.Server.Provisioning;

/// <summary>Everything a run needs: the plan, how to reach each of its nodes, the secrets its steps read, and who runs it.</summary>
public sealed record PlanRun(Plan Plan, IReadOnlyDictionary<string, SshTarget> Targets, IReadOnlyDictionary<string, string> Secrets, string Actor)
{
    /// <summary>The nodes in the spec's order; the CIB batch runs on the first.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = Targets.Keys.ToArray();

    /// <summary>The nodes a step runs on: every node, its one node, or (the CIB batch) the first node.</summary>
    public IReadOnlyList<string> NodesOf(PlanStep step) => step.Target.Kind switch
    {
        StepTargetKind.AllNodes => Nodes,
        StepTargetKind.Node => [step.Target.Node!],
        _ => [Nodes[0]],
    };
}

/// <summary>
/// Runs a plan over SSH, step by step: a step whose check passes is already done and skipped; otherwise it runs (on every
/// node it targets, in parallel) and the run stops at the first failure, leaving the later steps untouched. The CIB batch
/// edits a copy of the CIB in a private directory on one node and is pushed once, so the cluster sees all of it or none.
/// </summary>
/// <param name="nodeHelper">Installs the console's node helper for the steps that need it on the node.</param>
/// <param name="livenessInterval">How often a node running a step is asked whether it still answers (default <see cref="LivenessInterval"/>).</param>
public sealed class PlanRunner(ISshRunner ssh, NodeHelperDeployer nodeHelper, TimeProvider time, TimeSpan? livenessInterval = null)
{
    /// <summary>Long enough for the plan's own waits (quorum, CTDB, settle), which time out by themselves first.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(6);
    private readonly LiveNodes _cluster = new(ssh, time);
    private const int MaxOutput = 16 * 1024;

    /// <summary>
    /// How often a node running a step is asked whether it still answers: a crashed node never closes its connection,
    /// so without asking, the step would wait out its own timeout (minutes) before the job could say what happened.
    /// </summary>
    public static readonly TimeSpan LivenessInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LivenessTimeout = TimeSpan.FromSeconds(15);

    /// <param name="report">Called with the job after every change (a step starting, a node finishing, the end).</param>
    public async Task<ProvisioningJob> RunAsync(ProvisioningJob job, PlanRun run, Func<ProvisioningJob, Task> report, CancellationToken ct)
    {
        var progress = new Progress(job, report, time);
        var cibNode = run.Nodes[0];
        string? workDirectory = null;
        int? fetchStep = null;
        var batchChanged = false;
        try
        {
            for (var i = 0; i < run.Plan.Steps.Count; i++)
            {
                var step = run.Plan.Steps[i];
                if (step.Action is FetchCib)
                {
                    // A plan may push more than one batch (the cluster filesystem first): each starts afresh.
                    if (workDirectory is not null) await RemoveWorkDirectoryAsync(run, cibNode, workDirectory);
                    workDirectory = await MakeWorkDirectoryAsync(run, cibNode, ct);
                    fetchStep = i;
                    batchChanged = false;
                }
                if (step.Action is PushCib && !batchChanged)
                {
                    // Every batch command found its change already in the live CIB: pushing would only bump its epoch.
                    await progress.FinishAsync(i, StepState.AlreadyDone, cibNode, "The live CIB already holds every change of the batch.");
                    if (fetchStep is { } fetched)
                        await progress.FinishAsync(fetched, StepState.AlreadyDone, cibNode, "Fetched and compared; nothing to push.");
                    continue;
                }
                var nodes = run.NodesOf(step);
                await progress.StartAsync(i);
                var runs = await Task.WhenAll(nodes.Select(node => RunStepAsync(step, node, run, workDirectory, ct)));
                // The admin's cancel can end a command as an SSH error (a session torn down while it opened): it is still a cancel.
                ct.ThrowIfCancellationRequested();
                foreach (var (node, state, output, seconds) in runs) await progress.NodeAsync(i, new NodeRun(node, state, output, seconds));
                var outcome = runs.Any(r => r.State == StepState.Failed) ? StepState.Failed
                    : runs.All(r => r.State == StepState.AlreadyDone) ? StepState.AlreadyDone : StepState.Done;
                // Each node's storage check passed on its own; together they must have mounted the same filesystem.
                var disagreement = outcome != StepState.Failed && step.Action is CheckMounted mounted
                    ? mounted.Disagreement([.. runs.Select(r => (r.Node, r.Output))]) : null;
                if (disagreement is not null) outcome = StepState.Failed;
                await progress.EndAsync(i, outcome);
                if (step.IsCibEdit && outcome == StepState.Done) batchChanged = true;
                if (outcome == StepState.Failed)
                    return await progress.EndJobAsync(JobState.Failed, disagreement ?? FailureOf(step, runs));
            }
            return await progress.EndJobAsync(JobState.Succeeded, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return await progress.EndJobAsync(JobState.Cancelled, "Cancelled by the admin; the steps before this one stay done and a re-run continues from here.");
        }
        finally
        {
            if (workDirectory is not null) await RemoveWorkDirectoryAsync(run, cibNode, workDirectory);
        }
    }

    private async Task<(string Node, StepState State, string Output, double Seconds)> RunStepAsync(PlanStep step, string node, PlanRun run, string? workDirectory, CancellationToken ct)
    {
        var target = run.Targets[node];
        var input = InputOf(step, run);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            switch (step.Action.Check)
            {
                case CommandCheck check:
                    var done = await ssh.RunAsync(target, InDirectory(step, check.Argv, workDirectory), Options(run, input, "provision.check"), ct);
                    // What a passing check printed (often the XML it matched) tells the admin nothing.
                    if (done.Succeeded) return (node, StepState.AlreadyDone, "", clock.Elapsed.TotalSeconds);
                    break;
                case ClusterCheck cluster when await UnmetAsync(cluster.Condition, target, run, ct) is null:
                    return (node, StepState.AlreadyDone, "", clock.Elapsed.TotalSeconds);
            }
            // A secret given only with the run that needs it (the domain administrator's) is asked for only when the check says the step must run.
            if (step.Input is { Secret: { } secretName, SecretOptional: false } && input is null)
                return (node, StepState.Failed, $"this step needs the secret '{secretName}', which this run was not given: run it again and give it (it is used once and not kept)",
                    clock.Elapsed.TotalSeconds);
            if (step.Action is WaitForCluster wait)
            {
                var unmet = await WaitAsync(wait, target, run, ct);
                return (node, unmet is null ? StepState.Done : StepState.Failed,
                    unmet is null ? $"{wait.Condition.Describe()} after {clock.Elapsed.TotalSeconds:0} s"
                    : $"still not {wait.Condition.Describe()} after {wait.TimeoutSeconds} s: {unmet}", clock.Elapsed.TotalSeconds);
            }
            var installed = "";
            if (step.InstallsNodeHelper)
            {
                var helper = await nodeHelper.DeployAsync(target, run.Actor, ct);
                if (helper.IsCurrent && helper.Replaced.Count == 0) return (node, StepState.AlreadyDone, "", clock.Elapsed.TotalSeconds);
                installed = $"installed {string.Join(", ", helper.Replaced)}\n";
            }
            var result = await RunWatchedAsync(target, InDirectory(step, step.Argv, workDirectory), Options(run, input, "provision.step"), run.Actor, ct);
            var output = Trim(installed + result.StdOut + (result.StdErr.Length > 0 && result.StdOut.Length > 0 ? "\n" : "") + result.StdErr);
            return (node, result.Succeeded ? StepState.Done : StepState.Failed,
                result.Succeeded ? output : $"exit {result.ExitCode}" + (output.Length > 0 ? $": {output}" : ""), clock.Elapsed.TotalSeconds);
        }
        catch (NodeSshException ex)
        {
            return (node, StepState.Failed, ex.Message, clock.Elapsed.TotalSeconds);
        }
        catch (ConflictException missing) when (step.InstallsNodeHelper)
        {
            // This console was built without the node helper: the message says how to build it with one.
            return (node, StepState.Failed, missing.Message, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Runs a step's command while asking its node, every <see cref="LivenessInterval"/>, whether it still answers.</summary>
    private async Task<CommandResult> RunWatchedAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, string actor, CancellationToken ct)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var command = ssh.RunAsync(target, argv, options, step.Token);
        var interval = livenessInterval ?? LivenessInterval;
        while (true)
        {
            var asked = Task.Delay(interval, time, step.Token);
            if (await Task.WhenAny(command, asked) == command)
            {
                await step.CancelAsync(); // ends the pending delay
                return await command;
            }
            try
            {
                await ssh.RunAsync(target, ["true"], new() { Actor = actor, Timeout = LivenessTimeout, AuditAction = "provision.liveness" }, step.Token);
            }
            catch (NodeSshException silent) when (!command.IsCompleted)
            {
                await step.CancelAsync();
                try { await command; } catch (Exception) { } // stopped waiting for it: what it did there is not known
                throw new NodeUnreachableException(silent.Node, $"{silent.Node} stopped answering while this step ran ({silent.Message}); " +
                    "whether the step finished there is not known.", silent);
            }
        }
    }

    /// <summary>
    /// Reads the cluster's state on the node until it meets the condition, every <see cref="WaitForCluster.PollSeconds"/> s;
    /// null when it does, otherwise why it still does not once the step's time is up.
    /// </summary>
    private async Task<string?> WaitAsync(WaitForCluster wait, SshTarget target, PlanRun run, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(wait.TimeoutSeconds);
        while (true)
        {
            var unmet = await UnmetAsync(wait.Condition, target, run, ct);
            if (unmet is null || time.GetUtcNow() >= deadline) return unmet;
            await Task.Delay(TimeSpan.FromSeconds(WaitForCluster.PollSeconds), time, ct);
        }
    }

    /// <summary>Null when the cluster, as crm_mon on the node shows it, meets the condition; otherwise why not (a node that does not answer yet is a why).</summary>
    private async Task<string?> UnmetAsync(ClusterCondition condition, SshTarget target, PlanRun run, CancellationToken ct)
    {
        try { return condition.Unmet(await _cluster.AskAsync(target, ClusterQueries.State, new Asker(run.Actor, "provision.cluster-state"), ClusterReadTimeout, ct)); }
        catch (NodeNotAnsweredException notYet) { return notYet.Failure.Reason; }
    }

    /// <summary>crm_mon answers within a second on a live node; a node that takes longer is counted as not there yet.</summary>
    private static readonly TimeSpan ClusterReadTimeout = TimeSpan.FromSeconds(15);

    private static SshRunOptions Options(PlanRun run, string? input, string action) =>
        new() { Actor = run.Actor, Timeout = StepTimeout, StandardInput = input, AuditAction = action };

    /// <summary>A step's standard input: its literal text, or the secret it names (never logged, never in argv); null when this run was not given that secret.</summary>
    private static string? InputOf(PlanStep step, PlanRun run) => step.Input switch
    {
        null => null,
        { Text: { } text } => text,
        { Secret: { } name } => run.Secrets.GetValueOrDefault(name),
        _ => null,
    };

    /// <summary>The batch's commands name cib.xml relatively: they run inside the batch's private directory.</summary>
    private static IReadOnlyList<string> InDirectory(PlanStep step, IReadOnlyList<string> argv, string? workDirectory) =>
        step.Target.Kind != StepTargetKind.Cib ? argv
        : workDirectory is null ? throw new InvalidOperationException($"Step {step.Id} edits the CIB copy, but the plan fetched no CIB before it.")
        : NodeCommands.InDirectory(workDirectory, argv);

    private async Task<string> MakeWorkDirectoryAsync(PlanRun run, string node, CancellationToken ct)
    {
        var made = await ssh.RunAsync(run.Targets[node], ["mktemp", "-d", "/tmp/storageha-cib.XXXXXX"], Options(run, null, "provision.cib-workdir"), ct);
        return made.Succeeded && made.StdOut.Trim() is { Length: > 0 } path ? path
            : throw new InvalidOperationException($"Could not make a work directory for the CIB batch on {node}: {made.StdErr.Trim()}");
    }

    private async Task RemoveWorkDirectoryAsync(PlanRun run, string node, string path)
    {
        try { await ssh.RunAsync(run.Targets[node], ["rm", "-rf", "--", path], Options(run, null, "provision.cib-workdir"), CancellationToken.None); }
        catch (NodeSshException) { } // the node went away: the directory is in its /tmp and harmless
    }

    private static string FailureOf(PlanStep step, IEnumerable<(string Node, StepState State, string Output, double Seconds)> runs)
    {
        var failed = runs.Where(r => r.State == StepState.Failed).ToList();
        if (step.ChecksServing)
            return ServeReport.FromRuns(DateTimeOffset.UnixEpoch, runs.Select(r => new NodeRun(r.Node, r.State, r.Output))).Summary;
        var where = string.Join(", ", failed.Select(f => f.Node));
        var first = failed[0].Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";
        return $"'{step.Description}' failed on {where}: {first}" + CibStateAfter(step, failed[0].Output);
    }

    /// <summary>What a failed CIB step means for the cluster's configuration: the admin's next question.</summary>
    private static string CibStateAfter(PlanStep step, string output) =>
        step.Target.Kind != StepTargetKind.Cib ? ""
        : step.Action is not PushCib ? " — nothing was pushed, the cluster's configuration is unchanged."
        : CibPush.Collided(output) ? " — the cluster's configuration changed since the batch fetched it, and that change collides with the batch: " +
            "nothing was pushed and the other change is kept. Look at the drift, then run the job again."
        : " — the CIB holds either the configuration from before the batch or all of it, never a part; run the job again to converge.";

    private static string Trim(string output) => Excerpt.Tail(output.TrimEnd(), MaxOutput);

    /// <summary>The job as it advances: every change makes a new record and reports it.</summary>
    private sealed class Progress(ProvisioningJob job, Func<ProvisioningJob, Task> report, TimeProvider time)
    {
        public ProvisioningJob Job { get; private set; } = job;

        public Task StartAsync(int step) => ChangeStep(step, s => s with
        {
            State = StepState.Running,
            Runs = s.Runs.Select(r => r with { State = StepState.Running }).ToArray(),
        });

        public Task NodeAsync(int step, NodeRun run) => ChangeStep(step, s => s with
        {
            Runs = s.Runs.Any(r => r.Node == run.Node) ? s.Runs.Select(r => r.Node == run.Node ? run : r).ToArray() : [.. s.Runs, run],
        });

        public Task EndAsync(int step, StepState state) => ChangeStep(step, s => s with { State = state });

        public Task FinishAsync(int step, StepState state, string node, string output) =>
            ChangeStep(step, s => s with { State = state, Runs = [new NodeRun(node, state, output, 0)] });

        public async Task<ProvisioningJob> EndJobAsync(JobState state, string? failure)
        {
            // Steps never reached stay pending; the one that was running when the job stopped says so.
            Job = Job with
            {
                State = state,
                Failure = failure,
                EndedAt = time.GetUtcNow(),
                Steps = Job.Steps.Select(s => s.State == StepState.Running && state == JobState.Cancelled ? s with { State = StepState.Cancelled } : s).ToArray(),
            };
            await report(Job);
            return Job;
        }

        private async Task ChangeStep(int index, Func<JobStep, JobStep> change)
        {
            Job = Job with { Steps = Job.Steps.Select((s, i) => i == index ? change(s) : s).ToArray() };
            await report(Job);
        }
    }
}
