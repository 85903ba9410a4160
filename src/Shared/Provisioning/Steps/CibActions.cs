using System.Xml.Linq;
using StorageHa.Shared.Commands;

namespace StorageHa.Shared.Provisioning.Steps;

/// <summary>The live CIB fetched into the batch's private directory, with a second copy the push compares against.</summary>
public sealed record FetchCib : StepAction
{
    public override IReadOnlyList<string> Argv => NodeScript.Named("fetch-cib").Command(CibBatch.Original, CibBatch.File);
    public override string Kind => "cib-fetch";
}

/// <summary>The batch pushed in one go: pcs applies only its difference from the CIB fetched, so a change made meanwhile is kept.</summary>
public sealed record PushCib : StepAction
{
    public override IReadOnlyList<string> Argv => ["pcs", "cluster", "cib-push", CibBatch.File, $"diff-against={CibBatch.Original}"];
    public override string Kind => "cib-push";
}

/// <summary>What a batch edit is about, as drift reports it.</summary>
public enum CibSubjectKind
{
    /// <summary>The cluster properties (fencing, no-quorum-policy).</summary>
    Properties,
    /// <summary>A virtual IP's resource.</summary>
    VirtualIp,
    /// <summary>A virtual IP's address, prefix and interface.</summary>
    VipSettings,
    /// <summary>A virtual IP's location scores (preferred and avoided nodes).</summary>
    VipPlacement,
    /// <summary>The console's virtual IPs the spec no longer has.</summary>
    UnknownVips,
    /// <summary>The set constraints that tie every virtual IP to the services.</summary>
    VipSets,
    /// <summary>The cluster filesystem's device, mount point, type and options.</summary>
    StorageSettings,
    /// <summary>A service, constraint or agent.</summary>
    Other,
}

/// <summary>
/// What an edit is about: its kind, its name in drift's words, and the virtual IP it belongs to (a VIP that is missing
/// already says that its own agents and constraints are).
/// </summary>
public sealed record CibSubject(CibSubjectKind Kind, string Name, string? Vip = null);

/// <summary>
/// One edit of the batch's copy of the CIB: done when <see cref="CheckXPath"/> finds something in the copy. The edits
/// run inside the batch's directory on one node, and their checks also run against a live CIB to find drift.
/// </summary>
public abstract record EditCib(CibSubject Subject, string CheckXPath) : StepAction
{
    /// <summary>cibadmin on the batch's copy instead of the live CIB.</summary>
    public static readonly IReadOnlyList<string> CibFileTool = ["env", $"CIB_file={CibBatch.File}", "cibadmin"];

    public override StepCheck Check => new CommandCheck([.. CibFileTool, "--query", "--xpath", CheckXPath]);
    public override string Kind => "cib-edit";

    /// <summary>The element the edit writes (an upsert or a replacement); null for the others.</summary>
    public virtual XElement? Written => null;
}

/// <summary>
/// Creates or updates one element of the copy (its id finds it; so do its children's, which are added or updated but
/// never removed): a fifth of a second, where a pcs command takes over one.
/// </summary>
public sealed record UpsertCibElement(CibSubject Subject, string Scope, XElement Element, string CheckXPath) : EditCib(Subject, CheckXPath)
{
    public override IReadOnlyList<string> Argv =>
        [.. CibFileTool, "--modify", "--allow-create", "--scope", Scope, "--xml-text", Element.ToString(SaveOptions.DisableFormatting)];
    public override XElement Written => Element;
}

/// <summary>Replaces the one element <paramref name="Select"/> finds with another, children and all (what an upsert cannot remove goes).</summary>
public sealed record ReplaceCibElement(CibSubject Subject, string Select, XElement Element, string CheckXPath) : EditCib(Subject, CheckXPath)
{
    public override IReadOnlyList<string> Argv =>
        [.. CibFileTool, "--replace", "--xpath", Select, "--xml-text", Element.ToString(SaveOptions.DisableFormatting)];
    public override XElement Written => Element;
}

/// <summary>Deletes whatever <paramref name="Select"/> finds (pcs has no command for "whatever is there"); done when nothing is left to delete.</summary>
public sealed record RemoveFromCib(CibSubject Subject, string Select, string CheckXPath) : EditCib(Subject, CheckXPath)
{
    public override IReadOnlyList<string> Argv => [.. CibFileTool, "--delete-all", "--force", "--xpath", Select];
}

/// <summary>A <c>pcs -f</c> command on the copy that creates <paramref name="ResourceId"/>: for fence devices, whose options only pcs checks against their agent.</summary>
public sealed record PcsOnCib(CibSubject Subject, string ResourceId, IReadOnlyList<string> PcsArguments, string CheckXPath) : EditCib(Subject, CheckXPath)
{
    public override IReadOnlyList<string> Argv => ["pcs", "-f", CibBatch.File, .. PcsArguments];
}
