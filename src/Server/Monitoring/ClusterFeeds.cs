using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;
using StorageHa.Shared.Storage;

namespace StorageHa.Server.Monitoring;

/// <summary>
/// The live state of every monitored cluster, in memory: the monitors publish to it, pages and the hub subscribe.
/// A subscriber gets the snapshot and the changes after it, with nothing lost or repeated in between.
/// </summary>
public sealed class ClusterFeeds(TimeProvider time) : IClusterStateStream
{
    // A page that stops reading loses its oldest changes rather than holding the monitor back; each change carries the whole state.
    private const int SubscriberBacklog = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, ClusterSnapshot> _snapshots = [];
    private readonly List<Subscriber> _subscribers = [];

    /// <summary>Registers a cluster (or renames it) so subscribers see it, with its stored history, before its first read.</summary>
    public void Track(long clusterId, string name, IReadOnlyList<FailoverSummary>? failovers = null, IReadOnlyList<ClusterEventRecord>? events = null)
    {
        lock (_gate)
        {
            _snapshots[clusterId] = _snapshots.TryGetValue(clusterId, out var known)
                ? known with { ClusterName = name }
                : Empty(clusterId, name) with { RecentFailovers = failovers ?? [], RecentEvents = events ?? [] };
        }
    }

    /// <summary>Drops a cluster that left the inventory.</summary>
    public void Forget(long clusterId)
    {
        lock (_gate) _snapshots.Remove(clusterId);
    }

    public IReadOnlyList<long> Tracked
    {
        get { lock (_gate) return [.. _snapshots.Keys]; }
    }

    public ClusterSnapshot? Snapshot(long clusterId)
    {
        lock (_gate) return _snapshots.GetValueOrDefault(clusterId);
    }

    /// <summary>Records a change and hands it to every subscriber of its cluster; returns it with its sequence number.</summary>
    public ClusterChange Publish(long clusterId, Func<long, ClusterChange> change) => Publish(clusterId, (_, sequence) => change(sequence), trackedOnly: false)!;

    /// <summary>A storage health report and what changed with it; the monitor's status and the failover under way stay as they are.</summary>
    public ClusterChange PublishStorage(long clusterId, StorageHealthReport report, IReadOnlyList<ClusterEvent> events) =>
        Publish(clusterId, (before, sequence) => new ClusterChange(clusterId, sequence, before.Monitor, null, events, before.InProgress, null) { Storage = report }, trackedOnly: false)!;

    /// <summary>
    /// The service probes' view of the VIPs now, and/or a completed failover told again with its clients' outage; the rest
    /// stays as it is. Only for a tracked cluster (so a probe never creates one without its history): null otherwise.
    /// </summary>
    public ClusterChange? PublishServing(long clusterId, IReadOnlyList<ServiceTransition>? serving, FailoverSummary? revised = null) =>
        Publish(clusterId, (before, sequence) =>
            new ClusterChange(clusterId, sequence, before.Monitor, null, [], before.InProgress, null) { Serving = serving, Revised = revised }, trackedOnly: true);

    /// <summary>A reading of the connected clients and the clients that left or arrived with it; the rest stays as it is.</summary>
    public ClusterChange PublishClients(long clusterId, ConnectedClientsReport report, IReadOnlyList<ClusterEvent> events) =>
        Publish(clusterId, (before, sequence) => new ClusterChange(clusterId, sequence, before.Monitor, null, events, before.InProgress, null) { Clients = report }, trackedOnly: false)!;

    /// <summary>A drill's progress or end; the rest stays as it is. Only for a tracked cluster: null otherwise.</summary>
    public ClusterChange? PublishDrill(long clusterId, DrillReport drill) =>
        Publish(clusterId, (before, sequence) => new ClusterChange(clusterId, sequence, before.Monitor, null, [], before.InProgress, null) { Drill = drill }, trackedOnly: true);

    private ClusterChange? Publish(long clusterId, Func<ClusterSnapshot, long, ClusterChange> change, bool trackedOnly)
    {
        lock (_gate)
        {
            if (trackedOnly && !_snapshots.ContainsKey(clusterId)) return null;
            var before = _snapshots.GetValueOrDefault(clusterId) ?? Empty(clusterId, $"cluster {clusterId}");
            var next = change(before, before.Sequence + 1);
            _snapshots[clusterId] = before.Apply(next);
            foreach (var subscriber in _subscribers)
                if (subscriber.ClusterId is null || subscriber.ClusterId == clusterId)
                    subscriber.Channel.Writer.TryWrite(next);
            return next;
        }
    }

    public Task<ClusterSubscription> SubscribeAsync(long clusterId, CancellationToken ct)
    {
        lock (_gate)
        {
            var initial = _snapshots.GetValueOrDefault(clusterId) ?? Empty(clusterId, $"cluster {clusterId}");
            return Task.FromResult(new ClusterSubscription(initial, Read(Add(clusterId, ct), ct)));
        }
    }

    public Task<OverviewSubscription> SubscribeAllAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<ClusterSnapshot> initial = [.. _snapshots.Values.OrderBy(s => s.ClusterName, StringComparer.OrdinalIgnoreCase)];
            return Task.FromResult(new OverviewSubscription(initial, Read(Add(null, ct), ct)));
        }
    }

    private Subscriber Add(long? clusterId, CancellationToken ct)
    {
        var subscriber = new Subscriber(clusterId, Channel.CreateBounded<ClusterChange>(
            new BoundedChannelOptions(SubscriberBacklog) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));
        _subscribers.Add(subscriber);
        // A subscription that is cancelled before it is read still goes away.
        ct.Register(() => { lock (_gate) _subscribers.Remove(subscriber); });
        return subscriber;
    }

    private async IAsyncEnumerable<ClusterChange> Read(Subscriber subscriber, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            await foreach (var change in subscriber.Channel.Reader.ReadAllAsync(ct))
                yield return change;
        }
        finally
        {
            lock (_gate) _subscribers.Remove(subscriber);
        }
    }

    private ClusterSnapshot Empty(long clusterId, string name) =>
        new(clusterId, name, 0, new MonitorStatus(MonitorHealth.Starting, null, "not read yet", time.GetUtcNow()), null, null, [], []);

    private sealed record Subscriber(long? ClusterId, Channel<ClusterChange> Channel);
}
