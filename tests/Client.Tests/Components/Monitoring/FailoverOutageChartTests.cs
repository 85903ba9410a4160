using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using StorageHa.Client.Components.Monitoring;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Monitoring;

/// <summary>The failover history as a picture: each failover's outage over time, the clients' beside the cluster's view.</summary>
public sealed class FailoverOutageChartTests : ConsoleTest
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
    private const string Vip = "10.99.0.100";

    /// <summary>node1 lost at <paramref name="at"/>; the cluster saw the VIP out <paramref name="clusterOut"/> s; SMB clients, <paramref name="smbOut"/> s.</summary>
    private static FailoverSummary Failover(double at, double clusterOut, double? smbOut = null) =>
        new(T0.AddSeconds(at), T0.AddSeconds(at + clusterOut + 1), "node1 left the cluster", "node1",
            [new VipOutage("vip-10.99.0.100", "node1", "node2", T0.AddSeconds(at), T0.AddSeconds(at + clusterOut))], [])
        {
            ClientOutages = smbOut is { } s ? [new ClientOutage(Vip, FileService.Smb, ClientView.Outage, T0.AddSeconds(at - 1), T0.AddSeconds(at - 1 + s))] : [],
        };

    private static IReadOnlyList<ChartSeries<double>> Series(IRenderedComponent<FailoverOutageChart> chart) =>
        chart.FindComponent<MudChart<double>>().Instance.ChartSeries;

    /// <summary>The points the chart drew (each marker has an invisible twin that catches the mouse).</summary>
    private static int Markers<T>(IRenderedComponent<T> chart) where T : Microsoft.AspNetCore.Components.IComponent =>
        chart.FindAll("circle.mud-chart-point").Count(c => c.GetAttribute("opacity") != "0");

    private static string Caption(IRenderedComponent<FailoverOutageChart> chart) =>
        System.Text.RegularExpressions.Regex.Replace(chart.Find(".outage-chart-caption").TextContent, @"\s+", " ").Trim();

    [Fact]
    public void OneFailover_IsAPointPerSeries_TheClientsOutageBesideTheClustersView()
    {
        var chart = RenderPage<FailoverOutageChart>(p => p.Add(x => x.Failovers, [Failover(10, clusterOut: 0.9, smbOut: 8.6)]));

        var series = Series(chart);
        Assert.Equal(["10.99.0.100 SMB, clients", "10.99.0.100, cluster"], series.Select(s => s.Name));
        Assert.Equal([8.6], series[0].Data.Values.Select(v => Math.Round(v, 1)));
        Assert.Equal([0.9], series[1].Data.Values.Select(v => Math.Round(v, 1)));
        Assert.Equal(2, Markers(chart));
        Assert.DoesNotContain("NaN", chart.Markup);
        Assert.Contains("1 failover from 2026-12-07 01:00:10 UTC to 2026-12-07 01:00:10 UTC", Caption(chart));
    }

    [Fact]
    public void WithoutClientOutages_OnlyTheClustersViewIsPlotted_AndTheCaptionSaysWhy()
    {
        var chart = RenderPage<FailoverOutageChart>(p => p.Add(x => x.Failovers, [Failover(10, 0.9), Failover(70, 1.4)]));

        var only = Assert.Single(Series(chart));
        Assert.Equal("10.99.0.100, cluster", only.Name);
        Assert.Equal([0.9, 1.4], only.Data.Values.Select(v => Math.Round(v, 1)));
        Assert.Contains("Only the cluster's view: the console probes no VIP of this cluster.", Caption(chart));
    }

    [Fact]
    public void NoFailover_SaysSo_InsteadOfAnEmptyChart()
    {
        var chart = RenderPage<FailoverOutageChart>(p => p.Add(x => x.Failovers, []));

        Assert.Equal("No failover recorded yet: nothing to plot.", chart.Find(".no-failovers").TextContent.Trim());
        Assert.Empty(chart.FindComponents<MudChart<double>>());
    }

    [Fact]
    public void AHundredFailovers_OverThreeDays_AreEachPlotted_UnderAFewDatedLabels()
    {
        var failovers = Enumerable.Range(0, 100).Select(i => Failover(i * 2600, 0.5 + i % 3, smbOut: 4 + i % 5)).Reverse().ToList();

        var chart = RenderPage<FailoverOutageChart>(p => p.Add(x => x.Failovers, failovers));

        Assert.All(Series(chart), s => Assert.Equal(100, s.Data.Count));
        Assert.Equal(200, Markers(chart));
        var labels = chart.FindAll(".mud-charts-xaxis text").Select(t => t.TextContent).ToList();
        Assert.InRange(labels.Count, 2, 8);
        Assert.All(labels, l => Assert.Matches(@"^12-\d\d \d\d:\d\d$", l));
    }

    [Fact]
    public void HistoryPage_PlotsTheStoredFailovers_AboveTheirTable()
    {
        var history = new InMemoryHistory();
        history.Failovers.AddRange([Failover(600, 1.1, smbOut: 9.3), Failover(10, 0.9, smbOut: 8.6)]);
        Ctx.Services.AddSingleton<IClusterHistory>(history);

        var page = RenderPage<DashboardHistory>(p => p.Add(x => x.ClusterId, 3));

        page.WaitForAssertion(() => Assert.Equal("2", page.Find(".failover-outage-chart").GetAttribute("data-failovers")), Patience);
        var clients = page.FindComponent<MudChart<double>>().Instance.ChartSeries[0];
        Assert.Equal([8.6, 9.3], clients.Data.Values.Select(v => Math.Round(v, 1)));
        Assert.Equal(2, page.FindAll(".failover-history tbody tr").Count);
    }
}
