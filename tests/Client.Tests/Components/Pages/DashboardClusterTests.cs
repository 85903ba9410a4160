using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Console;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Pages;

public sealed class DashboardClusterTests : ConsoleTest
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly ChannelClusterStream _stream = new();

    public DashboardClusterTests() => Ctx.Services.AddSingleton<IClusterStateStream>(_stream);

    [Fact]
    public void VipChip_MovesFromTheCrashedNodesCard_ToItsNewNodesCard_WhenTheChangeArrives()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.Equal(["vip1"], VipsOn(page, "node1")), Patience);
        Assert.Empty(VipsOn(page, "node2"));

        _stream.Publish(DashboardStates.Change(1, 1, DashboardStates.State(vipOn: "node2", offline: "node1"),
            new NodeLeft(T0, "node1"),
            new ResourceMoved(T0, "vip1", "ocf:heartbeat:IPaddr2", "node1", "node2")));

        page.WaitForAssertion(() => Assert.Equal(["vip1"], VipsOn(page, "node2")), Patience);
        Assert.Empty(VipsOn(page, "node1"));
        Assert.Contains("vip-arrived", page.Find("[data-node=node2] [data-vip=vip1]").ClassName);
        Assert.Equal("offline", page.Find("[data-node=node1] .node-status").TextContent.Trim());
        Assert.Contains("node1 left the cluster", page.Find(".events").TextContent);
    }

    [Fact]
    public void Timeline_ShowsAFailoverInProgress_ThenItsDurationAndEachVipsOutage()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.Contains("No failover seen yet", page.Markup), Patience);

        var open = new FailoverSummary(T0, null, "node1 left the cluster", "node1", [new VipOutage("vip1", "node1", null, T0, null)], []);
        _stream.Publish(DashboardStates.Change(1, 1, DashboardStates.State(vipOn: null, offline: "node1")) with { InProgress = open });
        page.WaitForAssertion(() => Assert.Contains("in progress", page.Find(".failover-timeline").TextContent), Patience);

        var done = open with { End = T0.AddSeconds(12.3), Outages = [new VipOutage("vip1", "node1", "node2", T0, T0.AddSeconds(11.5))] };
        _stream.Publish(DashboardStates.Change(1, 2, DashboardStates.State(vipOn: "node2", offline: "node1")) with { Completed = done });

        page.WaitForAssertion(() =>
        {
            var timeline = page.Find(".failover-timeline").TextContent;
            Assert.DoesNotContain("in progress", timeline);
            Assert.Contains("node1 left the cluster", timeline);
            Assert.Equal("12.3 s", page.Find(".failover-duration").TextContent.Trim());
            Assert.Contains("vip1: node1 → node2 · 11.5 s without service", page.Find(".vip-outage").TextContent);
        }, Patience);
    }

    [Fact]
    public void UnreachableCluster_SaysSo_AndKeepsShowingTheLastStateRead()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));

        _stream.Publish(DashboardStates.Change(1, 1, null) with
        {
            Monitor = new MonitorStatus(MonitorHealth.Unreachable, null, "no node answered (node1: did not answer within 1.5 s)", T0),
        });

        page.WaitForAssertion(() => Assert.Contains("no node answered", page.Find(".monitor-status").TextContent), Patience);
        Assert.Equal("Unreachable", page.Find(".cluster-health").TextContent.Trim());
        Assert.Equal(["vip1"], VipsOn(page, "node1"));
    }

    [Fact]
    public void FailedAction_IsListedWithTheAgentsReason()
    {
        var failed = DashboardStates.State(vipOn: "node1") with
        {
            Failures = [new ResourceFailure { OperationKey = "vip1_monitor_5000", Resource = "vip1", Node = "node1", Task = "monitor", ExitStatus = "not running", ExitReason = "eth9 does not exist" }],
        };
        _stream.Add(DashboardStates.Snapshot(1, "lab", failed));

        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));

        page.WaitForAssertion(() => Assert.Contains("eth9 does not exist", page.Find(".failures").TextContent), Patience);
        Assert.Contains("not running", page.Find(".failures").TextContent);
    }

    private static List<string> VipsOn(IRenderedComponent<DashboardCluster> page, string node) =>
        [.. page.FindAll($"[data-node={node}] [data-vip]").Select(e => e.GetAttribute("data-vip")!)];
}
