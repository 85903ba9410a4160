using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using StorageHa.Client.Components.Monitoring;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Model;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Monitoring;

/// <summary>How many VIPs each node holds, and which: now on the dashboard, live; before, during and after in a drill.</summary>
public sealed class VipDistributionChartTests : ConsoleTest
{
    private readonly ChannelClusterStream _stream = new();

    public VipDistributionChartTests() => Ctx.Services.AddSingleton<IClusterStateStream>(_stream);

    private static string Cell<T>(IRenderedComponent<T> host, string node, string moment) where T : Microsoft.AspNetCore.Components.IComponent =>
        host.Find($".vip-distribution-table tr[data-node={node}] td[data-moment={moment}]").TextContent.Trim();

    [Fact]
    public void Dashboard_ShowsTheVipsPerNodeNow_AndFollowsAMove()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.Equal("vip1", Cell(page, "node1", "now")), Patience);
        Assert.Equal("none", Cell(page, "node2", "now"));
        Assert.Equal([1.0, 0, 0], page.FindComponent<MudChart<double>>().Instance.ChartSeries.Single().Data.Values);

        _stream.Publish(DashboardStates.Change(1, 1, DashboardStates.State(vipOn: "node2", offline: "node1")));

        page.WaitForAssertion(() => Assert.Equal("vip1", Cell(page, "node2", "now")), Patience);
        Assert.Equal("none", Cell(page, "node1", "now"));
        Assert.Equal([0.0, 1, 0], page.FindComponent<MudChart<double>>().Instance.ChartSeries.Single().Data.Values);
    }

    [Fact]
    public void SeveralMoments_AreOneBarSeriesEach_WithTheVipsRunningNowhereNamed()
    {
        VipMoment Moment(string label, string? on) => new(label, VipDistribution.Of(DashboardStates.State(vipOn: on, offline: on is null ? "node1" : null)));

        var chart = RenderPage<VipDistributionChart>(p => p.Add(x => x.Moments, [Moment("before", "node1"), Moment("during", null), Moment("after", "node1")]));

        var series = chart.FindComponent<MudChart<double>>().Instance.ChartSeries;
        Assert.Equal(["before", "during", "after"], series.Select(s => s.Name));
        Assert.Equal([0.0, 0, 0], series[1].Data.Values);
        Assert.Equal("vip1", Cell(chart, "node1", "before"));
        Assert.Equal("none", Cell(chart, "node1", "during"));
        Assert.Equal("vip1", chart.Find(".not-running td[data-moment=during]").TextContent.Trim());
        // A bar per node and moment; only node1's before and after have a height.
        var bars = chart.FindAll("path.mud-chart-bar").Select(b => b.GetAttribute("d")!.Split(' ')).ToList();
        Assert.Equal(9, bars.Count);
        Assert.Equal(2, bars.Count(d => d[2] != d[5]));
    }
}
