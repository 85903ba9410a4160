using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;

namespace StorageHa.Client.Model;

/// <summary>Whose outage a series plots: what the clients saw (the probes), or what the cluster saw (node lost → VIP started elsewhere).</summary>
public enum OutageView { Clients, Cluster }

/// <summary>One outage in a series: when its failover (or drill) started, how many seconds without service, and what it was.</summary>
public sealed record OutagePoint(DateTimeOffset At, double Seconds, string What);

/// <summary>The outages of one VIP over time, as one line: its clients' of one service, or the cluster's view of it.</summary>
/// <param name="Name">The legend's words: "10.0.0.5 SMB, clients", "10.0.0.5, cluster", "10.0.0.5 NFS, away".</param>
/// <param name="Vip">The VIP's address when it is known, else its resource id.</param>
/// <param name="Service">Null for the cluster's view (Pacemaker knows no service per VIP).</param>
public sealed record OutageSeries(string Name, string Vip, OutageView View, FileService? Service, IReadOnlyList<OutagePoint> Points);

/// <summary>
/// Outages over time, per VIP (and service): each failover's, the clients' view from the probes beside the cluster's, or
/// each drill's. One whose clients' outage is not known (the console cannot reach the VIP, or it was not served again) has
/// no point; it is counted in <see cref="NotMeasured"/> so the picture does not hide it.
/// </summary>
/// <param name="Count">How many failovers (or drills) the picture covers.</param>
public sealed record OutagePlot(IReadOnlyList<OutageSeries> Series, int Count, int NotMeasured)
{
    /// <summary>The first outage plotted and the last (equal with one).</summary>
    public DateTimeOffset? First => Series.SelectMany(s => s.Points).Select(p => (DateTimeOffset?)p.At).Min();
    public DateTimeOffset? Last => Series.SelectMany(s => s.Points).Select(p => (DateTimeOffset?)p.At).Max();

    public bool IsEmpty => Series.Count == 0;

    /// <summary>Any series from the probes: else the console probes no VIP of this cluster and only the cluster's view is known.</summary>
    public bool HasClientView => Series.Any(s => s.View == OutageView.Clients);

    /// <summary>Completed failovers, oldest first: per VIP service the clients' outage, and per VIP the cluster's.</summary>
    public static OutagePlot OfFailovers(IReadOnlyList<FailoverSummary> failovers)
    {
        var completed = failovers.Where(f => f.End is not null).OrderBy(f => f.Start).ToList();
        var clients = completed
            .SelectMany(f => f.ClientOutages.Select(o => (Failover: f, Outage: o, Seconds: ClientSeconds(o))))
            .Where(x => x.Seconds is not null)
            .GroupBy(x => (x.Outage.Vip, x.Outage.Service))
            .Select(g => new OutageSeries($"{g.Key.Vip} {ServiceName(g.Key.Service)}, clients", g.Key.Vip, OutageView.Clients, g.Key.Service,
                [.. g.Select(x => new OutagePoint(x.Failover.Start, x.Seconds!.Value, x.Failover.Trigger))]));
        var cluster = completed
            .SelectMany(f => f.Outages.Where(o => o.Outage is not null).Select(o => (Failover: f, Outage: o)))
            // The cluster names a VIP by its resource id (vip-10.0.0.5), the probes by its address: one name per VIP in the picture.
            .GroupBy(x => ResourceIds.VipAddress(x.Outage.Vip) ?? x.Outage.Vip)
            .Select(g => new OutageSeries($"{g.Key}, cluster", g.Key, OutageView.Cluster, null,
                [.. g.Select(x => new OutagePoint(x.Failover.Start, x.Outage.Outage!.Value.TotalSeconds, x.Failover.Trigger))]));
        var notMeasured = completed.Count(f => f.ClientOutages.Any(o => ClientSeconds(o) is null));
        return new OutagePlot([.. clients.Concat(cluster).OrderBy(s => s.Vip, StringComparer.Ordinal).ThenBy(s => s.View).ThenBy(s => s.Service)],
            completed.Count, notMeasured);
    }

    /// <summary>
    /// Drills that ran, oldest first: per VIP the drill moved, service and phase (away, back), the clients' outage; so the
    /// same VIP's outage is compared from drill to drill.
    /// </summary>
    public static OutagePlot OfDrills(IReadOnlyList<DrillReport> drills)
    {
        var ran = drills.Where(d => d.Outcome is DrillOutcome.Completed or DrillOutcome.Failed).OrderBy(d => d.StartedAt).ToList();
        var measured = ran
            .SelectMany(d => d.Vips.Where(v => v.Moved).SelectMany(v => v.Services.Select(s => (Drill: d, v.Vip, Result: s, Seconds: s.Outage is { } o ? ClientSeconds(o) : null))))
            .ToList();
        var series = measured.Where(x => x.Seconds is not null)
            .GroupBy(x => (x.Vip, x.Result.Service, x.Result.Phase))
            .OrderBy(g => g.Key.Vip, StringComparer.Ordinal).ThenBy(g => g.Key.Service).ThenBy(g => g.Key.Phase)
            .Select(g => new OutageSeries($"{g.Key.Vip} {ServiceName(g.Key.Service)}, {PhaseName(g.Key.Phase)}", g.Key.Vip, OutageView.Clients, g.Key.Service,
                [.. g.Select(x => new OutagePoint(x.Drill.StartedAt, x.Seconds!.Value, $"drill of {x.Drill.Target.Display}"))]));
        return new OutagePlot([.. series], ran.Count, measured.Where(x => x.Seconds is null).Select(x => x.Drill).Distinct().Count());
    }

    /// <summary>Served throughout is a real zero; an outage not ended, or not seen from here, has no value.</summary>
    private static double? ClientSeconds(ClientOutage outage) => outage.View switch
    {
        ClientView.ServedThroughout => 0,
        ClientView.Outage => outage.Outage?.TotalSeconds,
        _ => null,
    };

    public static string ServiceName(FileService service) => service == FileService.Smb ? "SMB" : "NFS";

    public static string PhaseName(DrillPhase phase) => phase == DrillPhase.Away ? "away" : "back";

    /// <summary>
    /// The time axis' labels: about six across the span the outages cover, at a round step, with the date when they span
    /// more than a day.
    /// </summary>
    public (TimeSpan Spacing, string Format) TimeLabels()
    {
        var span = First is { } from && Last is { } to ? to - from : TimeSpan.Zero;
        TimeSpan[] steps = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1),
            TimeSpan.FromHours(6), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30)];
        var spacing = steps.FirstOrDefault(s => span / s <= 6, steps[^1]);
        return (spacing, span >= TimeSpan.FromDays(1) ? "MM-dd HH:mm" : "HH:mm:ss");
    }

    /// <summary>Whole seconds between the value axis' lines: a handful of lines whether the outages last 1 s or 2 min.</summary>
    public int SecondsStep()
    {
        var most = Series.SelectMany(s => s.Points).Select(p => p.Seconds).DefaultIfEmpty(0).Max();
        return most <= 10 ? 1 : most <= 30 ? 5 : most <= 120 ? 15 : 60;
    }
}
