namespace StorageHa.Shared.State;

/// <summary>A resource's role: Master/Slave in Pacemaker 1.1 are Promoted/Unpromoted here.</summary>
public enum ResourceRole { Unknown, Stopped, Started, Unpromoted, Promoted }

/// <summary>One node of crm_mon's resource tree.</summary>
public abstract record ClusterResource
{
    public required string Id { get; init; }
}

/// <summary>One resource agent instance (crm_mon's &lt;resource&gt;).</summary>
public sealed record PrimitiveResource : ClusterResource
{
    /// <summary>class:provider:type, e.g. ocf:heartbeat:IPaddr2 (the legacy "ocf::heartbeat:IPaddr2" is normalised).</summary>
    public string Agent { get; init; } = "";
    public ResourceRole Role { get; init; }
    /// <summary>The role the admin asked for (meta target-role), when set.</summary>
    public ResourceRole? TargetRole { get; init; }
    public bool Active { get; init; }
    /// <summary>Still running but no longer configured ("removed" in Pacemaker 3).</summary>
    public bool Orphaned { get; init; }
    public bool Blocked { get; init; }
    public bool Managed { get; init; } = true;
    public bool Failed { get; init; }
    public bool FailureIgnored { get; init; }
    public bool Maintenance { get; init; }
    /// <summary>Nodes it runs on: one, none when stopped, several when it is wrongly active on more.</summary>
    public ValueList<string> Nodes { get; init; } = [];

    public bool IsVirtualIp => ResourceAgents.IsVirtualIp(Agent);
}

/// <summary>Resources started in order on one node and stopped in reverse.</summary>
public sealed record ResourceGroup : ClusterResource
{
    public bool Managed { get; init; } = true;
    public bool Disabled { get; init; }
    public bool Maintenance { get; init; }
    public ValueList<PrimitiveResource> Members { get; init; } = [];
}

/// <summary>A clone set: copies of a primitive or a group, promotable when they have promoted/unpromoted roles.</summary>
public sealed record CloneSet : ClusterResource
{
    /// <summary>multi_state in crm_mon: a promotable clone (master/slave in Pacemaker 1.1).</summary>
    public bool Promotable { get; init; }
    public bool Unique { get; init; }
    public bool Managed { get; init; } = true;
    public bool Disabled { get; init; }
    public bool Failed { get; init; }
    public bool FailureIgnored { get; init; }
    public bool Maintenance { get; init; }
    public ResourceRole? TargetRole { get; init; }
    /// <summary>The copies: <see cref="PrimitiveResource"/>s, or <see cref="ResourceGroup"/>s for a cloned group.</summary>
    public ValueList<ClusterResource> Instances { get; init; } = [];
}

/// <summary>A container bundle: replicas of a container, each with its IP, its remote connection and its resource.</summary>
public sealed record ResourceBundle : ClusterResource
{
    /// <summary>docker, podman or rkt.</summary>
    public string? ContainerType { get; init; }
    public string? Image { get; init; }
    public bool Unique { get; init; }
    public bool Managed { get; init; } = true;
    public bool Failed { get; init; }
    public bool Maintenance { get; init; }
    public ValueList<BundleReplica> Replicas { get; init; } = [];
}

public sealed record BundleReplica(string Id, ValueList<PrimitiveResource> Resources);

/// <summary>What the agent name says about a resource.</summary>
public static class ResourceAgents
{
    /// <summary>Normalises the legacy "ocf::heartbeat:IPaddr2" (empty middle part) to "ocf:heartbeat:IPaddr2".</summary>
    public static string Normalize(string agent) => agent.Replace("::", ":", StringComparison.Ordinal);

    /// <summary>IPaddr2 (and its older sibling IPaddr) hold a virtual IP: what clients connect to.</summary>
    public static bool IsVirtualIp(string agent) =>
        agent.EndsWith(":IPaddr2", StringComparison.Ordinal) || agent.EndsWith(":IPaddr", StringComparison.Ordinal);
}

/// <summary>
/// One row of "which node runs what": a primitive instance with the node it runs on and where it sits in the tree.
/// A primitive active on two nodes gives two rows; a stopped one gives one row with no node.
/// </summary>
public sealed record ResourceInstance
{
    /// <summary>The primitive's id (clone copies share it).</summary>
    public required string Id { get; init; }
    public string Agent { get; init; } = "";
    public ResourceRole Role { get; init; }
    /// <summary>Where it runs, or null when it runs nowhere.</summary>
    public string? Node { get; init; }
    public bool Failed { get; init; }
    public bool Managed { get; init; } = true;
    public bool Blocked { get; init; }
    /// <summary>The group it belongs to (for a cloned group, the instance name such as "grp:1").</summary>
    public string? Group { get; init; }
    public string? CloneSet { get; init; }
    public string? Bundle { get; init; }
    public string? Replica { get; init; }

    public bool IsRunning => Node is not null;
    public bool IsVirtualIp => ResourceAgents.IsVirtualIp(Agent);

    /// <summary>The top of the tree it belongs to: its bundle, clone, group, or itself.</summary>
    public string TopLevelId => Bundle ?? CloneSet ?? Group ?? Id;

    internal static ValueList<ResourceInstance> Flatten(ValueList<ClusterResource> resources)
    {
        var rows = new List<ResourceInstance>(resources.Count);
        foreach (var resource in resources)
            Add(rows, resource, group: null, clone: null, bundle: null, replica: null);
        return rows.ToValueList();
    }

    private static void Add(List<ResourceInstance> rows, ClusterResource resource,
        string? group, string? clone, string? bundle, string? replica)
    {
        switch (resource)
        {
            case PrimitiveResource primitive:
                var template = new ResourceInstance
                {
                    Id = primitive.Id, Agent = primitive.Agent, Role = primitive.Role, Failed = primitive.Failed,
                    Managed = primitive.Managed, Blocked = primitive.Blocked,
                    Group = group, CloneSet = clone, Bundle = bundle, Replica = replica,
                };
                if (primitive.Nodes.Count == 0) rows.Add(template);
                foreach (var node in primitive.Nodes) rows.Add(template with { Node = node });
                break;
            case ResourceGroup g:
                foreach (var member in g.Members) Add(rows, member, g.Id, clone, bundle, replica);
                break;
            case CloneSet c:
                foreach (var instance in c.Instances) Add(rows, instance, group, c.Id, bundle, replica);
                break;
            case ResourceBundle b:
                foreach (var r in b.Replicas)
                    foreach (var member in r.Resources) Add(rows, member, group, clone, b.Id, r.Id);
                break;
        }
    }
}
