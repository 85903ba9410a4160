using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Operations;

/// <summary>Which command-line tools an operation runs with: pcs, or Pacemaker's own crm_* tools (present on every node).</summary>
public enum OperationTool { Pcs, Pacemaker }

/// <summary>
/// Something an operator does to a running cluster: what it is in the admin's words (for the confirmation dialog and
/// the audit log), the one argv that does it, and whether it makes sense against the cluster as it is now.
/// </summary>
public abstract record ClusterOperation
{
    /// <summary>A short stable name, e.g. "node-standby": the audit action is "operation." + this.</summary>
    public abstract string Kind { get; }

    /// <summary>What it does, e.g. "Put node2 in standby".</summary>
    public abstract string Summary { get; }

    /// <summary>What follows from it, for the admin to read before confirming.</summary>
    public abstract string Consequence { get; }

    /// <summary>The confirmation dialog's text and the audit line's detail.</summary>
    public string Description => $"{Summary}. {Consequence}";

    /// <summary>The command that does it, as an argument list for <c>ShellCommand.Join</c>.</summary>
    public abstract IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs);

    /// <summary>Whether <paramref name="node"/> may run it (any node by default).</summary>
    public virtual bool MayRunOn(ClusterState state, string node) => true;

    /// <summary>A question asked first on the node that will run it, whose answer may refuse it; null when there is none.</summary>
    public virtual OperationCheck? Precheck => null;

    /// <summary>Everything wrong with it: its names first (by the input rules), then against <paramref name="state"/>.</summary>
    public IReadOnlyList<ValidationError> Check(ClusterState state)
    {
        var wrong = Errors(Rules());
        return wrong.Count > 0 ? wrong : Errors(Against(state));
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming each field that breaks the input rules: before anything is looked up.</summary>
    public void EnsureWellFormed()
    {
        var wrong = Errors(Rules());
        if (wrong.Count > 0) throw new InvalidInputException(wrong);
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming each wrong field, unless it can run against <paramref name="state"/>.</summary>
    public void Ensure(ClusterState state)
    {
        var wrong = Check(state);
        if (wrong.Count > 0) throw new InvalidInputException(wrong);
    }

    /// <summary>The input rules its names must meet before anything is looked up.</summary>
    protected abstract IEnumerable<(string Field, string? Message)> Rules();

    /// <summary>What the current state says against it: the node or resource is unknown, cannot take it, …</summary>
    protected abstract IEnumerable<(string Field, string? Message)> Against(ClusterState state);

    private static List<ValidationError> Errors(IEnumerable<(string Field, string? Message)> results) =>
        [.. results.Where(r => r.Message is not null).Select(r => new ValidationError(r.Field, r.Message!))];

    /// <summary>A cluster node name: a DNS label as the inventory names nodes, or a host name as some clusters do.</summary>
    protected static string? NodeName(string? value) =>
        InputRules.Name(value) is { } wrong && InputRules.HostAddress(value) is not null ? wrong : null;

    protected static string? KnownNode(ClusterState state, string node) =>
        state.Node(node) is null ? $"'{node}' is not a node of this cluster (its nodes: {Names(state.Nodes.Select(n => n.Name))})" : null;

    protected static string? KnownResource(ClusterState state, string resource) =>
        ClusterResources.Ids(state).Contains(resource) ? null : $"'{resource}' is not a resource of this cluster";

    protected static string Names(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";
}

/// <summary>
/// A node attribute that pcs switches with "pcs node X NODE" / "pcs node unX NODE" and Pacemaker reads as on/off:
/// standby and maintenance.
/// </summary>
public abstract record NodeSwitch(string Node, bool On, string Attribute) : ClusterOperation
{
    public override string Kind => On ? $"node-{Attribute}" : $"node-un{Attribute}";

    public override IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs) => tool == OperationTool.Pcs
        ? ["pcs", "node", On ? Attribute : "un" + Attribute, Node]
        : ["crm_attribute", "--node", Node, "--name", Attribute, "--update", On ? "on" : "off"];

    protected override IEnumerable<(string Field, string? Message)> Rules() => [("node", NodeName(Node))];
    protected override IEnumerable<(string Field, string? Message)> Against(ClusterState state) => [("node", KnownNode(state, Node))];
}

/// <summary>Puts a node in standby (its resources move away, it stays a member) or takes it out again.</summary>
public sealed record SetNodeStandby(string Node, bool On) : NodeSwitch(Node, On, "standby")
{
    public override string Summary => On ? $"Put {Node} in standby" : $"Take {Node} out of standby";
    public override string Consequence => On
        ? $"Every resource running on {Node} stops there and starts on another node (clients of its virtual IPs lose service for a moment); nothing runs on {Node} until it is taken out of standby. It stays a cluster member."
        : $"Resources may run on {Node} again; Pacemaker moves back the ones whose placement prefers it.";
}

/// <summary>Maintenance for one node: Pacemaker leaves its resources as they are, unmanaged and unmonitored.</summary>
public sealed record SetNodeMaintenance(string Node, bool On) : NodeSwitch(Node, On, "maintenance")
{
    public override string Summary => On ? $"Put {Node} in maintenance mode" : $"Take {Node} out of maintenance mode";
    public override string Consequence => On
        ? $"Pacemaker stops managing and monitoring the resources on {Node}: they keep running as they are, and nothing fails over from {Node} until maintenance ends."
        : $"Pacemaker manages the resources on {Node} again: it checks them and starts, stops or moves them as the configuration says.";
}

/// <summary>Maintenance for the whole cluster (the maintenance-mode property).</summary>
public sealed record SetClusterMaintenance(bool On) : ClusterOperation
{
    public override string Kind => On ? "cluster-maintenance" : "cluster-unmaintenance";
    public override string Summary => On ? "Put the whole cluster in maintenance mode" : "Take the cluster out of maintenance mode";
    public override string Consequence => On
        ? "Pacemaker stops managing every resource on every node: they keep running as they are, and nothing is started, stopped, monitored or failed over until maintenance ends."
        : "Pacemaker manages every resource again: it checks them and starts, stops or moves them as the configuration says.";

    public override IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs) => tool == OperationTool.Pcs
        ? ["pcs", "property", "set", $"maintenance-mode={(On ? "true" : "false")}"]
        : ["crm_attribute", "--type", "crm_config", "--name", "maintenance-mode", "--update", On ? "true" : "false"];

    protected override IEnumerable<(string Field, string? Message)> Rules() => [];
    protected override IEnumerable<(string Field, string? Message)> Against(ClusterState state) => [];
}

/// <summary>Moves a resource (or group) to a node, where a location constraint keeps it until the move is cleared.</summary>
public sealed record MoveResource(string Resource, string Node) : ClusterOperation
{
    public override string Kind => "resource-move";
    public override string Summary => $"Move {Resource} to {Node}";
    public override string Consequence =>
        $"Pacemaker stops {Resource} where it runs and starts it on {Node} (its clients lose service for a moment). " +
        $"A location constraint keeps it on {Node} until the move is cleared.";

    // pcs 0.11's plain "move" deletes its constraint once the resource has moved, and a VIP's placement scores would pull it back.
    public override IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs) => tool == OperationTool.Pcs
        ? ["pcs", "resource", "move-with-constraint", Resource, Node]
        : ["crm_resource", "--move", "--resource", Resource, "--node", Node];

    protected override IEnumerable<(string Field, string? Message)> Rules() =>
        [("resource", InputRules.ResourceId(Resource)), ("node", NodeName(Node))];

    protected override IEnumerable<(string Field, string? Message)> Against(ClusterState state)
    {
        if (KnownResource(state, Resource) is { } unknown) return [("resource", unknown)];
        var instances = ClusterResources.InstancesOf(state, Resource);
        if (instances.Any(i => i.CloneSet is not null || i.Bundle is not null))
            return [("resource", $"{Resource} is a clone or bundle that runs on several nodes: there is no one place to move it to")];
        if (instances.FirstOrDefault(i => i.Group is not null && i.Group != Resource) is { } member)
            return [("resource", $"{Resource} is part of the group {member.Group}: move the group instead")];
        var node = state.Node(Node);
        if (node is null) return [("node", KnownNode(state, Node))];
        if (node.Status != NodeStatus.Online)
            return [("node", $"{Node} is {node.Status.ToString().ToLowerInvariant()}: resources cannot be moved to it now")];
        return instances.Count > 0 && instances.All(i => i.Node == Node)
            ? [("node", $"{Resource} already runs on {Node}")]
            : [];
    }
}

/// <summary>Removes the constraints a move (or ban) left on a resource, so its usual placement applies again.</summary>
public sealed record ClearMove(string Resource) : ClusterOperation
{
    public override string Kind => "resource-clear";
    public override string Summary => $"Clear the move of {Resource}";
    public override string Consequence =>
        $"The location constraints that a move or ban left on {Resource} are removed; Pacemaker may then move it back to where its placement prefers.";

    public override IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs) => tool == OperationTool.Pcs
        ? ["pcs", "resource", "clear", Resource]
        : ["crm_resource", "--clear", "--resource", Resource];

    protected override IEnumerable<(string Field, string? Message)> Rules() => [("resource", InputRules.ResourceId(Resource))];
    protected override IEnumerable<(string Field, string? Message)> Against(ClusterState state) => [("resource", KnownResource(state, Resource))];
}

/// <summary>Makes Pacemaker forget a resource's failures (on one node, or everywhere) and look at it afresh.</summary>
public sealed record CleanupResource(string Resource, string? Node = null) : ClusterOperation
{
    public override string Kind => "resource-cleanup";
    public override string Summary => Node is null ? $"Clean up the failures of {Resource}" : $"Clean up the failures of {Resource} on {Node}";
    public override string Consequence =>
        "Pacemaker forgets the failed operations and their fail counts and checks the resource's state again; it may then start it where the failures had kept it away.";

    public override IReadOnlyList<string> Argv(OperationTool tool = OperationTool.Pcs) => (tool, Node) switch
    {
        (OperationTool.Pcs, null) => ["pcs", "resource", "cleanup", Resource],
        (OperationTool.Pcs, { } node) => ["pcs", "resource", "cleanup", Resource, $"node={node}"],
        (_, null) => ["crm_resource", "--cleanup", "--resource", Resource],
        (_, { } node) => ["crm_resource", "--cleanup", "--resource", Resource, "--node", node],
    };

    protected override IEnumerable<(string Field, string? Message)> Rules() =>
        [("resource", InputRules.ResourceId(Resource)), ("node", Node is null ? null : NodeName(Node))];

    protected override IEnumerable<(string Field, string? Message)> Against(ClusterState state) =>
        [("resource", KnownResource(state, Resource) is { } unknown && state.Failures.All(f => ClusterResources.Base(f.Resource) != Resource) ? unknown : null),
         ("node", Node is null ? null : KnownNode(state, Node))];
}
