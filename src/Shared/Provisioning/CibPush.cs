namespace StorageHa.Shared.Provisioning;

/// <summary>What <c>pcs cluster cib-push … diff-against=…</c> says when the live CIB changed under the batch.</summary>
public static class CibPush
{
    /// <summary>
    /// cibadmin refuses the batch's difference as a whole when what it changes is gone ("Application of update diff
    /// failed") or when the result would not be valid (both sides created the same id: "does not conform to the
    /// configured schema"); the live CIB keeps the other change.
    /// </summary>
    public static bool Collided(string pcsOutput) =>
        pcsOutput.Contains("Application of update diff failed", StringComparison.Ordinal) ||
        pcsOutput.Contains("does not conform to the configured schema", StringComparison.Ordinal);
}
