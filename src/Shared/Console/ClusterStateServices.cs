using StorageHa.Shared.Serving;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Drills;
using StorageHa.Shared.State;
using StorageHa.Shared.Storage;

namespace StorageHa.Shared.Console;

// The live state of the clusters, as the dashboard pages see it: a snapshot, then the changes after it
// (the Aspire dashboard's pattern). The caller's CancellationToken ends a subscription.

public interface IClusterStateStream
{
    /// <summary>One cluster: what the console knows now, then every change until <paramref name="ct"/> is cancelled.</summary>
    Task<ClusterSubscription> SubscribeAsync(long clusterId, CancellationToken ct);

    /// <summary>Every monitored cluster: their snapshots now, then the changes of any of them.</summary>
    Task<OverviewSubscription> SubscribeAllAsync(CancellationToken ct);
}

/// <summary>What happened before: stored, so it survives a restart of the console.</summary>
public interface IClusterHistory
{
    /// <summary>Completed failovers, newest first.</summary>
    Task<IReadOnlyList<FailoverSummary>> ListFailoversAsync(long clusterId, int take = 100, CancellationToken ct = default);

    /// <summary>Events seen at or after <paramref name="since"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<ClusterEventRecord>> ListEventsAsync(long clusterId, DateTimeOffset? since = null, int take = 1000, CancellationToken ct = default);
}

public sealed record ClusterSubscription(ClusterSnapshot Initial, IAsyncEnumerable<ClusterChange> Changes);

public sealed record OverviewSubscription(IReadOnlyList<ClusterSnapshot> Initial, IAsyncEnumerable<ClusterChange> Changes);

/// <summary>How the console's watch over a cluster is going.</summary>
public enum MonitorHealth
{
    /// <summary>Not read yet.</summary>
    Starting,
    /// <summary>Reading crm_mon from <see cref="MonitorStatus.Node"/>.</summary>
    Watching,
    /// <summary>No node answered: the state shown is the last one read.</summary>
    Unreachable,
    /// <summary>No node can be reached yet: no nodes, no credential, or no accepted host key.</summary>
    NotConfigured,
}

/// <param name="Node">The node the console reads the state from, when it reads one.</param>
/// <param name="Message">In the admin's words, e.g. "watching from node2 (node1 did not answer within 1.5 s)".</param>
public sealed record MonitorStatus(MonitorHealth Health, string? Node, string Message, DateTimeOffset Since);

/// <summary>What the console knows about one cluster at one moment.</summary>
/// <param name="Sequence">Increases with every change; a change with a sequence ≤ this one is already in the snapshot.</param>
/// <param name="State">The last state read, or null before the first read.</param>
/// <param name="InProgress">The failover under way, with its outages still open.</param>
public sealed record ClusterSnapshot(
    long ClusterId,
    string ClusterName,
    long Sequence,
    MonitorStatus Monitor,
    ClusterState? State,
    FailoverSummary? InProgress,
    IReadOnlyList<FailoverSummary> RecentFailovers,
    IReadOnlyList<ClusterEventRecord> RecentEvents)
{
    /// <summary>The cluster filesystem's last health check; null when none ran (no storage declared, or no page watches it).</summary>
    public StorageHealthReport? Storage { get; init; }

    /// <summary>Each VIP service's state as the console's probes see it now (its latest transition); empty when none is probed.</summary>
    public IReadOnlyList<ServiceTransition> Serving { get; init; } = [];

    /// <summary>Who was connected to each node at the last reading; null when none was made (no page watches the cluster).</summary>
    public ConnectedClientsReport? Clients { get; init; }

    /// <summary>The cluster's latest drill as the runner last told it (live while it runs); null when none ran since the console started.</summary>
    public DrillReport? Drill { get; init; }

    /// <summary>Applies a change of this cluster: the new state, events appended, failovers moved along.</summary>
    public ClusterSnapshot Apply(ClusterChange change, int keepEvents = 200, int keepFailovers = 20)
    {
        if (change.ClusterId != ClusterId || change.Sequence <= Sequence) return this;
        return this with
        {
            Sequence = change.Sequence,
            Monitor = change.Monitor,
            State = change.State ?? State,
            InProgress = change.InProgress,
            RecentFailovers = change.Completed is { } done
                ? [done, .. RecentFailovers.Take(keepFailovers - 1)]
                : change.Revised is { } revised ? [.. RecentFailovers.Select(f => f.SameAs(revised) ? revised : f)]
                : RecentFailovers,
            RecentEvents = [.. RecentEvents.Concat(change.Events.Select(ClusterEventRecord.From)).TakeLast(keepEvents)],
            Storage = change.Storage ?? Storage,
            Serving = change.Serving ?? Serving,
            Clients = change.Clients ?? Clients,
            Drill = change.Drill ?? Drill,
        };
    }

    /// <summary>The cluster at a glance, worst first.</summary>
    public ClusterHealth Health =>
        Monitor.Health is MonitorHealth.Unreachable ? ClusterHealth.Unreachable
        : State is null ? ClusterHealth.Unknown
        : InProgress is not null ? ClusterHealth.FailingOver
        : !State.Summary.HasQuorum ? ClusterHealth.NoQuorum
        : State.Nodes.Any(n => n.Status != NodeStatus.Online) || State.VirtualIps.Any(v => !v.IsRunning) || State.Failures.Count > 0
            ? ClusterHealth.Degraded
            : ClusterHealth.Healthy;
}

public enum ClusterHealth { Unreachable, NoQuorum, FailingOver, Degraded, Unknown, Healthy }

/// <summary>One change of one cluster: its new state (null when only the monitor's status changed) and what changed.</summary>
/// <param name="Events">What happened, each as its own type (a node left, a resource moved, the console's watch moved…).</param>
/// <param name="Completed">The failover this change completed, if any.</param>
public sealed record ClusterChange(
    long ClusterId,
    long Sequence,
    MonitorStatus Monitor,
    ClusterState? State,
    IReadOnlyList<ClusterEvent> Events,
    FailoverSummary? InProgress,
    FailoverSummary? Completed)
{
    /// <summary>A new storage health report (the storage health check's changes); null in the monitor's changes.</summary>
    public StorageHealthReport? Storage { get; init; }

    /// <summary>The probes' view of every VIP service now, when it changed (the service probes' changes); null otherwise.</summary>
    public IReadOnlyList<ServiceTransition>? Serving { get; init; }

    /// <summary>A completed failover told again with what was learnt since (the clients' outage, once they are served again).</summary>
    public FailoverSummary? Revised { get; init; }

    /// <summary>A new reading of the connected clients; null in the other changes.</summary>
    public ConnectedClientsReport? Clients { get; init; }

    /// <summary>A drill's progress (the stage it reached) or its end; null in the other changes.</summary>
    public DrillReport? Drill { get; init; }
}

/// <summary>
/// A cluster event as stored and shown in timelines: its kind (the event type's name), its text, and the node and resource
/// it is about. The live stream carries the typed <see cref="ClusterEvent"/>; this is what history keeps of it.
/// </summary>
public sealed record ClusterEventRecord
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Kind { get; init; }
    public required string Description { get; init; }
    public string? Node { get; init; }
    public string? Resource { get; init; }
    /// <summary>For a move: where it went.</summary>
    public string? ToNode { get; init; }
    public bool IsVirtualIp { get; init; }

    public static ClusterEventRecord From(ClusterEvent e) => e switch
    {
        NodeLeft x => Of(e, x.Node),
        NodeJoined x => Of(e, x.Node),
        NodeStandby x => Of(e, x.Node),
        NodeUnstandby x => Of(e, x.Node),
        DcChanged x => Of(e, x.From) with { ToNode = x.To },
        FencingEvent x => Of(e, x.Fence.Target),
        ResourceMoved x => Of(e, x.From, x) with { ToNode = x.To },
        ResourceStarted x => Of(e, x.Node, x),
        ResourceStopped x => Of(e, x.Node, x),
        ResourceRoleChanged x => Of(e, x.Node, x),
        ResourceFailed x => Of(e, x.Node, x),
        MonitorMoved x => Of(e, x.Node),
        StorageMountLost x => Of(e, x.Node),
        StorageMountBack x => Of(e, x.Node),
        ClientsLeftNode x => Of(e, x.Node),
        ClientsArrivedOnNode x => Of(e, x.Node),
        _ => Of(e, null),
    };

    private static ClusterEventRecord Of(ClusterEvent e, string? node, ResourceEvent? resource = null) => new()
    {
        At = e.At, Kind = e.GetType().Name, Description = e.Description, Node = node,
        Resource = resource?.Resource, IsVirtualIp = resource?.IsVirtualIp ?? false,
    };
}

/// <summary>A failover as stored and shown: when, why, how long, and each VIP's time without service.</summary>
/// <param name="Trigger">What started it, in words (e.g. "node1 left the cluster").</param>
public sealed record FailoverSummary(
    DateTimeOffset Start,
    DateTimeOffset? End,
    string Trigger,
    string? TriggerNode,
    IReadOnlyList<VipOutage> Outages,
    IReadOnlyList<ClusterEventRecord> Events)
{
    public long Id { get; init; }

    /// <summary>The fences it took: who fenced whom, how, the result and how long from the node lost.</summary>
    public IReadOnlyList<FenceOutcome> Fences { get; init; } = [];

    /// <summary>
    /// Per VIP and service, what the clients saw, from the console's probes (first failed probe → first served answer);
    /// empty until measured, or when the console probes no VIP of the cluster.
    /// </summary>
    public IReadOnlyList<ClientOutage> ClientOutages { get; init; } = [];

    /// <summary>Null while it is still under way.</summary>
    public TimeSpan? Duration => End - Start;

    /// <summary>The same failover, told at another time (live ones have no id yet).</summary>
    public bool SameAs(FailoverSummary other) => Start == other.Start && Trigger == other.Trigger;

    public static FailoverSummary From(Failover failover) => new(
        failover.Start, failover.End, failover.Trigger.Description, failover.TriggerNode,
        [.. failover.VipOutages], [.. failover.Events.Select(ClusterEventRecord.From)]) { Fences = [.. failover.Fences] };
}
