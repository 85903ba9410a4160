using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

/// <summary>Random but valid cluster states, reproducible from a seed, for the round-trip properties.</summary>
internal sealed class ClusterStateGenerator(int seed)
{
    private readonly Random _random = new(seed);
    private int _next;

    public ClusterState Next()
    {
        var nodes = Enumerable.Range(1, _random.Next(1, 7)).Select(Node).ToValueList();
        var names = nodes.Select(n => n.Name).ToArray();
        var dc = _random.Next(4) > 0 ? names[_random.Next(names.Length)] : null;
        return new ClusterState
        {
            Format = Bool() ? CrmMonFormat.Legacy : CrmMonFormat.PacemakerResult,
            Version = Bool() ? "2.25" : null,
            Summary = new ClusterSummary
            {
                Stack = "corosync", DcPresent = dc is not null, DcName = dc, DcId = dc is null ? null : "7",
                DcVersion = dc is null ? null : "2.1.5-a3f44794f94", HasQuorum = dc is not null && Bool(),
                LastUpdate = "Thu Nov 26 10:52:32 2026", LastChange = Maybe("Thu Nov 26 10:52:24 2026"),
                LastChangeUser = Maybe("root"), LastChangeClient = Maybe("cibadmin"), LastChangeOrigin = Maybe(names[0]),
                NodesConfigured = names.Length, ResourcesConfigured = _random.Next(50), ResourcesDisabled = _random.Next(3),
                ResourcesBlocked = _random.Next(2), FencingEnabled = Bool() ? Bool() : null, SymmetricCluster = Bool(),
                NoQuorumPolicy = Maybe("stop"), MaintenanceMode = Bool(), StopAllResources = Bool(),
                PacemakerdState = Maybe("running"),
            },
            Nodes = nodes,
            Resources = Enumerable.Range(0, _random.Next(0, 12)).Select(_ => Resource(names)).ToValueList(),
            NodeAttributes = names.Where(_ => Bool()).Select(n => new NodeAttributes(n,
                [new NodeAttribute("pingd", "1000", Maybe("1000")), new NodeAttribute("site", "a & <b>")])).ToValueList(),
            Failures = Enumerable.Range(0, _random.Next(3)).Select(_ => Failure(names)).ToValueList(),
            FenceHistory = Enumerable.Range(0, _random.Next(3)).Select(_ => Fence(names)).ToValueList(),
            Bans = Enumerable.Range(0, _random.Next(3)).Select(i => new LocationBan(
                $"cli-ban-r{i}", $"r{i}", names[_random.Next(names.Length)], -1_000_000, Bool())).ToValueList(),
            Tickets = Enumerable.Range(0, _random.Next(3)).Select(i => new Ticket($"ticket{i}", Bool(), Bool(), Maybe("Thu Nov 26 10:52:24 2026"))).ToValueList(),
        };
    }

    private ClusterNode Node(int i) => new()
    {
        Name = $"node{i}", Id = i.ToString(), Online = Bool(), Standby = Bool(), StandbyOnFail = Bool(),
        Maintenance = Bool(), Pending = Bool(), Unclean = Bool(), Shutdown = Bool(), ExpectedUp = Bool(), IsDc = Bool(),
        Kind = (NodeKind)_random.Next(4), ResourcesRunning = _random.Next(20), Health = Maybe("green"),
        Container = _random.Next(5) == 0 ? $"vm{i}" : null,
    };

    private ClusterResource Resource(string[] nodes) => _random.Next(5) switch
    {
        0 => new ResourceGroup
        {
            Id = Id("group"), Managed = Bool(), Disabled = Bool(), Maintenance = Bool(),
            Members = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Primitive(nodes)).ToValueList(),
        },
        1 => new CloneSet
        {
            Id = Id("clone"), Promotable = Bool(), Unique = Bool(), Managed = Bool(), Disabled = Bool(), Failed = Bool(),
            FailureIgnored = Bool(), Maintenance = Bool(), TargetRole = Bool() ? ResourceRole.Stopped : null,
            Instances = Enumerable.Range(0, _random.Next(1, 4))
                .Select(_ => Bool() ? (ClusterResource)Primitive(nodes) : new ResourceGroup { Id = Id("grp"), Members = [Primitive(nodes)] })
                .ToValueList(),
        },
        2 => new ResourceBundle
        {
            Id = Id("bundle"), ContainerType = "podman", Image = "localhost/web:1", Unique = Bool(), Managed = Bool(),
            Failed = Bool(), Maintenance = Bool(),
            Replicas = Enumerable.Range(0, _random.Next(1, 3))
                .Select(r => new BundleReplica(r.ToString(), [Primitive(nodes), Primitive(nodes)])).ToValueList(),
        },
        _ => Primitive(nodes),
    };

    private PrimitiveResource Primitive(string[] nodes)
    {
        var running = nodes.Where(_ => _random.Next(nodes.Length + 1) == 0).Take(_random.Next(3)).ToValueList();
        return new PrimitiveResource
        {
            Id = Id("rsc"),
            Agent = new[] { "ocf:heartbeat:IPaddr2", "ocf:pacemaker:Dummy", "systemd:nfs-ganesha", "stonith:fence_xvm" }[_random.Next(4)],
            Role = running.Count == 0 ? ResourceRole.Stopped : new[] { ResourceRole.Started, ResourceRole.Promoted, ResourceRole.Unpromoted }[_random.Next(3)],
            TargetRole = Bool() ? (ResourceRole)_random.Next(1, 5) : null,
            Active = running.Count > 0, Orphaned = Bool(), Blocked = Bool(), Managed = Bool(), Failed = Bool(),
            FailureIgnored = Bool(), Maintenance = Bool(), Nodes = running,
        };
    }

    private ResourceFailure Failure(string[] nodes)
    {
        var resource = Id("rsc_with_underscores");
        var interval = _random.Next(2) * 10000L;
        return new ResourceFailure
        {
            OperationKey = $"{resource}_monitor_{interval}", Resource = resource, Node = nodes[_random.Next(nodes.Length)],
            Task = "monitor", IntervalMs = interval, ExitStatus = "not running", ExitCode = 7,
            ExitReason = Maybe("No such device"), Status = "complete", Call = _random.Next(100),
            LastRcChange = "2026-11-26 10:52:28Z",
        };
    }

    private FenceAction Fence(string[] nodes) => new()
    {
        Target = nodes[_random.Next(nodes.Length)], Action = Bool() ? "reboot" : "off",
        Status = (FenceStatus)_random.Next(1, 4), Delegate = Maybe(nodes[0]), Client = "pacemaker-controld.812",
        Origin = nodes[^1], Completed = Maybe("2026-11-26 10:53:00Z"), ExitReason = Maybe("timed out"),
    };

    private string Id(string kind) => $"{kind}{_next++}";

    private bool Bool() => _random.Next(2) == 0;

    private string? Maybe(string value) => Bool() ? value : null;
}
