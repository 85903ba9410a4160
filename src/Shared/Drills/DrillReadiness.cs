using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Drills;

/// <summary>Why a drill must not run now, by kind (so a page can group them) and in the admin's words.</summary>
public enum DrillObstacleKind
{
    StateUnknown,
    NodeNotOnline,
    ClusterMaintenance,
    NoQuorum,
    FailedActions,
    ResourceStopped,
    ServiceNotServed,
    ProbesCannotReach,
    NothingProbed,
    FailoverInProgress,
    DrillInProgress,
    Target,
}

public sealed record DrillObstacle(DrillObstacleKind Kind, string Reason);

/// <summary>
/// Whether a drill may run now: only on a healthy cluster whose every VIP service the probes see served, so the outage it
/// measures is the drill's own and the cluster can take the move. A degraded cluster is where a drill would do harm.
/// </summary>
public static class DrillReadiness
{
    /// <summary>Every reason a drill must not run now; empty when it may.</summary>
    /// <param name="state">The cluster's state as last read; null when the console has not read it.</param>
    /// <param name="serving">Each probed VIP service's state now (its latest transition).</param>
    /// <param name="failoverInProgress">The monitor sees a failover under way.</param>
    /// <param name="running">A drill of this cluster that has not ended.</param>
    /// <param name="target">The drill asked for, checked against the state as well; null to ask about the cluster alone.</param>
    public static IReadOnlyList<DrillObstacle> Check(ClusterState? state, IReadOnlyList<ServiceTransition> serving, bool failoverInProgress,
        DrillReport? running = null, DrillTarget? target = null)
    {
        var found = new List<DrillObstacle>();
        void Add(DrillObstacleKind kind, string reason) => found.Add(new DrillObstacle(kind, reason));

        if (running is not null) Add(DrillObstacleKind.DrillInProgress, $"Another drill is running ({running.Target.Display}, started by {running.StartedBy} at {running.StartedAt:HH:mm:ss} UTC).");
        if (failoverInProgress) Add(DrillObstacleKind.FailoverInProgress, "A failover is under way: wait until it has completed.");
        if (state is null)
        {
            Add(DrillObstacleKind.StateUnknown, "The console has not read the cluster's state yet.");
            return found;
        }
        if (!state.Summary.HasQuorum) Add(DrillObstacleKind.NoQuorum, "The cluster does not have quorum.");
        if (state.Summary.MaintenanceMode) Add(DrillObstacleKind.ClusterMaintenance, "The cluster is in maintenance mode: Pacemaker would not move anything.");
        foreach (var node in state.Nodes.Where(n => n.Status != NodeStatus.Online))
            Add(DrillObstacleKind.NodeNotOnline, $"{node.Name} is {node.Status.ToString().ToLowerInvariant()}: a drill needs every node online.");
        foreach (var failure in state.Failures)
            Add(DrillObstacleKind.FailedActions, $"{failure.Resource} has a failed {failure.Task ?? "action"} on {failure.Node}" +
                $"{(failure.ExitReason is { Length: > 0 } why ? $" ({why})" : "")}: clean it up first.");
        var disabled = Disabled(state);
        foreach (var stopped in state.Instances.Where(i => !i.IsRunning && !disabled.Contains(i.Id)).GroupBy(i => i.CloneSet ?? i.Id))
            Add(DrillObstacleKind.ResourceStopped, stopped.First().IsVirtualIp
                ? $"VIP {stopped.Key} is stopped: its clients are not served now."
                : $"{stopped.Key} is stopped{(stopped.Count() > 1 ? $" ({stopped.Count()} copies)" : "")}.");
        if (serving.Count == 0)
            Add(DrillObstacleKind.NothingProbed, "The console probes no VIP service of this cluster (probes are off, or it has no VIPs): a drill could measure nothing.");
        foreach (var s in serving.Where(s => s.State == ServingState.Unreachable))
            Add(DrillObstacleKind.ProbesCannotReach, $"The console cannot reach {s.Vip} to probe {s.Service}{(s.Reason is null ? "" : $" ({s.Reason})")}: a drill could not measure its outage.");
        foreach (var s in serving.Where(s => s.State == ServingState.NotServed))
            Add(DrillObstacleKind.ServiceNotServed, $"{s.Service} is not served through {s.Vip} now{(s.Reason is null ? "" : $" ({s.Reason})")}.");
        if (target is not null)
            foreach (var reason in target.Check(state)) Add(DrillObstacleKind.Target, reason);
        return found;
    }

    /// <summary>Primitives an admin stopped on purpose (target-role Stopped, a disabled group or clone): not a degradation.</summary>
    private static HashSet<string> Disabled(ClusterState state)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Add(ClusterResource resource, bool off)
        {
            switch (resource)
            {
                case PrimitiveResource p when off || p.TargetRole == ResourceRole.Stopped: ids.Add(p.Id); break;
                case ResourceGroup g: foreach (var m in g.Members) Add(m, off || g.Disabled); break;
                case CloneSet c: foreach (var i in c.Instances) Add(i, off || c.Disabled || c.TargetRole == ResourceRole.Stopped); break;
            }
        }
        foreach (var resource in state.Resources) Add(resource, false);
        return ids;
    }
}
