using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Drills;

/// <summary>One phase as the runner ran it: when it ran the command (and on which node), and when it saw the phase settle.</summary>
public sealed record DrillPhaseRun(DrillPhase Phase, DateTimeOffset AskedAt, string? RanOn = null, DateTimeOffset? SettledAt = null);

/// <summary>
/// What the console saw during a drill, as typed inputs: the phases run, the cluster's events, every probed VIP service's
/// series and the probes' held connections that ended, and each VIP's placement before, during (after the away phase) and after.
/// </summary>
/// <param name="Until">The drill's end, or now while it runs.</param>
public sealed record DrillObservations(
    IReadOnlyList<DrillPhaseRun> Phases,
    IReadOnlyList<ClusterEvent> Events,
    IReadOnlyList<ServiceTransition> Series,
    IReadOnlyList<HeldConnectionEnd> ConnectionEnds,
    IReadOnlyDictionary<string, string?> Before,
    IReadOnlyDictionary<string, string?> During,
    IReadOnlyDictionary<string, string?> After,
    DateTimeOffset Until);

/// <summary>Computes a drill's stages and its per-VIP results from what the console saw: pure, so the same inputs give the same report.</summary>
public static class DrillAnalysis
{
    /// <summary><paramref name="report"/> with its stages and VIP results computed from <paramref name="seen"/>.</summary>
    public static DrillReport Compute(DrillReport report, DrillObservations seen)
    {
        var vips = seen.Before.Keys.Concat(seen.Series.Select(t => t.Vip)).Distinct().Order(StringComparer.Ordinal).ToList();
        var byResource = new Dictionary<string, (string Vip, bool Tickle)>(StringComparer.Ordinal);
        foreach (var vip in vips)
        {
            byResource[ResourceIds.Vip(vip)] = (vip, false);
            byResource[ResourceIds.Tickle(vip)] = (vip, true);
        }
        var phases = seen.Phases.OrderBy(p => p.AskedAt).ToList();
        var stages = new List<DrillStage>();
        var results = vips.ToDictionary(v => v, _ => new List<DrillServiceResult>());
        for (var i = 0; i < phases.Count; i++)
        {
            var phase = phases[i];
            // A phase owns what happened from its command until the next phase's: the runner starts that only once this one settled.
            var until = i + 1 < phases.Count ? phases[i + 1].AskedAt : seen.Until;
            stages.Add(new DrillStage(phase.Phase, DrillStageKind.Asked, phase.AskedAt, Node: phase.RanOn));
            foreach (var e in seen.Events.OfType<ResourceEvent>().Where(e => e.At >= phase.AskedAt && e.At < until))
                if (byResource.TryGetValue(e.Resource, out var of))
                    stages.AddRange(Stages(phase.Phase, e, of.Vip, of.Tickle));
            foreach (var vip in vips)
                foreach (var service in seen.Series.Where(t => t.Vip == vip).Select(t => t.Service).Distinct().Order())
                {
                    var series = seen.Series.Where(t => t.Vip == vip && t.Service == service).OrderBy(t => t.At).ToList();
                    var outage = ClientOutage.From(series, phase.AskedAt, until);
                    var end = seen.ConnectionEnds.Where(c => c.Vip == vip && c.Service == service && c.At >= phase.AskedAt && c.At < until)
                        .MinBy(c => c.At);
                    results[vip].Add(new DrillServiceResult(phase.Phase, service, outage, Effect(end), end?.Reason));
                    if (outage?.ServedAt is { } served && served < until)
                        stages.Add(new DrillStage(phase.Phase, DrillStageKind.Served, served, vip, Service: service));
                }
            if (phase.SettledAt is { } settled) stages.Add(new DrillStage(phase.Phase, DrillStageKind.Settled, settled));
        }
        return report with
        {
            Stages = [.. stages.OrderBy(s => s.At).ThenBy(s => s.Kind)],
            Vips = [.. vips.Select(v => new DrillVipResult(v, seen.Before.GetValueOrDefault(v), seen.During.GetValueOrDefault(v),
                seen.After.GetValueOrDefault(v), results[v]))],
        };
    }

    /// <summary>Each VIP's node in <paramref name="state"/> (null when it runs nowhere), by address.</summary>
    public static IReadOnlyDictionary<string, string?> Placement(ClusterState state, IEnumerable<string> vips) =>
        vips.Distinct().ToDictionary(v => v, v => state.WhereRuns(ResourceIds.Vip(v)), StringComparer.Ordinal);

    private static IEnumerable<DrillStage> Stages(DrillPhase phase, ResourceEvent e, string vip, bool tickle) => (e, tickle) switch
    {
        (ResourceMoved m, false) => [new(phase, DrillStageKind.Stopped, m.At, vip, m.From), new(phase, DrillStageKind.Started, m.At, vip, m.To)],
        (ResourceStopped s, false) => [new(phase, DrillStageKind.Stopped, s.At, vip, s.Node)],
        (ResourceStarted s, false) => [new(phase, DrillStageKind.Started, s.At, vip, s.Node)],
        (ResourceMoved m, true) => [new(phase, DrillStageKind.TickleStarted, m.At, vip, m.To)],
        (ResourceStarted s, true) => [new(phase, DrillStageKind.TickleStarted, s.At, vip, s.Node)],
        _ => [],
    };

    private static TickleEffect Effect(HeldConnectionEnd? end) => end?.How switch
    {
        ConnectionEnd.Reset => TickleEffect.Reset,
        ConnectionEnd.Closed => TickleEffect.Closed,
        ConnectionEnd.TimedOut => TickleEffect.Waited,
        _ => TickleEffect.NotSeen,
    };
}
