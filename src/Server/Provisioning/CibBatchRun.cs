using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Provisioning;

/// <summary>One batch command as it ran: skipped (its check found it done), or run with pcs's output.</summary>
public sealed record CibCommandRun(PlanStep Step, bool Skipped, ToolResult? Result);

/// <summary>The batch applied to a CIB file: the resulting CIB, each command's outcome, and the first failure if any.</summary>
public sealed record CibBatchResult(string CibXml, IReadOnlyList<CibCommandRun> Commands, CibCommandRun? Failed)
{
    public bool Succeeded => Failed is null;
    public int Skipped => Commands.Count(c => c.Skipped);
}
