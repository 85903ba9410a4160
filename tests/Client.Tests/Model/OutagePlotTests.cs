using StorageHa.Client.Model;
using StorageHa.Shared.Console;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Model;

public sealed class OutagePlotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private static FailoverSummary Failover(double at, params ClientOutage[] clients) =>
        new(T0.AddSeconds(at), T0.AddSeconds(at + 2), "node1 left the cluster", "node1",
            [new VipOutage("vip-10.0.0.5", "node1", "node2", T0.AddSeconds(at), T0.AddSeconds(at + 1.5)),
             new VipOutage("vip-10.0.0.6", "node1", "node3", T0.AddSeconds(at), null)], [])
        { ClientOutages = clients };

    private static ClientOutage Out(string vip, FileService service, double from, double seconds) =>
        new(vip, service, ClientView.Outage, T0.AddSeconds(from), T0.AddSeconds(from + seconds));

    [Fact]
    public void EachVipService_IsASeries_NamedByItsAddress_TheClustersViewBesideTheClients()
    {
        var plot = OutagePlot.OfFailovers([Failover(100, Out("10.0.0.5", FileService.Nfs, 99, 3.0), Out("10.0.0.5", FileService.Smb, 99, 8.5)), Failover(0, Out("10.0.0.5", FileService.Smb, -1, 8.6))]);

        Assert.Equal(["10.0.0.5 SMB, clients", "10.0.0.5 NFS, clients", "10.0.0.5, cluster"], plot.Series.Select(s => s.Name));
        // Oldest first, whatever order the history came in.
        Assert.Equal([8.6, 8.5], plot.Series[0].Points.Select(p => Math.Round(p.Seconds, 1)));
        Assert.Equal([T0, T0.AddSeconds(100)], plot.Series[0].Points.Select(p => p.At));
        Assert.Equal([1.5, 1.5], plot.Series[2].Points.Select(p => p.Seconds));
        // 10.0.0.6 never started again in the cluster's eyes: it has no point to plot.
        Assert.DoesNotContain(plot.Series, s => s.Vip == "10.0.0.6");
        Assert.Equal((T0, T0.AddSeconds(100)), (plot.First, plot.Last));
    }

    [Fact]
    public void ServedThroughout_IsZero_WhileUnknownOutagesHaveNoPoint_AndAreCounted()
    {
        var plot = OutagePlot.OfFailovers(
        [
            Failover(0, new ClientOutage("10.0.0.5", FileService.Smb, ClientView.ServedThroughout)),
            Failover(60, new ClientOutage("10.0.0.5", FileService.Smb, ClientView.CannotReach, Reason: "no route")),
            Failover(120, new ClientOutage("10.0.0.5", FileService.Smb, ClientView.Outage, T0.AddSeconds(119))),
        ]);

        var smb = plot.Series.Single(s => s.View == OutageView.Clients);
        Assert.Equal([0.0], smb.Points.Select(p => p.Seconds));
        Assert.Equal(3, plot.Count);
        Assert.Equal(2, plot.NotMeasured);
    }

    [Fact]
    public void AFailoverStillUnderWay_IsLeftOut()
    {
        var open = new FailoverSummary(T0, null, "node1 left the cluster", "node1", [new VipOutage("vip-10.0.0.5", "node1", null, T0, null)], []);

        var plot = OutagePlot.OfFailovers([open]);

        Assert.True(plot.IsEmpty);
        Assert.Equal(0, plot.Count);
    }

    [Theory]
    [InlineData(0, 60, "HH:mm:ss")]
    [InlineData(3_600 * 5, 3_600, "HH:mm:ss")]
    [InlineData(86_400 * 3, 86_400, "MM-dd HH:mm")]
    public void TheTimeAxis_HasAFewRoundLabels_DatedWhenTheFailoversSpanDays(int spanSeconds, int spacingSeconds, string format)
    {
        var plot = OutagePlot.OfFailovers([Failover(0), Failover(spanSeconds)]);

        Assert.Equal((TimeSpan.FromSeconds(spacingSeconds), format), plot.TimeLabels());
    }

    [Theory]
    [InlineData(8.6, 1)]
    [InlineData(25, 5)]
    [InlineData(95, 15)]
    [InlineData(400, 60)]
    public void TheValueAxis_StepsInWholeSeconds_ToAHandfulOfLines(double longest, int step)
    {
        var plot = OutagePlot.OfFailovers([Failover(0, Out("10.0.0.5", FileService.Smb, 0, longest))]);

        Assert.Equal(step, plot.SecondsStep());
    }
}
