using StorageHa.Shared.Identity;

namespace StorageHa.Shared.Console;

/// <summary>Whether each node of a cluster is a healthy member of its Active Directory domain (viewers).</summary>
public interface IJoinHealth
{
    /// <summary>
    /// Runs <c>net ads testjoin</c> and <c>wbinfo -t</c> on every node of the cluster at once, or returns the report of a check
    /// a moment ago (many dashboards cost the nodes one check). A cluster that joins no domain gets a report without nodes, and nothing runs.
    /// </summary>
    Task<JoinHealthReport> CheckAsync(long clusterId, CancellationToken ct = default);
}
