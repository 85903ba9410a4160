using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Console;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Pages;

public sealed class DashboardOverviewTests : ConsoleTest
{
    private readonly ChannelClusterStream _stream = new();
    private readonly InMemoryHistory _history = new();

    public DashboardOverviewTests()
    {
        Ctx.Services.AddSingleton<IClusterStateStream>(_stream);
        Ctx.Services.AddSingleton<IClusterHistory>(_history);
    }

    [Fact]
    public void Overview_ShowsEachClustersHealth_AndFollowsItsChanges()
    {
        _stream.Add(DashboardStates.Snapshot(1, "alpha", DashboardStates.State(vipOn: "node1")));
        _stream.Add(DashboardStates.Snapshot(2, "beta", DashboardStates.State(vipOn: "node1"), MonitorHealth.Unreachable));

        var page = RenderPage<Dashboard>();

        page.WaitForAssertion(() =>
        {
            Assert.Equal("Healthy", Health(page, "alpha"));
            Assert.Equal("Unreachable", Health(page, "beta"));
        }, Patience);
        Assert.Contains("3 of 3 nodes online", page.Find("[data-cluster=alpha]").TextContent);

        _stream.Publish(DashboardStates.Change(1, 1, DashboardStates.State(vipOn: null, offline: "node1")));

        page.WaitForAssertion(() => Assert.Equal("Degraded", Health(page, "alpha")), Patience);
        Assert.Contains("2 of 3 nodes online", page.Find("[data-cluster=alpha]").TextContent);
        Assert.Contains("0 of 1 VIPs running", page.Find("[data-cluster=alpha]").TextContent);
    }

    [Fact]
    public void History_ListsPastFailovers_WithEachVipsOutage()
    {
        var start = new DateTimeOffset(2026, 11, 26, 9, 30, 0, TimeSpan.Zero);
        _history.Failovers.Add(new FailoverSummary(start, start.AddSeconds(14.2), "node2 left the cluster", "node2",
            [new VipOutage("vip1", "node2", "node3", start, start.AddSeconds(13.9)), new VipOutage("vip2", "node2", "node1", start, start.AddSeconds(14.2))], []));

        var page = RenderPage<DashboardHistory>(p => p.Add(x => x.ClusterId, 7));

        page.WaitForAssertion(() => Assert.Contains("node2 left the cluster", page.Find(".failover-history").TextContent), Patience);
        var text = page.Find(".failover-history").TextContent;
        Assert.Contains("14.2 s", text);
        Assert.Contains("vip1: node2 → node3 · 13.9 s without service", text);
        Assert.Contains("vip2: node2 → node1 · 14.2 s without service", text);
        Assert.Equal(7, _history.AskedFor);
    }

    private static string Health(IRenderedComponent<Dashboard> page, string cluster) =>
        page.Find($"[data-cluster={cluster}] .cluster-health").TextContent.Trim();
}
