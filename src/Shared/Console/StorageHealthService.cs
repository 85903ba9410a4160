using StorageHa.Shared.Storage;

namespace StorageHa.Shared.Console;

/// <summary>The cluster filesystem's health on every node and, for GlusterFS, its volume (viewers).</summary>
public interface IStorageHealth
{
    /// <summary>
    /// The latest report, or a check now when there is none from the last few seconds (every check is also published to the
    /// cluster's live stream, with its changes as events). Throws <see cref="KeyNotFoundException"/> for a cluster that
    /// does not exist or declares no cluster filesystem.
    /// </summary>
    Task<StorageHealthReport> CheckAsync(long clusterId, CancellationToken ct = default);

    /// <summary>
    /// Checks the cluster's storage every few seconds until the returned watch is disposed (a dashboard page holds one);
    /// the reports arrive in <see cref="ClusterSnapshot.Storage"/> and its changes as events. Many watches cost one check.
    /// </summary>
    Task<IDisposable> WatchAsync(long clusterId, CancellationToken ct = default);
}
