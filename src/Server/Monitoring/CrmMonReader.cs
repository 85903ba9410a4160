using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Shared.State;

namespace StorageHa.Server.Monitoring;

/// <summary>
/// The monitor's reads of a cluster's state (<see cref="ClusterQueries.State"/>) through the live-node finder, as the actor
/// "monitor" under one audit action, over the node's pooled SSH connection.
/// </summary>
public sealed class CrmMonReader(ISshRunner ssh, TimeProvider? time = null)
{
    /// <summary>The audit action of a read; <see cref="MonitorAudit"/> keeps the first of a run of them, and every failure.</summary>
    public const string AuditAction = "monitor.read";

    private static readonly Asker Monitor = new("monitor", AuditAction);
    private readonly LiveNodes _live = new(ssh, time ?? TimeProvider.System);

    /// <summary>The state as the first node that answers gives it; the runner's timeout covers connecting too, so a dead node costs no more.</summary>
    public Task<NodeAnswer<ClusterState>> FindAsync(ClusterNodes nodes, LiveNodePolicy policy, CancellationToken ct) =>
        _live.FindAsync(nodes, ClusterQueries.State, Monitor, policy, ct);

    /// <summary>The state as one node gives it, or <see cref="NodeNotAnsweredException"/>.</summary>
    public Task<ClusterState> ReadAsync(SshTarget node, TimeSpan timeout, CancellationToken ct) =>
        _live.AskAsync(node, ClusterQueries.State, Monitor, timeout, ct);
}
