using StorageHa.Integration.Tests.Monitoring;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Server.Ssh;

namespace StorageHa.Integration.Tests.Operations;

/// <summary>The console's real operator for the one cluster a lab monitor watches, over real SSH, audited in the monitor's trail.</summary>
internal static class LabOperations
{
    public static ClusterOperator For(LabMonitor monitor, SshConnectionPool pool) =>
        new(new OperationTargets(new OneCluster(monitor.Cluster), monitor.Feeds),
            new LiveNodes(new SshRunner(pool, monitor.Audit, TimeProvider.System), TimeProvider.System), monitor.Audit, new SystemActor(),
            new OperationOptions(), TimeProvider.System);

    /// <summary>The one cluster the monitor watches, as the operations find clusters.</summary>
    private sealed class OneCluster(MonitoredCluster cluster) : IMonitoredClusters
    {
        public Task<IReadOnlyList<MonitoredCluster>> ListAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<MonitoredCluster>>([cluster]);
    }
}
