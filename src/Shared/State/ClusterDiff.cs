namespace StorageHa.Shared.State;

/// <summary>
/// Turns two successive snapshots into typed events, in cause-then-effect order: quorum and DC, nodes leaving,
/// fencing, failures, resources stopping, moving and starting, nodes joining, quorum regained.
/// </summary>
public static class ClusterDiff
{
    /// <summary>The changes from <paramref name="previous"/> to <paramref name="current"/>; none for the first snapshot.</summary>
    public static IReadOnlyList<ClusterEvent> Between(ClusterState? previous, ClusterState current, DateTimeOffset at)
    {
        if (previous is null) return [];
        var events = new List<ClusterEvent>();
        var (before, after) = (previous.Summary, current.Summary);

        if (before.HasQuorum && !after.HasQuorum) events.Add(new QuorumLost(at));
        if (before.DcName != after.DcName) events.Add(new DcChanged(at, before.DcName, after.DcName));

        var oldNodes = previous.Nodes.ToDictionary(node => node.Name, StringComparer.Ordinal);
        var newNodes = current.Nodes.ToDictionary(node => node.Name, StringComparer.Ordinal);
        foreach (var node in previous.Nodes)
            if (node.Online && !(newNodes.TryGetValue(node.Name, out var now) && now.Online))
                events.Add(new NodeLeft(at, node.Name));
        foreach (var node in current.Nodes)
            if (oldNodes.TryGetValue(node.Name, out var was) && was.Standby != node.Standby)
                events.Add(node.Standby ? new NodeStandby(at, node.Name) : new NodeUnstandby(at, node.Name));

        var oldFences = previous.FenceHistory.Select(f => f.Entry()).ToHashSet();
        foreach (var fence in current.FenceHistory)
            if (!oldFences.Contains(fence.Entry())) events.Add(new FencingEvent(at, fence));

        var oldFailures = previous.Failures.ToHashSet();
        foreach (var failure in current.Failures)
            if (!oldFailures.Contains(failure))
                events.Add(new ResourceFailed(at, failure.Resource, AgentOf(failure.Resource, current, previous),
                    failure.Node, failure));

        AddPlacementChanges(events, previous, current, at);

        foreach (var node in current.Nodes)
            if (node.Online && !(oldNodes.TryGetValue(node.Name, out var was) && was.Online))
                events.Add(new NodeJoined(at, node.Name));
        if (!before.HasQuorum && after.HasQuorum) events.Add(new QuorumRegained(at));
        return events;
    }

    // Clone copies share an id, so a resource is compared as the multiset of nodes it runs on: a node it left and
    // a node it reached pair up as a move, the rest are plain stops and starts.
    private static void AddPlacementChanges(List<ClusterEvent> events, ClusterState previous, ClusterState current,
        DateTimeOffset at)
    {
        var before = Placements(previous);
        var after = Placements(current);
        var stopped = new List<ClusterEvent>();
        var moved = new List<ClusterEvent>();
        var roles = new List<ClusterEvent>();
        var started = new List<ClusterEvent>();
        foreach (var key in after.Keys.Concat(before.Keys).Distinct())
        {
            var was = before.GetValueOrDefault(key) ?? Placement.None;
            var now = after.GetValueOrDefault(key) ?? Placement.None;
            var agent = now.Agent ?? was.Agent ?? "";
            var left = Except(was.Nodes, now.Nodes);
            var reached = Except(now.Nodes, was.Nodes);
            var pairs = Math.Min(left.Count, reached.Count);
            for (var i = 0; i < pairs; i++)
                moved.Add(new ResourceMoved(at, key.Id, agent, left[i].Node, reached[i].Node));
            foreach (var (node, _) in left.Skip(pairs)) stopped.Add(new ResourceStopped(at, key.Id, agent, node));
            foreach (var (node, _) in reached.Skip(pairs)) started.Add(new ResourceStarted(at, key.Id, agent, node));
            foreach (var (node, role) in now.Nodes)
                if (was.Nodes.FirstOrDefault(n => n.Node == node) is { Node: not null } old && old.Role != role)
                    roles.Add(new ResourceRoleChanged(at, key.Id, agent, node, old.Role, role));
        }
        events.AddRange(stopped);
        events.AddRange(moved);
        events.AddRange(roles);
        events.AddRange(started);
    }

    private static List<(string Node, ResourceRole Role)> Except(
        List<(string Node, ResourceRole Role)> from, List<(string Node, ResourceRole Role)> remove)
    {
        var rest = new List<(string Node, ResourceRole Role)>(from.Count);
        var remaining = remove.Select(r => r.Node).ToList();
        foreach (var item in from)
            if (!remaining.Remove(item.Node)) rest.Add(item);
        return rest;
    }

    private readonly record struct PlacementKey(string? Parent, string Id);

    private sealed record Placement(string? Agent, List<(string Node, ResourceRole Role)> Nodes)
    {
        public static readonly Placement None = new(null, []);
    }

    private static Dictionary<PlacementKey, Placement> Placements(ClusterState state)
    {
        var placements = new Dictionary<PlacementKey, Placement>();
        foreach (var instance in state.Instances)
        {
            // A cloned group's copies are named grp:0, grp:1…; the clone is what stays the same.
            var key = new PlacementKey(instance.Bundle ?? instance.CloneSet ?? instance.Group, instance.Id);
            if (!placements.TryGetValue(key, out var placement))
                placements[key] = placement = new Placement(instance.Agent, []);
            if (instance.Node is { } node) placement.Nodes.Add((node, instance.Role));
        }
        return placements;
    }

    private static string AgentOf(string resource, ClusterState current, ClusterState previous) =>
        (current.Instances.FirstOrDefault(i => i.Id == resource)
         ?? previous.Instances.FirstOrDefault(i => i.Id == resource))?.Agent ?? "";
}
