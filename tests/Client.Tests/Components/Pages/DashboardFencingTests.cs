using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>
/// Fencing on the live cluster page: a node being fenced or failed to fence says so on its card, a failover shows its
/// fences, and fencing by hand or acknowledging a node off runs only with the node's name typed, after the danger is said.
/// </summary>
public sealed class DashboardFencingTests : ConsoleTest
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 20, 3, 0, TimeSpan.Zero);
    private const string FencerTimeout = "Fencing did not complete within a total timeout based on the configured timeout and retries for any devices attempted";
    private readonly ChannelClusterStream _stream = new();

    public DashboardFencingTests() => Ctx.Services.AddSingleton<IClusterStateStream>(_stream);

    private static readonly FenceAction Pending = new()
    {
        Target = "node1", Action = "reboot", Status = FenceStatus.Pending, Client = "stonith_admin.334", Origin = "node2",
    };

    private static readonly FenceAction Failed = new()
    {
        Target = "node3", Action = "reboot", Status = FenceStatus.Failed, Client = "pacemaker-controld.183", Origin = "node1",
        Delegate = "node1", Completed = "2026-12-06 20:04:39Z", ExitReason = FencerTimeout,
    };

    /// <summary>node3 crashed and the cluster could not fence it.</summary>
    private static ClusterState Node3FenceFailed()
    {
        var state = DashboardStates.State(vipOn: null, offline: "node3");
        return state with
        {
            Nodes = [.. state.Nodes.Select(n => n.Name == "node3" ? n with { Unclean = true } : n)],
            FenceHistory = [Failed],
        };
    }

    private IRenderedComponent<DashboardCluster> Show(ClusterState state, params FailoverSummary[] failovers)
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", state) with { RecentFailovers = failovers });
        ClusterOperations.State = state;
        return RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
    }

    [Fact]
    public void ANodeBeingFenced_SaysSo_NotOnline()
    {
        var page = Show(DashboardStates.State(vipOn: "node1") with { FenceHistory = [Pending] });

        page.WaitForAssertion(() => Assert.Equal("being fenced", page.Find("[data-node=node1] .node-status").TextContent.Trim()), Patience);
        Assert.Contains("reboot of node1 under way (asked by an operator on node2)", page.Find("[data-node=node1] .fence-under-way").TextContent);
        Assert.Equal("online", page.Find("[data-node=node2] .node-status").TextContent.Trim());
    }

    [Fact]
    public void ANodeWhoseFenceFailed_IsRed_WithTheReason()
    {
        var page = Show(Node3FenceFailed());

        page.WaitForAssertion(() => Assert.Equal("fence failed", page.Find("[data-node=node3] .node-status").TextContent.Trim()), Patience);
        Assert.Contains("mud-chip-color-error", page.Find("[data-node=node3] .node-status").ClassName);
        var alert = page.Find("[data-node=node3] .fence-failed");
        Assert.Contains(FencerTimeout, alert.TextContent);
        Assert.Contains("acknowledges node3 as off", alert.TextContent);
    }

    [Fact]
    public void AFailover_ShowsWhoFencedWhom_WithWhichDevice_TheResultAndItsDuration_AFailedFenceInRedWithItsReason()
    {
        // Pacemaker 2.1's history does not name the device: the page names the one the cluster's spec gives node3.
        Inventory.Settings[1] = new ClusterSettings
        {
            Fencing = new FencingSpec { Devices = [.. new[] { "node1", "node2", "node3" }.Select(n => new FenceDeviceSpec { Name = $"ipmi-{n}", Agent = "fence_ipmilan", Nodes = [n] })] },
        };
        var success = Failed with { Status = FenceStatus.Success, ExitReason = null, Delegate = "node2" };
        var failover = new FailoverSummary(T0, T0.AddSeconds(190), "node3 left the cluster", "node3",
            [new VipOutage("vip1", "node3", "node1", T0, T0.AddSeconds(190))], [])
        {
            Fences = [new FenceOutcome(Failed, T0, T0.AddSeconds(72)), new FenceOutcome(success, T0, T0.AddSeconds(80.5))],
        };

        var page = Show(DashboardStates.State(vipOn: "node1"), failover);

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".failover-timeline .fence-outcome").Count), Patience);
        var (failed, done) = (page.FindAll(".fence-outcome")[0], page.FindAll(".fence-outcome")[1]);
        Assert.Equal("failed", failed.GetAttribute("data-status"));
        Assert.Contains("mud-error-text", failed.ClassName);
        Assert.Contains($"node1 could not fence node3 (reboot, asked by the cluster on node1): {FencerTimeout} · with ipmi-node3 · 72.0 s from the node lost", failed.TextContent);
        Assert.Contains("node2 fenced node3 (reboot, asked by the cluster on node1) · with ipmi-node3 · 80.5 s from the node lost", done.TextContent);
    }

    [Fact]
    public void FenceByHand_ExplainsTheDanger_AndRunsOnlyOnceTheNodesNameIsTyped()
    {
        var page = Show(DashboardStates.State(vipOn: "node1"));
        OpenMenuOf(page, "node1");
        ClickMenuItem("Fence node1…");

        DialogHost.WaitForAssertion(() =>
        {
            Assert.Contains("Fence node1: power it off and on?", DialogHost.Markup);
            Assert.Contains("loses power at once", DialogHost.Markup);
            Assert.Contains("The console runs: stonith_admin --reboot node1 --timeout 50", DialogHost.Markup);
        }, Patience);
        ChooseRadio(DialogHost, FenceKind.Off);
        DialogHost.WaitForAssertion(() => Assert.Contains("The console runs: stonith_admin --off node1 --timeout 50", DialogHost.Markup), Patience);
        Assert.True(DialogHost.Find("button.fencing-run").HasAttribute("disabled"));
        TypeName("node");
        Assert.True(DialogHost.Find("button.fencing-run").HasAttribute("disabled"));

        TypeName("node1");
        Click(DialogHost, "Fence node1: power it off");

        page.WaitForAssertion(() => Assert.Equal(new FenceNode("node1", FenceKind.Off, "node1"), Assert.Single(ClusterOperations.Ran)), Patience);
    }

    [Fact]
    public void AcknowledgeOff_IsOfferedOnlyForANodeNotOnline_SaysWhatHappensIfItStillRuns_AndRunsOnceConfirmed()
    {
        var page = Show(Node3FenceFailed());
        OpenMenuOf(page, "node1");
        Popovers.WaitForAssertion(() => Assert.Contains("Fence node1…", Popovers.Markup), Patience);
        Assert.DoesNotContain("Acknowledge node1 is off", Popovers.Markup);
        page.Find("[data-node=node1] .node-operations button").Click();

        OpenMenuOf(page, "node3");
        ClickMenuItem("Acknowledge node3 is off…");
        DialogHost.WaitForAssertion(() =>
        {
            Assert.Contains("Acknowledge that node3 is off?", DialogHost.Markup);
            Assert.Contains("two nodes serve the same virtual IPs and write the same files at once", DialogHost.Markup);
            Assert.Contains("The console runs: stonith_admin --confirm node3", DialogHost.Markup);
        }, Patience);
        Assert.Empty(ClusterOperations.Ran);

        TypeName("node3");
        Click(DialogHost, "Acknowledge that node3 is off");

        page.WaitForAssertion(() => Assert.Equal(new AcknowledgeNodeOff("node3", "node3"), Assert.Single(ClusterOperations.Ran)), Patience);
    }

    private void TypeName(string name) =>
        DialogHost.WaitForAssertion(() => DialogHost.Find(".fencing-confirm input").Input(name), Patience);

    private static void OpenMenuOf(IRenderedComponent<DashboardCluster> page, string node) =>
        page.WaitForAssertion(() => page.Find($"[data-node={node}] .node-operations button").Click(), Patience);

    private void ClickMenuItem(string text) =>
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-menu-item").Single(i => i.TextContent.Trim() == text).Click(), Patience);
}
