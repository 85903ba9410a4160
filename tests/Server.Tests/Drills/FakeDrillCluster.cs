using System.Security.Claims;
using StorageHa.Server.Drills;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Shared.Console;
using StorageHa.Shared.Operations;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Drills;

/// <summary>
/// A three-node cluster with two VIPs, in memory, as Pacemaker and the probes would show it to a drill: a move pins the VIP
/// with a cli-prefer- constraint and moves it, a clear removes the constraint and lets it go home, standby moves a node's
/// VIPs away; each move is a short outage of the VIP's SMB and NFS as the probes see it. Beside the real drill in the
/// systemd lab (EndToEnd SystemdServerTests), for the paths a real cluster will not take on demand: failures and leftovers.
/// </summary>
internal sealed class FakeDrillCluster : IDrillCluster, IDrillProbes
{
    public const string Vip1 = "10.99.0.100";
    public const string Vip2 = "10.99.0.101";
    private static readonly string[] NodeNames = ["node1", "node2", "node3"];

    private readonly Lock _gate = new();
    private readonly ClusterFeeds _feeds;
    private readonly Dictionary<string, string> _home = new() { [ResourceIds.Vip(Vip1)] = "node1", [ResourceIds.Vip(Vip2)] = "node2" };
    private readonly Dictionary<string, string> _now;
    private readonly HashSet<string> _standby = [];
    private readonly List<string> _constraints = [];
    private readonly ServiceAvailability _availability = new();
    private readonly List<HeldConnectionEnd> _ended = [];

    public FakeDrillCluster(ClusterFeeds feeds, long clusterId = 1)
    {
        (_feeds, ClusterId) = (feeds, clusterId);
        _now = new Dictionary<string, string>(_home);
        foreach (var vip in new[] { Vip1, Vip2 })
            foreach (var service in new[] { FileService.Smb, FileService.Nfs })
                _availability.Record(vip, service, ServingState.Served, DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    public long ClusterId { get; set; }
    /// <summary>The operations run, in order, by their summary.</summary>
    public List<string> Ran { get; } = [];
    /// <summary>Who each operation in <see cref="Ran"/> ran as.</summary>
    public List<string> RanBy { get; } = [];
    /// <summary>No node answers: every operation and CIB read fails as SSH would.</summary>
    public bool Unreachable { get; set; }
    /// <summary>Operations for which the node's command fails.</summary>
    public Func<ClusterOperation, bool> Fails { get; set; } = _ => false;
    /// <summary>Pacemaker does not move the VIP (a constraint elsewhere forbids it).</summary>
    public bool IgnoresMoves { get; set; }
    /// <summary>A clear that leaves the move's constraint in the CIB.</summary>
    public bool ClearLeavesConstraint { get; set; }
    /// <summary>Waits before an operation returns, so a test can see the drill running.</summary>
    public TimeSpan OperationDelay { get; set; }

    /// <summary>Tells the feed the cluster's state, as the monitor would after its first read.</summary>
    public void Publish(IReadOnlyList<ClusterEvent>? events = null, Func<ClusterState, ClusterState>? degrade = null)
    {
        var state = State();
        if (degrade is not null) state = degrade(state);
        _feeds.Publish(ClusterId, seq => new ClusterChange(ClusterId, seq,
            new MonitorStatus(MonitorHealth.Watching, "node1", "watching from node1", DateTimeOffset.UtcNow), state, events ?? [], null, null));
    }

    /// <summary>A constraint an admin made (a cli-ban- of their own, say), which only a clear of its resource removes.</summary>
    public void AddConstraint(string id) { lock (_gate) _constraints.Add(id); }

    public string? WhereRuns(string vip) { lock (_gate) return _now[ResourceIds.Vip(vip)]; }
    public IReadOnlyList<string> Constraints { get { lock (_gate) return [.. _constraints]; } }
    public bool InStandby(string node) { lock (_gate) return _standby.Contains(node); }

    public async Task<OperationOutcome> RunAsync(long clusterId, ClusterOperation operation, ClaimsPrincipal who, CancellationToken ct)
    {
        await Task.Delay(OperationDelay, ct);
        var events = new List<ClusterEvent>();
        lock (_gate)
        {
            if (Unreachable) throw new OperationFailedException("node1", "no node of nas could be reached: node1: connection refused");
            Ran.Add(operation.Summary);
            RanBy.Add(who.Identity?.Name ?? "");
            if (Fails(operation)) throw new OperationFailedException("node1", $"{operation.Summary} failed on node1: exited with 1: Error: simulated");
            switch (operation)
            {
                case MoveResource m:
                    if (!_constraints.Contains($"cli-prefer-{m.Resource}")) _constraints.Add($"cli-prefer-{m.Resource}"); // pcs replaces its own
                    if (!IgnoresMoves) Move(m.Resource, m.Node, events);
                    break;
                case ClearMove c:
                    if (!ClearLeavesConstraint) _constraints.RemoveAll(id => id == $"cli-prefer-{c.Resource}" || id.StartsWith($"cli-ban-{c.Resource}-on-", StringComparison.Ordinal));
                    if (!_constraints.Contains($"cli-prefer-{c.Resource}")) Move(c.Resource, _home[c.Resource], events);
                    break;
                case SetNodeStandby { On: true } s:
                    _standby.Add(s.Node);
                    foreach (var vip in _now.Where(p => p.Value == s.Node).Select(p => p.Key).ToList())
                        Move(vip, NodeNames.First(n => n != s.Node && !_standby.Contains(n)), events);
                    break;
                case SetNodeStandby { On: false } s:
                    _standby.Remove(s.Node);
                    foreach (var vip in _home.Where(p => p.Value == s.Node).Select(p => p.Key).ToList()) Move(vip, s.Node, events);
                    break;
            }
        }
        Publish(events);
        return new OperationOutcome("node1", string.Join(' ', operation.Argv()), "");
    }

    public Task<IReadOnlyList<string>> MoveConstraintsAsync(long clusterId, IReadOnlyList<string> resources, string who, CancellationToken ct)
    {
        if (Unreachable) throw new OperationFailedException("node1", "no node of nas could be reached: node1: connection refused");
        lock (_gate)
            return Task.FromResult<IReadOnlyList<string>>([.. _constraints.Where(c => resources.Any(r => c == $"cli-prefer-{r}" || c.StartsWith($"cli-ban-{r}-on-", StringComparison.Ordinal)))]);
    }

    public IDrillProbes? Probes(long clusterId) => this;

    public IReadOnlyList<ServiceTransition> Current { get { lock (_gate) return _availability.Current; } }
    public IReadOnlyList<ServiceTransition> Series(string vip, FileService service) { lock (_gate) return _availability.Series(vip, service); }
    public IReadOnlyList<HeldConnectionEnd> ConnectionEnds { get { lock (_gate) return [.. _ended]; } }

    // A moved VIP's clients: the held connection is reset, 40 ms without service, then served on the new node.
    private void Move(string vip, string to, List<ClusterEvent> events)
    {
        var from = _now[vip];
        if (from == to) return;
        _now[vip] = to;
        var at = DateTimeOffset.UtcNow;
        events.Add(new ResourceMoved(at, vip, "ocf:heartbeat:IPaddr2", from, to));
        var address = vip["vip-".Length..];
        foreach (var service in new[] { FileService.Smb, FileService.Nfs })
        {
            _ended.Add(new HeldConnectionEnd(address, service, ConnectionEnd.Reset, at, "the held connection was reset"));
            _availability.Record(address, service, ServingState.NotServed, at, "connection refused");
            _availability.Record(address, service, ServingState.Served, at.AddMilliseconds(40));
        }
    }

    private ClusterState State()
    {
        lock (_gate)
            return new ClusterState
            {
                Summary = new ClusterSummary { HasQuorum = true, DcPresent = true, DcName = "node1" },
                Nodes = [.. NodeNames.Select(n => new ClusterNode { Name = n, Online = true, Standby = _standby.Contains(n), Kind = NodeKind.Member })],
                Resources = [.. _now.Select(p => new PrimitiveResource { Id = p.Key, Agent = "ocf:heartbeat:IPaddr2", Role = ResourceRole.Started, Active = true, Nodes = [p.Value] })],
            };
    }
}
