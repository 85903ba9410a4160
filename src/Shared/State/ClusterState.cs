namespace StorageHa.Shared.State;

/// <summary>Which crm_mon XML dialect a state was read from.</summary>
public enum CrmMonFormat
{
    /// <summary><c>crm_mon --output-as=xml</c> (Pacemaker ≥ 2.0.3): <c>&lt;pacemaker-result api-version=…&gt;</c>.</summary>
    PacemakerResult,
    /// <summary><c>crm_mon -X</c> (Pacemaker 1.1 and the deprecated option of 2.x): <c>&lt;crm_mon version=…&gt;</c>.</summary>
    Legacy,
}

/// <summary>
/// What a cluster is, as one <c>crm_mon</c> snapshot shows it: summary, nodes, resources (the tree as Pacemaker
/// reports it, and <see cref="Instances"/> flattened to "what runs where"), failures, fencing, bans and tickets.
/// </summary>
public sealed record ClusterState
{
    public CrmMonFormat Format { get; init; }
    /// <summary>api-version of a pacemaker-result, or the Pacemaker version of a legacy crm_mon document.</summary>
    public string? Version { get; init; }
    public ClusterSummary Summary { get; init; } = new();
    public ValueList<ClusterNode> Nodes { get; init; } = [];

    /// <summary>The resource tree in crm_mon's order: primitives, groups, clone sets and bundles.</summary>
    public ValueList<ClusterResource> Resources
    {
        get;
        init
        {
            field = value;
            Instances = ResourceInstance.Flatten(value);
        }
    } = [];

    /// <summary>Every primitive instance with the node it runs on (one row per node; stopped ones with no node).</summary>
    public ValueList<ResourceInstance> Instances { get; private init; } = [];

    public ValueList<NodeAttributes> NodeAttributes { get; init; } = [];
    public ValueList<ResourceFailure> Failures { get; init; } = [];
    public ValueList<FenceAction> FenceHistory { get; init; } = [];
    public ValueList<LocationBan> Bans { get; init; } = [];
    public ValueList<Ticket> Tickets { get; init; } = [];

    public ClusterNode? Node(string name) => Nodes.FirstOrDefault(node => node.Name == name);

    /// <summary>What the fencing history says of <paramref name="node"/> now (see <see cref="NodeFencing"/>).</summary>
    public NodeFencing FencingOf(string node)
    {
        var against = FenceHistory.Where(f => f.Target == node).ToList();
        var known = Node(node);
        // A request outlives an acknowledgement (stonith_admin --confirm): against a clean, offline node it has nothing left to do.
        var underWay = known is { Unclean: true } or { Online: true } ? against.FirstOrDefault(f => f.Status == FenceStatus.Pending) : null;
        var last = against.Where(f => f.CompletedTime is not null).MaxBy(f => f.CompletedTime);
        return new NodeFencing(underWay, last is { Status: FenceStatus.Failed } && known is not { Online: true } ? last : null);
    }

    /// <summary>The instances running on <paramref name="node"/>, in crm_mon's order.</summary>
    public IEnumerable<ResourceInstance> RunningOn(string node) =>
        Instances.Where(instance => instance.Node == node);

    /// <summary>Every virtual IP (IPaddr2/IPaddr) and where it runs; a stopped VIP has no node.</summary>
    public IReadOnlyList<ResourceInstance> VirtualIps => Instances.Where(instance => instance.IsVirtualIp).ToArray();

    /// <summary>The node a resource (or one instance of a clone) runs on, or null when it runs nowhere.</summary>
    public string? WhereRuns(string resource) =>
        Instances.FirstOrDefault(instance => instance.Id == resource && instance.IsRunning)?.Node;
}

public sealed record ClusterSummary
{
    /// <summary>corosync (Pacemaker 2+), or classic openais/heartbeat on very old clusters.</summary>
    public string? Stack { get; init; }
    public bool DcPresent { get; init; }
    public string? DcName { get; init; }
    public string? DcId { get; init; }
    public string? DcVersion { get; init; }
    /// <summary>The DC's partition has quorum; false when there is no DC.</summary>
    public bool HasQuorum { get; init; }
    /// <summary>Times as crm_mon prints them (see <see cref="CrmTime"/>).</summary>
    public string? LastUpdate { get; init; }
    public string? LastChange { get; init; }
    public string? LastChangeUser { get; init; }
    public string? LastChangeClient { get; init; }
    public string? LastChangeOrigin { get; init; }
    public int NodesConfigured { get; init; }
    public int ResourcesConfigured { get; init; }
    public int ResourcesDisabled { get; init; }
    public int ResourcesBlocked { get; init; }
    /// <summary>stonith-enabled (fencing-enabled from Pacemaker 3); null when crm_mon did not say.</summary>
    public bool? FencingEnabled { get; init; }
    public bool? SymmetricCluster { get; init; }
    public string? NoQuorumPolicy { get; init; }
    public bool MaintenanceMode { get; init; }
    public bool StopAllResources { get; init; }
    /// <summary>State of pacemakerd on the node asked (running, shutting_down…), when crm_mon reports it.</summary>
    public string? PacemakerdState { get; init; }
}

public enum NodeKind { Unknown, Member, Remote, Ping }

/// <summary>How a node card shows a node, worst first.</summary>
public enum NodeStatus { Unclean, Offline, Pending, Maintenance, Standby, Online }

public sealed record ClusterNode
{
    public required string Name { get; init; }
    public string? Id { get; init; }
    public bool Online { get; init; }
    public bool Standby { get; init; }
    /// <summary>Standby because a resource failed with on-fail=standby.</summary>
    public bool StandbyOnFail { get; init; }
    public bool Maintenance { get; init; }
    public bool Pending { get; init; }
    public bool Unclean { get; init; }
    public bool Shutdown { get; init; }
    public bool ExpectedUp { get; init; }
    public bool IsDc { get; init; }
    public NodeKind Kind { get; init; }
    public int ResourcesRunning { get; init; }
    /// <summary>green, yellow or red when node health is configured.</summary>
    public string? Health { get; init; }
    /// <summary>For a guest node (remote node inside a VM or bundle container): the resource that holds it.</summary>
    public string? Container { get; init; }

    public bool IsGuest => Container is not null;

    public NodeStatus Status =>
        Unclean ? NodeStatus.Unclean
        : !Online ? NodeStatus.Offline
        : Pending ? NodeStatus.Pending
        : Maintenance ? NodeStatus.Maintenance
        : Standby || StandbyOnFail ? NodeStatus.Standby
        : NodeStatus.Online;
}

public sealed record NodeAttribute(string Name, string Value, string? Expected = null);

public sealed record NodeAttributes(string Node, ValueList<NodeAttribute> Attributes);

/// <summary>A failed operation (crm_mon "Failed Resource Actions"), until someone cleans it up.</summary>
public sealed record ResourceFailure
{
    /// <summary>RESOURCE_TASK_INTERVAL, e.g. dummy1_monitor_5000.</summary>
    public required string OperationKey { get; init; }
    public required string Resource { get; init; }
    public required string Node { get; init; }
    public string? Task { get; init; }
    public long? IntervalMs { get; init; }
    /// <summary>OCF exit status in words (error, not running, not installed…) and its code.</summary>
    public string? ExitStatus { get; init; }
    public int? ExitCode { get; init; }
    /// <summary>The agent's own explanation, when it gave one.</summary>
    public string? ExitReason { get; init; }
    /// <summary>Execution status: complete, Timed Out, Error, …</summary>
    public string? Status { get; init; }
    public int? Call { get; init; }
    public string? LastRcChange { get; init; }

    public DateTimeOffset? LastRcChangeTime => CrmTime.Parse(LastRcChange);
}

public enum FenceStatus { Unknown, Pending, Success, Failed }

/// <summary>
/// One entry of the fencing history: a node was (or was to be) rebooted or turned off. Pacemaker 2.1 and 3.0 do not name
/// the fence device here (nor in <c>stonith_admin --history</c>): only the fencer's log on the delegate does.
/// </summary>
public sealed record FenceAction
{
    public required string Target { get; init; }
    /// <summary>reboot, off or on.</summary>
    public required string Action { get; init; }
    public FenceStatus Status { get; init; }
    /// <summary>The node that ran the fence device (absent while pending).</summary>
    public string? Delegate { get; init; }
    /// <summary>Who asked: pacemaker-controld.PID (the cluster itself) or stonith_admin.PID (an operator, or the console).</summary>
    public string? Client { get; init; }
    /// <summary>The node the request came from.</summary>
    public string? Origin { get; init; }
    public string? Completed { get; init; }
    /// <summary>Why it failed, in the fencer's or the agent's words.</summary>
    public string? ExitReason { get; init; }

    public DateTimeOffset? CompletedTime => CrmTime.Parse(Completed);

    /// <summary>
    /// Which request and result this is, without its reason: crm_mon prints the exit-reason of a failure in some snapshots
    /// and not in others (2.1.5), which is not a new entry.
    /// </summary>
    public FenceAction Entry() => this with { ExitReason = null };

    /// <summary>An operator said the node is off (<c>stonith_admin --confirm</c>): Pacemaker names the delegate "a human".</summary>
    public bool Acknowledged => Delegate == "a human";

    /// <summary>Asked by the cluster itself (the controller lost the node), not by hand.</summary>
    public bool ByCluster => Client?.StartsWith("pacemaker-controld", StringComparison.Ordinal) == true;

    /// <summary>"node2 rebooted node3", "node1 could not reboot node3", "reboot of node3 under way (asked by node1)".</summary>
    public string Summary
    {
        get
        {
            var who = Delegate ?? Origin ?? "the cluster";
            var asked = ByCluster ? $"the cluster on {Origin}" : Origin is null ? "an operator" : $"an operator on {Origin}";
            return Status switch
            {
                FenceStatus.Pending => $"{Action} of {Target} under way (asked by {asked})",
                FenceStatus.Success when Acknowledged => $"an operator acknowledged {Target} as off (asked by {asked})",
                FenceStatus.Success => $"{who} fenced {Target} ({Action}, asked by {asked})",
                FenceStatus.Failed => $"{who} could not fence {Target} ({Action}, asked by {asked}): {ExitReason ?? "the fencer gave no reason"}",
                _ => $"{Action} of {Target}: state unknown",
            };
        }
    }
}

/// <summary>
/// A node's fencing as its card shows it: a fence under way against it, and its last fence when that failed and the node is
/// not back (the cluster keeps its resources stopped until a fence succeeds or an operator acknowledges the node off).
/// </summary>
public sealed record NodeFencing(FenceAction? UnderWay, FenceAction? Failed)
{
    public static readonly NodeFencing None = new(null, null);
}

/// <summary>A location constraint that keeps a resource off a node (pcs resource ban / move leaves these).</summary>
public sealed record LocationBan(string Id, string Resource, string Node, int Weight, bool PromotedOnly);

public sealed record Ticket(string Id, bool Granted, bool Standby, string? LastGranted);
