using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>
/// The clients' side on the dashboard: each VIP's SMB and NFS as the console's probes see them now, and in each failover
/// the clients' outage beside the cluster's view of it.
/// </summary>
public sealed class DashboardServingTests : ConsoleTest
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);
    private const string Vip = "10.99.0.100";
    private readonly ChannelClusterStream _stream = new();

    public DashboardServingTests() => Ctx.Services.AddSingleton<IClusterStateStream>(_stream);

    private static ServiceTransition Served(FileService service, double at = 0) => new(Vip, service, ServingState.Served, T0.AddSeconds(at));

    [Fact]
    public void ServingPanel_ShowsEachVipServiceServed_ThenNotServedWithWhy_AsTheProbesChange()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")) with { Serving = [Served(FileService.Smb), Served(FileService.Nfs)] });
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.Equal(["Smb Served", "Nfs Served"], Chips(page)), Patience);
        Assert.Contains($"Smb {Vip}: served", page.Find("[data-service=Smb]").TextContent);

        _stream.Publish(DashboardStates.Change(1, 1, null) with
        {
            Serving = [new ServiceTransition(Vip, FileService.Smb, ServingState.NotServed, T0.AddSeconds(10.1), "no answer within 1.0 s"), Served(FileService.Nfs)],
        });

        page.WaitForAssertion(() => Assert.Equal(["Smb NotServed", "Nfs Served"], Chips(page)), Patience);
        Assert.Equal($"Smb {Vip}: not served (no answer within 1.0 s)", page.Find("[data-service=Smb]").TextContent.Trim());
    }

    [Fact]
    public void ServingPanel_SaysWhenTheConsoleCannotReachAVip_AndIsAbsentWhenNothingIsProbed()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.Contains("vip1", page.Markup), Patience);
        Assert.Empty(page.FindAll(".serving-panel"));

        _stream.Publish(DashboardStates.Change(1, 1, null) with
        {
            Serving = [new ServiceTransition(Vip, FileService.Nfs, ServingState.Unreachable, T0, "the console has no route to its network")],
        });
        page.WaitForAssertion(() => Assert.Contains($"Nfs {Vip}: cannot reach from the console (the console has no route to its network)", page.Find(".serving-panel").TextContent), Patience);
    }

    [Fact]
    public void Timeline_ShowsACompletedFailoverMeasuring_ThenTheClientsOutageBesideTheClustersView()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")) with { Serving = [Served(FileService.Smb)] });
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        var done = new FailoverSummary(T0.AddSeconds(13.2), T0.AddSeconds(14.0), "node1 left the cluster", "node1",
            [new VipOutage("vip1", "node1", "node2", T0.AddSeconds(13.2), T0.AddSeconds(14.0))], []);
        _stream.Publish(DashboardStates.Change(1, 1, DashboardStates.State(vipOn: "node2", offline: "node1")) with { Completed = done });
        page.WaitForAssertion(() => Assert.Contains("clients: measuring", page.Find(".failover-timeline").TextContent), Patience);

        var revised = done with
        {
            ClientOutages = [new ClientOutage(Vip, FileService.Smb, ClientView.Outage, T0.AddSeconds(10.1), T0.AddSeconds(18.7), "no answer within 1.0 s")],
        };
        _stream.Publish(DashboardStates.Change(1, 2, null) with { Revised = revised });

        page.WaitForAssertion(() =>
        {
            Assert.DoesNotContain("measuring", page.Find(".failover-timeline").TextContent);
            Assert.Contains("vip1: node1 → node2 · 0.8 s without service", page.Find(".vip-outage").TextContent);
            Assert.Equal($"clients of Smb through {Vip}: 8.6 s without service (first failed probe 01:00:10.1 → served 01:00:18.7)",
                page.Find(".client-outage").TextContent.Trim());
        }, Patience);
    }

    [Fact]
    public void Timeline_SaysWhenClientsWereServedThroughout_OrAreNotServedAgainYet()
    {
        var failover = new FailoverSummary(T0, T0.AddSeconds(5), "node3 left the cluster", "node3", [], [])
        {
            Id = 7,
            ClientOutages =
            [
                new ClientOutage(Vip, FileService.Smb, ClientView.ServedThroughout),
                new ClientOutage(Vip, FileService.Nfs, ClientView.Outage, T0.AddSeconds(1.25)),
            ],
        };
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")) with { RecentFailovers = [failover] });
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".client-outage").Count), Patience);
        Assert.Equal($"clients of Smb through {Vip}: served throughout", page.Find(".client-outage[data-service=Smb]").TextContent.Trim());
        Assert.Equal($"clients of Nfs through {Vip}: not served since 01:00:01.3, not served again yet", page.Find(".client-outage[data-service=Nfs]").TextContent.Trim());
    }

    private static List<string> Chips(IRenderedComponent<DashboardCluster> page) =>
        [.. page.FindAll(".vip-serving").Select(e => $"{e.GetAttribute("data-service")} {e.GetAttribute("data-state")}")];
}
