using Bunit;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Console;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>Operations on the live cluster page: confirmed first, hidden for viewers, and their result seen only through the stream.</summary>
public sealed class DashboardOperationsTests : ConsoleTest
{
    private readonly ChannelClusterStream _stream = new();

    public DashboardOperationsTests()
    {
        Ctx.Services.AddSingleton<IClusterStateStream>(_stream);
        _stream.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        ClusterOperations.State = DashboardStates.State(vipOn: "node1");
    }

    [Fact]
    public void Standby_AsksForConfirmation_NamingWhatHappensAndTheCommand_ThenRunsIt()
    {
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        OpenMenuOf(page, "node1");
        Popovers.WaitForAssertion(() => Assert.Contains("Put node1 in standby", Popovers.Markup), Patience);
        ClickMenuItem(page, "Put node1 in standby");

        DialogHost.WaitForAssertion(() =>
        {
            Assert.Contains("Put node1 in standby?", DialogHost.Markup);
            Assert.Contains("Every resource running on node1 stops there and starts on another node", DialogHost.Markup);
            Assert.Contains("The console runs: pcs node standby node1", DialogHost.Markup);
        }, Patience);
        Assert.Empty(ClusterOperations.Ran);

        Click(DialogHost, "Put node1 in standby");

        page.WaitForAssertion(() => Assert.Equal(new SetNodeStandby("node1", true), Assert.Single(ClusterOperations.Ran)), Patience);
    }

    [Fact]
    public void Cancel_RunsNothing()
    {
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        AskFromMenu(page, "node2", "Put node2 in maintenance mode");

        Click(DialogHost, "Cancel");

        DialogHost.WaitForAssertion(() => Assert.DoesNotContain("Put node2 in maintenance mode?", DialogHost.Markup), Patience);
        Assert.Empty(ClusterOperations.Ran);
    }

    [Fact]
    public void Viewer_SeesNoOperations_NorCleanUp()
    {
        SignInAs("vera", "Viewer");
        _stream.Add(DashboardStates.Snapshot(1, "lab", WithFailure(DashboardStates.State(vipOn: "node1"))));

        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".failures tbody tr")), Patience);
        Assert.Empty(page.FindAll(".node-operations"));
        Assert.Empty(page.FindAll("button.cleanup"));
        Assert.Empty(page.FindAll(".cluster-maintenance"));
    }

    [Fact]
    public void AfterStandby_ThePageStillShowsTheNodeOnline_UntilTheStreamSaysOtherwise()
    {
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        AskFromMenu(page, "node1", "Put node1 in standby");
        Click(DialogHost, "Put node1 in standby");
        page.WaitForAssertion(() => Assert.Single(ClusterOperations.Ran), Patience);

        Assert.Equal("online", page.Find("[data-node=node1] .node-status").TextContent.Trim());

        var standby = DashboardStates.State(vipOn: "node2") with
        {
            Nodes = [.. DashboardStates.State(vipOn: "node2").Nodes.Select(n => n.Name == "node1" ? n with { Standby = true } : n)],
        };
        _stream.Publish(DashboardStates.Change(1, 1, standby));

        page.WaitForAssertion(() => Assert.Equal("standby", page.Find("[data-node=node1] .node-status").TextContent.Trim()), Patience);
    }

    [Fact]
    public void FailedOperation_IsShownInASnackbar_WithTheNodesReason()
    {
        ClusterOperations.Failure = new InvalidOperationException("Put node1 in standby failed on node3: pcs node standby node1 exited with 1: Error: unable to get cib");
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        AskFromMenu(page, "node1", "Put node1 in standby");
        Click(DialogHost, "Put node1 in standby");

        Snackbars.WaitForAssertion(() => Assert.Contains("Error: unable to get cib", Snackbars.Markup), Patience);
    }

    [Fact]
    public void FailedAction_HasACleanUp_ThatCleansTheResourceOnItsNode_AfterConfirmation()
    {
        _stream.Add(DashboardStates.Snapshot(1, "lab", WithFailure(DashboardStates.State(vipOn: "node1"))));
        ClusterOperations.State = WithFailure(DashboardStates.State(vipOn: "node1"));
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("button.cleanup")), Patience);

        page.Find("button.cleanup").Click();
        DialogHost.WaitForAssertion(() => Assert.Contains("The console runs: pcs resource cleanup smbd node=node3", DialogHost.Markup), Patience);
        Click(DialogHost, "Clean up the failures of smbd on node3");

        page.WaitForAssertion(() => Assert.Equal(new CleanupResource("smbd", "node3"), Assert.Single(ClusterOperations.Ran)), Patience);
    }

    [Fact]
    public void SimulateFailure_ShowsWhatWouldMove_InATable()
    {
        ClusterOperations.Simulation = new FailureSimulation(["node1"], true, [new SimulatedMove("vip1", ["node1"], ["node2"])], ["* Move vip1 ( node1 -> node2 )"]);
        var page = RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
        OpenMenuOf(page, "node1");
        Popovers.WaitForAssertion(() => Assert.Contains("Simulate failure of node1", Popovers.Markup), Patience);
        ClickMenuItem(page, "Simulate failure of node1");

        DialogHost.WaitForAssertion(() =>
        {
            Assert.Contains("What if node1 failed?", DialogHost.Markup);
            var row = DialogHost.Find(".simulated-moves tr[data-resource=vip1]");
            Assert.Equal(["vip1", "node1", "node2"], row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        }, Patience);
        Assert.Empty(ClusterOperations.Ran);
    }

    private static ClusterState WithFailure(ClusterState state) => state with
    {
        Failures = [new ResourceFailure { OperationKey = "smbd_monitor_10000", Resource = "smbd", Node = "node3", Task = "monitor", ExitStatus = "not running", ExitReason = "smbd is not running" }],
    };

    /// <summary>Opens the node's operations menu, picks the item, and waits for its confirmation dialog.</summary>
    private void AskFromMenu(IRenderedComponent<DashboardCluster> page, string node, string item)
    {
        OpenMenuOf(page, node);
        Popovers.WaitForAssertion(() => Assert.Contains(item, Popovers.Markup), Patience);
        ClickMenuItem(page, item);
        DialogHost.WaitForAssertion(() => Assert.Contains(item + "?", DialogHost.Markup), Patience);
    }

    private static void OpenMenuOf(IRenderedComponent<DashboardCluster> page, string node) =>
        page.WaitForAssertion(() => page.Find($"[data-node={node}] .node-operations button").Click(), Patience);

    private void ClickMenuItem(IRenderedComponent<DashboardCluster> page, string text)
    {
        _ = page;
        Popovers.WaitForAssertion(() => Popovers.FindAll(".mud-menu-item").Single(i => i.TextContent.Trim() == text).Click(), Patience);
    }
}
