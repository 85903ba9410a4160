using System.Text.Json.Serialization;

namespace StorageHa.Shared.Provisioning.Steps;

/// <summary>
/// What a plan step does, as data the runner, drift, teardown and the lifecycle plans read. Each kind derives the
/// command that runs (and its check and standard input) from its content in one place, so a step's id is only a label.
/// </summary>
public abstract record StepAction
{
    /// <summary>The command that runs on the node, quoted for display by the one quoting function.</summary>
    [JsonIgnore] public abstract IReadOnlyList<string> Argv { get; }

    /// <summary>How a re-run knows the step is already done; null: the step always runs (repeating it changes nothing).</summary>
    [JsonIgnore] public virtual StepCheck? Check => null;

    /// <summary>What the command reads on standard input: a file's content, or a secret named here and supplied at run time.</summary>
    [JsonIgnore] public virtual StepInput? Input => null;

    /// <summary>The kind in the API's words ("write-file", "cib-edit", …): outside clients switch on it.</summary>
    public abstract string Kind { get; }
}

/// <summary>How a step is found already done.</summary>
public abstract record StepCheck
{
    /// <summary>The command the check runs (exit 0: done), shown with the plan.</summary>
    public abstract IReadOnlyList<string> Argv { get; }
}

/// <summary>Done when this command exits 0 (it gets the step's standard input too).</summary>
public sealed record CommandCheck(IReadOnlyList<string> Command) : StepCheck
{
    public override IReadOnlyList<string> Argv => Command;
}

/// <summary>Done when the cluster, as <c>crm_mon</c> shows it and the one crm_mon parser reads it, meets the condition.</summary>
public sealed record ClusterCheck(ClusterCondition Condition) : StepCheck
{
    public override IReadOnlyList<string> Argv => ClusterCondition.Query;
}
