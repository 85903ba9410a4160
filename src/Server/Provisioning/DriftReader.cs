using StorageHa.Server.ClusterAccess;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Provisioning;

/// <summary>Reads the live CIB from the first node that gives it (audited like every node command) and compares it with the spec's plan.</summary>
public sealed class DriftReader(LiveNodes live)
{
    public const string AuditAction = "provision.drift";

    public async Task<DriftReport> ReadAsync(ClusterNodes cluster, Plan plan, string actor, CancellationToken ct = default)
    {
        var cib = await live.FindAsync(cluster, ClusterQueries.Cib, new Asker(actor, AuditAction), LiveNodePolicy.Default, ct);
        return Drift.Find(plan, cib.Value);
    }
}
