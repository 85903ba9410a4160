using System.Globalization;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Serving;

namespace StorageHa.Client.Model;

/// <summary>A span on a drill's timeline: a phase, or a service's outage (with what the tickle did to a held connection).</summary>
/// <param name="To">Null while it lasts (drawn to the timeline's end).</param>
public sealed record DrillBar(DrillPhase Phase, DateTimeOffset From, DateTimeOffset? To, string Label, TickleEffect? Tickle = null);

/// <summary>One line of the timeline: the phases, a VIP's stages in the cluster, or one service's outage through a VIP.</summary>
/// <param name="Service">For a service's row; null for the phases' row and a VIP's own row.</param>
public sealed record DrillTimelineRow(string Label, string? Vip, FileService? Service, IReadOnlyList<DrillBar> Bars, IReadOnlyList<DrillStage> Marks);

/// <summary>How long each stage of a VIP's move took in one phase (null: not seen).</summary>
/// <param name="Stop">The command → the VIP stopped on its old node.</param>
/// <param name="Start">Stopped → started on its new node.</param>
/// <param name="Tickle">Started → its tickle agent started beside it (the ACKs go out as it starts).</param>
/// <param name="FirstServed">Started → the first served answer of its slowest service: when the clients had it back.</param>
public sealed record DrillStageTimes(string Vip, DrillPhase Phase, TimeSpan? Stop, TimeSpan? Start, TimeSpan? Tickle, TimeSpan? FirstServed);

/// <summary>
/// A drill report laid out in time, from its start to its end (or now while it runs): the phases, then per VIP that moved
/// its stages and each service's outage bars. Positions are fractions of the span, so any view can draw it.
/// </summary>
public sealed record DrillTimeline(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<DrillTimelineRow> Rows, IReadOnlyList<DrillStageTimes> Times)
{
    public TimeSpan Span => End - Start;

    /// <summary>Where <paramref name="at"/> falls, from 0 (the start) to 1 (the end).</summary>
    public double Position(DateTimeOffset at) => Span <= TimeSpan.Zero ? 0 : Math.Clamp((at - Start) / Span, 0, 1);

    /// <summary>The axis' marks: whole seconds after the start, about eight of them.</summary>
    public IReadOnlyList<(double Position, string Label)> Ticks()
    {
        var seconds = Math.Max(Span.TotalSeconds, 1);
        var step = new[] { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600 }.FirstOrDefault(s => seconds / s <= 8, 1200);
        return [.. Enumerable.Range(0, (int)(seconds / step) + 1).Select(i => (i * step / seconds, $"+{i * step} s"))];
    }

    /// <param name="now">Where a running drill's timeline ends.</param>
    public static DrillTimeline Of(DrillReport report, DateTimeOffset now)
    {
        var end = report.EndedAt ?? (report.Reached?.At is { } reached && reached > now ? reached : now);
        if (end <= report.StartedAt) end = report.StartedAt.AddSeconds(1);
        var asked = report.Stages.Where(s => s.Kind == DrillStageKind.Asked).OrderBy(s => s.At).ToList();
        var phases = asked.Select((a, i) => new DrillBar(a.Phase, a.At,
            report.Stages.FirstOrDefault(s => s.Phase == a.Phase && s.Kind == DrillStageKind.Settled)?.At ?? (i + 1 < asked.Count ? asked[i + 1].At : report.EndedAt),
            a.Phase == DrillPhase.Away ? "away" : "back")).ToList();
        var rows = new List<DrillTimelineRow>
        {
            new("Phases", null, null, phases, [.. report.Stages.Where(s => s.Vip is null)]),
        };
        foreach (var vip in report.Vips.Where(v => Involved(report, v)))
        {
            rows.Add(new DrillTimelineRow($"VIP {vip.Vip}", vip.Vip, null, [],
                [.. report.Stages.Where(s => s.Vip == vip.Vip && s.Kind is DrillStageKind.Stopped or DrillStageKind.Started or DrillStageKind.TickleStarted)]));
            foreach (var service in vip.Services.Select(s => s.Service).Distinct().Order())
                rows.Add(new DrillTimelineRow($"{OutagePlot.ServiceName(service)} clients", vip.Vip, service,
                    [.. vip.Services.Where(s => s.Service == service && s.Outage is { View: ClientView.Outage, NotServedAt: not null })
                        .Select(s => new DrillBar(s.Phase, s.Outage!.NotServedAt!.Value, s.Outage.ServedAt, OutageLabel(s), s.Tickle))],
                    [.. report.Stages.Where(s => s.Vip == vip.Vip && s.Service == service && s.Kind == DrillStageKind.Served)]));
        }
        return new DrillTimeline(report.StartedAt, end, rows, StageTimes(report));
    }

    /// <summary>
    /// A VIP the drill moved or whose clients lost service: while it runs, one with a stage or an outage so far (its placement
    /// during and after is not known yet).
    /// </summary>
    public static bool Involved(DrillReport report, DrillVipResult vip) =>
        report.Stages.Any(s => s.Vip == vip.Vip) || vip.Services.Any(s => s.Outage is { View: ClientView.Outage })
        || (vip.Moved && report.Outcome != DrillOutcome.Running);

    /// <summary>"8.6 s, reset" or "still without service".</summary>
    private static string OutageLabel(DrillServiceResult result) =>
        result.Outage?.Outage is { } o ? string.Create(CultureInfo.InvariantCulture, $"{o.TotalSeconds:0.0} s, {TickleText(result.Tickle)}") : "still without service";

    /// <summary>What a connected client lived through, in the admin's words.</summary>
    public static string TickleText(TickleEffect effect) => effect switch
    {
        TickleEffect.Reset => "reset",
        TickleEffect.Closed => "closed",
        TickleEffect.Waited => "waited",
        _ => "not interrupted",
    };

    private static List<DrillStageTimes> StageTimes(DrillReport report)
    {
        var times = new List<DrillStageTimes>();
        foreach (var phase in report.Stages.Where(s => s.Kind == DrillStageKind.Asked))
            foreach (var vip in report.Vips.Select(v => v.Vip))
            {
                DateTimeOffset? At(DrillStageKind kind) => report.Stages.Where(s => s.Phase == phase.Phase && s.Vip == vip && s.Kind == kind).Select(s => (DateTimeOffset?)s.At).Min();
                var (stopped, started, tickle) = (At(DrillStageKind.Stopped), At(DrillStageKind.Started), At(DrillStageKind.TickleStarted));
                if (stopped is null && started is null) continue; // this VIP did not move in this phase
                var served = report.Stages.Where(s => s.Phase == phase.Phase && s.Vip == vip && s.Kind == DrillStageKind.Served).Select(s => (DateTimeOffset?)s.At).Max();
                times.Add(new DrillStageTimes(vip, phase.Phase, stopped - phase.At, started - stopped, tickle - started, served - started));
            }
        return times;
    }
}
