using StorageHa.Shared.Commands;

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
    /// <summary>The CIB batch: every <c>pcs -f cib.xml …</c> step, in order, applied to one copy of the CIB and pushed once.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<PlanStep> CibBatch => Steps.Where(s => s.IsCibCommand).ToArray();
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
public sealed record StepInput(string? Text, string? Secret)
{
    public static StepInput Of(string text) => new(text, null);
    public static StepInput FromSecret(string name) => new(null, name);
}

/// <summary>
/// One step. <see cref="Check"/> exits 0 when the step is already done (it gets the same standard input), so a re-run
/// skips it; null means the step always runs (it is harmless to repeat). <see cref="Warning"/> is shown next to it.
/// <see cref="InstallsNodeHelper"/>: before the command runs, the console installs its bundled node helper on the node
/// (compared by SHA-256 first, so a current node gets nothing), and the command then proves that it runs.
/// <see cref="ChecksServing"/>: the step is the serve check; its output is the cluster's latest <c>ServeReport</c>.
/// </summary>
public sealed record PlanStep(
    string Id,
    StepTarget Target,
    string Description,
    IReadOnlyList<string> Argv,
    IReadOnlyList<string>? Check,
    StepInput? Input = null,
    string? Warning = null,
    bool InstallsNodeHelper = false,
    bool ChecksServing = false)
{
    /// <summary>
    /// A command of the CIB batch, as opposed to fetching or pushing it: <c>pcs -f cib.xml …</c>, or <c>cibadmin</c> on that
    /// file (<c>env CIB_file=cib.xml cibadmin --delete-all …</c>) where the batch removes what a changed spec no longer has.
    /// </summary>
    public bool IsCibCommand => Target.Kind == StepTargetKind.Cib && Argv.Count > 2 &&
        (Argv[0] == "pcs" && Argv[1] == "-f" || Argv.Take(Provisioning.CibBatch.CibFileTool.Length).SequenceEqual(Provisioning.CibBatch.CibFileTool));

    /// <summary>The command line an admin would type, quoted by the one quoting function.</summary>
    public string CommandLine => ShellCommand.Join(Argv);
}
