using StorageHa.Shared.Console;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;

namespace StorageHa.Client.Model;

/// <summary>Whose outage a series plots: what the clients saw (the probes), or what the cluster saw (node lost → VIP started elsewhere).</summary>
public enum OutageView { Clients, Cluster }

/// <summary>One failover's outage in one series: when the failover started, and how many seconds the VIP (service) was without service.</summary>
public sealed record OutagePoint(DateTimeOffset FailoverStart, double Seconds, string Trigger);

/// <summary>
/// The outages of one VIP over the failovers: its clients' outage of one service (SMB or NFS), or the cluster's view of
/// the VIP (no service per VIP in Pacemaker's eyes).
/// </summary>
/// <param name="Vip">The VIP's address when it is known, else its resource id.</param>
/// <param name="Service">Null for the cluster's view.</param>
public sealed record OutageSeries(string Vip, OutageView View, FileService? Service, IReadOnlyList<OutagePoint> Points)
{
    /// <summary>The legend's words: "10.0.0.5 SMB, clients" or "10.0.0.5, cluster".</summary>
    public string Name => View == OutageView.Clients ? $"{Vip} {ServiceName(Service!.Value)}, clients" : $"{Vip}, cluster";

    public static string ServiceName(FileService service) => service == FileService.Smb ? "SMB" : "NFS";
}

/// <summary>
/// The picture of the failover history: per VIP (and service), each failover's outage over time, the clients' view from the
/// probes beside the cluster's. A failover whose clients' outage is not known (the console cannot reach the VIP, or it has
/// not been served again) has no client point; it is counted in <see cref="NotMeasured"/> so the picture does not hide it.
/// </summary>
public sealed record FailoverOutagePlot(IReadOnlyList<OutageSeries> Series, int Failovers, int NotMeasured)
{
    /// <summary>The first failover plotted and the last (equal with one failover).</summary>
    public DateTimeOffset? First => Series.SelectMany(s => s.Points).Select(p => (DateTimeOffset?)p.FailoverStart).Min();
    public DateTimeOffset? Last => Series.SelectMany(s => s.Points).Select(p => (DateTimeOffset?)p.FailoverStart).Max();

    public bool IsEmpty => Series.Count == 0;

    /// <summary>Any series from the probes: else the console probes no VIP of this cluster and only the cluster's view is known.</summary>
    public bool HasClientView => Series.Any(s => s.View == OutageView.Clients);

    public static FailoverOutagePlot Of(IReadOnlyList<FailoverSummary> failovers)
    {
        var completed = failovers.Where(f => f.End is not null).OrderBy(f => f.Start).ToList();
        var clients = completed
            .SelectMany(f => f.ClientOutages.Select(o => (Failover: f, Outage: o, Seconds: ClientSeconds(o))))
            .Where(x => x.Seconds is not null)
            .GroupBy(x => (x.Outage.Vip, x.Outage.Service))
            .Select(g => new OutageSeries(g.Key.Vip, OutageView.Clients, g.Key.Service,
                [.. g.Select(x => new OutagePoint(x.Failover.Start, x.Seconds!.Value, x.Failover.Trigger))]));
        var cluster = completed
            .SelectMany(f => f.Outages.Where(o => o.Outage is not null).Select(o => (Failover: f, Outage: o)))
            // The cluster names a VIP by its resource id (vip-10.0.0.5), the probes by its address: one name per VIP in the picture.
            .GroupBy(x => ResourceIds.VipAddress(x.Outage.Vip) ?? x.Outage.Vip)
            .Select(g => new OutageSeries(g.Key, OutageView.Cluster, null,
                [.. g.Select(x => new OutagePoint(x.Failover.Start, x.Outage.Outage!.Value.TotalSeconds, x.Failover.Trigger))]));
        var notMeasured = completed.Count(f => f.ClientOutages.Any(o => ClientSeconds(o) is null));
        return new FailoverOutagePlot(
            [.. clients.Concat(cluster).OrderBy(s => s.Vip, StringComparer.Ordinal).ThenBy(s => s.View).ThenBy(s => s.Service)],
            completed.Count, notMeasured);
    }

    /// <summary>Served throughout is a real zero; an outage not ended, or not seen from here, has no value.</summary>
    private static double? ClientSeconds(ClientOutage outage) => outage.View switch
    {
        ClientView.ServedThroughout => 0,
        ClientView.Outage => outage.Outage?.TotalSeconds,
        _ => null,
    };

    /// <summary>
    /// The time axis' labels: about six across the span the failovers cover, at a round step, with the date when they span
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
