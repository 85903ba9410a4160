using StorageHa.Shared.Drills;

namespace StorageHa.Shared.Console;

/// <summary>
/// The failover drills as the pages use them. Whether a drill may run is <see cref="DrillReadiness.Check"/> on the live
/// snapshot, and a running drill's progress comes with the cluster's stream (<see cref="ClusterSnapshot.Drill"/>): this only
/// starts drills and reads the stored ones.
/// </summary>
public interface IDrills
{
    /// <summary>
    /// Starts a drill as the signed-in operator; returns it as stored. A drill the cluster is not ready for comes back
    /// <see cref="DrillOutcome.Refused"/> with every reason (it is stored too), not as an error.
    /// </summary>
    Task<DrillReport> StartAsync(long clusterId, DrillTarget target, CancellationToken ct = default);

    /// <summary>The cluster's drills, newest first (a running one as far as it got).</summary>
    Task<IReadOnlyList<DrillReport>> ListAsync(long clusterId, int take = 100, CancellationToken ct = default);
}
