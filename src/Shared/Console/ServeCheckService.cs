using StorageHa.Shared.Serving;

namespace StorageHa.Shared.Console;

/// <summary>Whether a cluster's clients are served, asked of the services on every node (never of the CIB).</summary>
public interface IServeChecks
{
    /// <summary>The cluster's latest serve check (an apply's last step, or one run on demand), or null when none ran yet.</summary>
    Task<ServeReport?> LastAsync(long clusterId, CancellationToken ct = default);

    /// <summary>Runs the serve check on every node now (operators), keeps it as the cluster's latest and returns it.</summary>
    Task<ServeReport> RunAsync(long clusterId, CancellationToken ct = default);
}
