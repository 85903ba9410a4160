using System.Text.Json.Serialization;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The ordered steps that turn a spec into a running cluster. Pure data: the same spec and probe facts give a
/// byte-identical plan (<see cref="PlanText"/>). <see cref="Blockers"/> must be fixed before it can be applied;
/// <see cref="Warnings"/> are shown to the admin with the plan.
/// </summary>
public sealed record Plan(
    string Cluster,
    IReadOnlyList<PlanStep> Steps,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Blockers)
{
    /// <summary>The CIB batch: every edit of the copy of the CIB, in order, applied to it and pushed once.</summary>
    [JsonIgnore]
    public IReadOnlyList<PlanStep> CibBatch => Steps.Where(s => s.IsCibEdit).ToArray();

    /// <summary>The batch's edits with their typed content.</summary>
    [JsonIgnore]
    public IReadOnlyList<EditCib> CibEdits => Steps.Select(s => s.Action).OfType<EditCib>().ToArray();
}

public enum StepTargetKind { Node, AllNodes, Cib }

/// <summary>Where a step runs: one node, every node (same argv on each), or the CIB batch (one live node, in the batch's work directory).</summary>
public readonly record struct StepTarget(StepTargetKind Kind, string? Node)
{
    public static StepTarget On(string node) => new(StepTargetKind.Node, node);
    public static readonly StepTarget AllNodes = new(StepTargetKind.AllNodes, null);
    public static readonly StepTarget Cib = new(StepTargetKind.Cib, null);

    public override string ToString() => Kind switch
    {
        StepTargetKind.Node => Node!,
        StepTargetKind.AllNodes => "all nodes",
        _ => "CIB batch",
    };
}

/// <summary>
/// What a step writes to the command's standard input: literal text (a config file), or a secret the executor supplies
/// by name at run time, so that no secret is ever in an argv, a plan or a log.
/// </summary>
/// <param name="SecretOptional">The step runs, with nothing on its standard input, when the run was not given the secret.</param>
public sealed record StepInput(string? Text, string? Secret, bool SecretOptional = false)
{
    public static StepInput Of(string text) => new(text, null);
    public static StepInput FromSecret(string name) => new(null, name);
}

/// <summary>
/// One step: its <see cref="Action"/> says what it is and derives the command, the check and the standard input;
/// <see cref="Id"/> is only a label (for the admin, the job's rows and the golden files). <see cref="Warning"/> is shown next to it.
/// </summary>
public sealed record PlanStep(
    string Id,
    StepTarget Target,
    string Description,
    [property: JsonIgnore] StepAction Action,
    string? Warning = null)
{
    /// <summary>What kind of step this is, for outside clients (see <see cref="StepAction.Kind"/>).</summary>
    public string Kind => Action.Kind;

    public IReadOnlyList<string> Argv => Action.Argv;

    /// <summary>The command that finds the step already done; null: it always runs.</summary>
    public IReadOnlyList<string>? Check => Action.Check?.Argv;

    /// <summary>When the check reads the cluster's state: the condition it must show (the check's command prints the state).</summary>
    public string? DoneWhen => (Action.Check as ClusterCheck)?.Condition.Describe();

    public StepInput? Input => Action.Input;

    /// <summary>Before the command runs, the console installs its bundled node helper on the node; the command proves it runs.</summary>
    public bool InstallsNodeHelper => Action is InstallNodeHelper;

    /// <summary>The serve check: its output is the cluster's latest <c>ServeReport</c>.</summary>
    public bool ChecksServing => Action is CheckServing;

    /// <summary>An edit of the CIB batch's copy, as opposed to fetching or pushing it.</summary>
    public bool IsCibEdit => Action is EditCib;

    /// <summary>The command line an admin would type, quoted by the one quoting function.</summary>
    public string CommandLine => ShellCommand.Join(Argv);
}
