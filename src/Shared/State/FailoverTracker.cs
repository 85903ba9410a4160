namespace StorageHa.Shared.State;

/// <summary>
/// A failover: from the first node leaving, resource failing or fence asked to the moment every VIP that ran before
/// runs again and no fence is under way, with the events that made it up, how long each VIP was unreachable and the
/// fences it took.
/// </summary>
public sealed record Failover(
    DateTimeOffset Start,
    DateTimeOffset? End,
    ClusterEvent Trigger,
    ValueList<VipOutage> VipOutages,
    ValueList<ClusterEvent> Events)
{
    public ValueList<FenceOutcome> Fences { get; init; } = [];

    /// <summary>Null while the failover is still in progress.</summary>
    public TimeSpan? Duration => End - Start;

    public string? TriggerNode => Trigger switch
    {
        NodeLeft left => left.Node,
        ResourceFailed failed => failed.Node,
        FencingEvent fencing => fencing.Fence.Target,
        _ => null,
    };

    public string? TriggerResource => (Trigger as ResourceFailed)?.Resource;
}

/// <summary>
/// One VIP's time without service: from when its node left (or it failed or stopped) to when it started again.
/// Times are when the monitor saw the change, so they are as precise as its snapshots.
/// </summary>
public sealed record VipOutage(string Vip, string? FromNode, string? ToNode, DateTimeOffset StoppedAt, DateTimeOffset? StartedAt)
{
    /// <summary>Null while the VIP is still down.</summary>
    public TimeSpan? Outage => StartedAt - StoppedAt;
}

/// <summary>
/// One fence of a failover as it stands: the last entry seen of it, and its time from the node lost (or the fence asked,
/// when that came first) to its result. Times are when the monitor saw each change.
/// </summary>
public sealed record FenceOutcome(FenceAction Fence, DateTimeOffset Since, DateTimeOffset? DoneAt)
{
    /// <summary>Null while it is under way.</summary>
    public TimeSpan? Duration => DoneAt - Since;
}

/// <summary>
/// Groups the diff's events into failovers. Feed it each diff's events in order; time comes only from the events,
/// which the monitor stamps with its TimeProvider.
/// </summary>
public sealed class FailoverTracker
{
    // Where each resource runs now (clone copies share an id, so a list of nodes), kept current from the events.
    private readonly Dictionary<string, List<string>> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _virtualIps = new(StringComparer.Ordinal);
    private OpenFailover? _open;

    public FailoverTracker(ClusterState initial)
    {
        foreach (var instance in initial.Instances)
        {
            if (instance.IsVirtualIp) _virtualIps.Add(instance.Id);
            if (instance.Node is { } node) RunningNodes(instance.Id).Add(node);
        }
    }

    /// <summary>The failover under way, with outages still open (End and StartedAt null), or null.</summary>
    public Failover? InProgress => _open?.ToFailover(end: null);

    /// <summary>Takes the events of one diff; returns the failover they complete, if they complete one.</summary>
    public Failover? Observe(IReadOnlyList<ClusterEvent> changes)
    {
        foreach (var change in changes)
        {
            if (_open is null && change is NodeLeft or ResourceFailed or FencingEvent { Fence.Status: FenceStatus.Pending or FenceStatus.Success }) _open = Open(change);
            if (_open is not null) Record(_open, change);
            Apply(change);
        }
        if (_open is null || changes.Count == 0 || !_open.Awaited.All(IsRunning) || _open.Down.Count > 0 || _open.Fencing) return null;
        var finished = _open.ToFailover(changes[^1].At);
        _open = null;
        return finished;
    }

    private OpenFailover Open(ClusterEvent trigger)
    {
        var awaited = _virtualIps.Where(IsRunning).ToHashSet(StringComparer.Ordinal);
        if (trigger is ResourceFailed failed && IsRunning(failed.Resource)) awaited.Add(failed.Resource);
        return new OpenFailover(trigger, awaited);
    }

    private void Record(OpenFailover failover, ClusterEvent change)
    {
        failover.Events.Add(change);
        switch (change)
        {
            case NodeLeft left:
                failover.Lost.TryAdd(left.Node, change.At);
                foreach (var vip in _virtualIps)
                    if (RunningNodes(vip).Contains(left.Node)) failover.VipDown(vip, left.Node, change.At);
                break;
            case FencingEvent fencing:
                failover.Fenced(fencing.Fence, change.At);
                break;
            case ResourceFailed failed when IsVip(failed) && RunningNodes(failed.Resource).Contains(failed.Node):
                failover.VipDown(failed.Resource, failed.Node, change.At);
                break;
            case ResourceStopped stopped when IsVip(stopped):
                failover.VipDown(stopped.Resource, stopped.Node, change.At);
                break;
            case ResourceMoved moved when IsVip(moved):
                failover.VipDown(moved.Resource, moved.From, change.At);
                failover.VipUp(moved.Resource, moved.To, change.At);
                break;
            case ResourceStarted started when IsVip(started):
                failover.VipUp(started.Resource, started.Node, change.At);
                break;
        }
    }

    private void Apply(ClusterEvent change)
    {
        if (change is ResourceEvent { IsVirtualIp: true } vip) _virtualIps.Add(vip.Resource);
        switch (change)
        {
            case ResourceStarted started:
                RunningNodes(started.Resource).Add(started.Node);
                break;
            case ResourceStopped stopped:
                RunningNodes(stopped.Resource).Remove(stopped.Node);
                break;
            case ResourceMoved moved:
                RunningNodes(moved.Resource).Remove(moved.From);
                RunningNodes(moved.Resource).Add(moved.To);
                break;
        }
    }

    private bool IsVip(ResourceEvent change) => change.IsVirtualIp || _virtualIps.Contains(change.Resource);

    private bool IsRunning(string resource) => _running.TryGetValue(resource, out var nodes) && nodes.Count > 0;

    private List<string> RunningNodes(string resource)
    {
        if (!_running.TryGetValue(resource, out var nodes)) _running[resource] = nodes = [];
        return nodes;
    }

    private sealed class OpenFailover(ClusterEvent trigger, HashSet<string> awaited)
    {
        public HashSet<string> Awaited { get; } = awaited;
        public List<ClusterEvent> Events { get; } = [];
        public List<VipOutage> Outages { get; } = [];
        /// <summary>VIPs without service now: index of their open outage.</summary>
        public Dictionary<string, int> Down { get; } = new(StringComparer.Ordinal);
        /// <summary>When each node that left was seen gone: where its fence's time starts.</summary>
        public Dictionary<string, DateTimeOffset> Lost { get; } = new(StringComparer.Ordinal);
        private readonly List<FenceOutcome> _fences = [];

        /// <summary>A fence of this failover is still under way.</summary>
        public bool Fencing => _fences.Any(f => f.Fence.Status == FenceStatus.Pending);

        /// <summary>A new entry of the fencing history: a fence asked, or the result of one (which replaces its pending entry).</summary>
        public void Fenced(FenceAction fence, DateTimeOffset at)
        {
            // A request left over from before the node was fenced or acknowledged off ends later, failed: it changed nothing.
            if (fence.Status == FenceStatus.Failed && _fences.Any(f => f.Fence.Target == fence.Target && f.Fence.Status == FenceStatus.Success)) return;
            // The fencer merges a request for a fence already under way into it (the cluster asks on its own when a node
            // fenced by hand leaves): both end with one result at one time, and that is one fence.
            // The monitor may see either first: the one asked by hand names who asked.
            var same = _fences.FindIndex(f => OneResult(f.Fence, fence));
            if (same >= 0)
            {
                if (_fences[same].Fence.ByCluster && !fence.ByCluster) _fences[same] = _fences[same] with { Fence = fence };
                return;
            }
            var pending = _fences.FindIndex(f => f.Fence.Target == fence.Target && f.Fence.Action == fence.Action && f.Fence.Status == FenceStatus.Pending);
            var since = pending >= 0 ? _fences[pending].Since : Lost.GetValueOrDefault(fence.Target, at);
            var outcome = new FenceOutcome(fence, since, fence.Status == FenceStatus.Pending ? null : at);
            if (pending >= 0) _fences[pending] = outcome;
            else _fences.Add(outcome);
            // Once a node is fenced (or acknowledged off), a request still pending against it has nothing left to wait for.
            if (fence.Status == FenceStatus.Success)
                _fences.RemoveAll(f => f.Fence.Target == fence.Target && f.Fence.Status == FenceStatus.Pending);
        }

        /// <summary>
        /// Two entries of one fence: requests the fencer merged end with its result, each stamped as the fencer handles it,
        /// which on a loaded node can fall into the next second. A second fence of the node would take a power cycle more.
        /// </summary>
        private static bool OneResult(FenceAction a, FenceAction b) =>
            a.Target == b.Target && a.Action == b.Action && a.Status == b.Status && a.Status != FenceStatus.Pending && a.Delegate == b.Delegate
            && (a.Completed == b.Completed || (a.CompletedTime - b.CompletedTime)?.Duration() <= MergedResultSkew);

        private static readonly TimeSpan MergedResultSkew = TimeSpan.FromSeconds(2);

        public void VipDown(string vip, string fromNode, DateTimeOffset at)
        {
            if (Down.ContainsKey(vip)) return;
            Down[vip] = Outages.Count;
            Outages.Add(new VipOutage(vip, fromNode, null, at, null));
        }

        public void VipUp(string vip, string toNode, DateTimeOffset at)
        {
            if (!Down.Remove(vip, out var index)) return;
            Outages[index] = Outages[index] with { ToNode = toNode, StartedAt = at };
        }

        public Failover ToFailover(DateTimeOffset? end) =>
            new(trigger.At, end, trigger, Outages.ToValueList(), Events.ToValueList()) { Fences = _fences.ToValueList() };
    }
}
