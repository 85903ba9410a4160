using Bunit;
using StorageHa.Client.Tests.Shared;
using MudBlazor;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Components.Dialogs;

/// <summary>
/// Changing a running cluster from its nodes tab: a node joins, any node leaves, or the cluster is torn down — each
/// shown first as its plan and Pacemaker's simulation, and started only once the admin confirmed it.
/// </summary>
public sealed class LifecycleTests : ProvisioningTest
{
    public LifecycleTests()
    {
        // node1–3 run the cluster; node4 was added to the inventory since.
        States.Add(new ClusterSnapshot(Lab, "lab", 1, new MonitorStatus(MonitorHealth.Watching, "node1", "watching from node1", DateTimeOffset.UnixEpoch),
            new ClusterState { Nodes = [.. new[] { "node1", "node2", "node3" }.Select(n => new ClusterNode { Name = n, Online = true })] }, null, [], []));
        Provisioning.Simulations[Lab] = Simulated("node1", "node2", "node3");
    }

    private void AddNode4() => Inventory.Nodes.Add(new Node { Id = 14, ClusterId = Lab, Name = "node4", Address = "192.0.2.14", Number = 4 });

    private IRenderedComponent<ClusterPage> OpenNodes()
    {
        var page = RenderPage<ClusterPage>(p => p.Add(x => x.Id, Lab));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("table.mud-table-root tbody tr, .nodes tbody tr")), Patience);
        return page;
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<ClusterPage> page, string node) =>
        page.FindAll(".nodes tbody tr").Single(r => r.QuerySelector("td")!.TextContent.Trim() == node);

    private static AngleSharp.Dom.IElement? RowButton(IRenderedComponent<ClusterPage> page, string node, string text) =>
        Row(page, node).QuerySelectorAll("button").SingleOrDefault(b => b.TextContent.Trim() == text);

    private void OpenChange(IRenderedComponent<ClusterPage> page, string node, string text)
    {
        page.WaitForAssertion(() => RowButton(page, node, text)!.Click(), Patience);
        DialogHost.WaitForAssertion(() => Assert.NotEmpty(DialogHost.FindAll(".lifecycle-dialog .plan-step")), Patience);
    }

    [Fact]
    public void RemoveFromCluster_IsOfferedForEveryNodeOfTheCluster_TheMiddleOneToo()
    {
        var page = OpenNodes();

        page.WaitForAssertion(() => Assert.NotNull(RowButton(page, "node2", "Remove from cluster")), Patience);
        foreach (var node in new[] { "node1", "node2", "node3" })
            Assert.False(RowButton(page, node, "Remove from cluster")!.HasAttribute("disabled"));
        Assert.DoesNotContain(page.FindComponents<MudTooltip>(), t => (t.Instance.Text ?? "").StartsWith("Only", StringComparison.Ordinal));
        Assert.Null(RowButton(page, "node2", "Join to cluster"));
    }

    [Fact]
    public void Remove_OfTheMiddleNode_PreviewsAPlanWithoutBlockers_AndStartsOnceConfirmed()
    {
        var plan = Provisioning.LifecyclePlanFor(Lab, LifecycleChange.Remove(12));
        var page = OpenNodes();

        OpenChange(page, "node2", "Remove from cluster");

        Assert.Empty(plan.Blockers);
        Assert.Empty(DialogHost.FindAll(".plan-blockers"));
        Assert.Contains("Remove node2 from lab", DialogHost.Markup);
        Assert.Contains("Comment out node2 in CTDB's node list", DialogHost.Markup);
        DialogHost.Find(".lifecycle-confirmation input[type=checkbox]").Change(true);
        DialogHost.WaitForAssertion(() => Assert.False(Button(DialogHost, "Remove node2").HasAttribute("disabled")), Patience);
        Click(DialogHost, "Remove node2");

        page.WaitForAssertion(() => Assert.EndsWith("/jobs/1", CurrentUri), Patience);
        Assert.Equal(JobKind.RemoveNode, Provisioning.Jobs.Single().Kind);
        Assert.Equal(plan.Steps.Select(s => s.Id), Provisioning.Jobs.Single().Steps.Select(s => s.Id));
    }

    [Fact]
    public void JoinToCluster_IsOfferedForANodeNotYetInTheCluster()
    {
        AddNode4();

        var page = OpenNodes();

        page.WaitForAssertion(() => Assert.NotNull(RowButton(page, "node4", "Join to cluster")), Patience);
        Assert.False(RowButton(page, "node4", "Join to cluster")!.HasAttribute("disabled"));
        Assert.Null(RowButton(page, "node4", "Remove from cluster"));
        // node4 joins as node 4, after every running node: node3 can still leave, keeping node4's number.
        Assert.Contains(page.FindComponents<MudTooltip>(), t => t.Instance.Text == "Bring node4 into the running cluster as node 4");
        Assert.False(RowButton(page, "node3", "Remove from cluster")!.HasAttribute("disabled"));
    }

    [Fact]
    public void Join_IsOpenOnlyForTheNodeAddedLast_TheOtherSaysWhich()
    {
        AddNode4();
        Inventory.Nodes.Add(new Node { Id = 15, ClusterId = Lab, Name = "node5", Address = "192.0.2.15", Number = 5 });

        var page = OpenNodes();

        page.WaitForAssertion(() => Assert.NotNull(RowButton(page, "node4", "Join to cluster")), Patience);
        Assert.True(RowButton(page, "node4", "Join to cluster")!.HasAttribute("disabled"));
        Assert.False(RowButton(page, "node5", "Join to cluster")!.HasAttribute("disabled"));
        Assert.Contains(page.FindComponents<MudTooltip>(), t => (t.Instance.Text ?? "").StartsWith("Only the node added last can join (node5)", StringComparison.Ordinal));
    }

    [Fact]
    public void Join_ShowsItsPlanAndSimulation_AndStartsOnlyOnceConfirmed_ThenOpensTheJob()
    {
        AddNode4();
        var plan = Provisioning.LifecyclePlanFor(Lab, LifecycleChange.Join(14));
        var page = OpenNodes();

        OpenChange(page, "node4", "Join to cluster");

        Assert.Contains("Join node4 to lab", DialogHost.Markup);
        Assert.Equal(plan.Steps.Select(s => s.Id), DialogHost.FindAll(".lifecycle-dialog .plan-step").Select(s => s.GetAttribute("data-step")));
        Assert.Contains("Adds node4 as node 4", DialogHost.Find(".plan-warning").TextContent);
        Assert.NotNull(DialogHost.Find(".lifecycle-dialog .simulation .placement-table"));
        Assert.True(Button(DialogHost, "Join node4").HasAttribute("disabled"));
        Assert.Empty(Provisioning.Jobs);

        DialogHost.Find(".lifecycle-confirmation input[type=checkbox]").Change(true);
        DialogHost.WaitForAssertion(() => Assert.False(Button(DialogHost, "Join node4").HasAttribute("disabled")), Patience);
        Click(DialogHost, "Join node4");

        page.WaitForAssertion(() => Assert.EndsWith("/jobs/1", CurrentUri), Patience);
        var job = Provisioning.Jobs.Single();
        Assert.Equal(JobKind.AddNode, job.Kind);
        Assert.Equal(plan.Steps.Select(s => s.Id), job.Steps.Select(s => s.Id));
        Assert.Equal([LifecycleChange.Join(14)], Provisioning.PreviewsAsked);
    }

    [Fact]
    public void Remove_OfTheLastNode_PreviewsItsPlan_AndCancellingStartsNothing()
    {
        var plan = Provisioning.LifecyclePlanFor(Lab, LifecycleChange.Remove(13));
        var page = OpenNodes();

        OpenChange(page, "node3", "Remove from cluster");

        Assert.Contains("Remove node3 from lab", DialogHost.Markup);
        Assert.Equal(plan.Steps.Select(s => s.Description), DialogHost.FindAll(".lifecycle-dialog .plan-step .mud-typography-body1").Select(s => s.TextContent.Trim()));
        Assert.Contains("Put node3 in standby", DialogHost.Markup);
        Assert.True(Button(DialogHost, "Remove node3").HasAttribute("disabled"));

        Click(DialogHost, "Cancel");

        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll(".mud-dialog")), Patience);
        Assert.Empty(Provisioning.Jobs);
        Assert.DoesNotContain("/jobs/", CurrentUri);
    }

    [Fact]
    public void Teardown_NeedsTheClustersExactName_ThenStartsAndOpensTheJob()
    {
        Provisioning.Simulations[Lab] = Simulated();
        var page = OpenNodes();

        Click(page, "Tear down cluster");
        DialogHost.WaitForAssertion(() => Assert.NotEmpty(DialogHost.FindAll(".lifecycle-dialog .plan-step")), Patience);
        Assert.Contains("Tears down lab", DialogHost.Find(".plan-warning").TextContent);
        Assert.Contains("Nothing the console created runs any more.", DialogHost.Find(".nothing-runs").TextContent);

        foreach (var wrong in new[] { "Lab", "la", "lab " })
        {
            TypeName(wrong);
            DialogHost.WaitForAssertion(() => Assert.True(Button(DialogHost, "Tear down lab").HasAttribute("disabled")), Patience);
        }
        TypeName("lab");
        DialogHost.WaitForAssertion(() => Assert.False(Button(DialogHost, "Tear down lab").HasAttribute("disabled")), Patience);
        Click(DialogHost, "Tear down lab");

        page.WaitForAssertion(() => Assert.EndsWith("/jobs/1", CurrentUri), Patience);
        Assert.Equal(JobKind.Teardown, Provisioning.Jobs.Single().Kind);
    }

    [Fact]
    public void Blockers_AreShown_NoSimulationRuns_AndTheChangeCannotBeConfirmed()
    {
        Provisioning.Unprobed.Add("node2");
        var page = OpenNodes();

        OpenChangeWithBlockers(page);

        Assert.Contains("This cannot run yet", DialogHost.Find(".plan-blockers").TextContent);
        Assert.Contains("Not simulated", DialogHost.Find(".no-simulation").TextContent);
        Assert.Empty(DialogHost.FindAll(".lifecycle-confirmation"));
        Assert.True(Button(DialogHost, "Remove node3").HasAttribute("disabled"));
    }

    [Fact]
    public void APreviewTheServerCannotMake_SaysWhyInTheDialog_AndCannotStart()
    {
        Provisioning.PreviewRefusal = new InvalidInputException("plan",
            "The CIB batch fails on a copy of the live CIB at 'Remove vip-192.0.2.101': Error: unable to find resource 'vip-192.0.2.101'");
        var page = OpenNodes();

        page.WaitForAssertion(() => RowButton(page, "node3", "Remove from cluster")!.Click(), Patience);

        DialogHost.WaitForAssertion(() => Assert.Contains("unable to find resource 'vip-192.0.2.101'", DialogHost.Find(".preview-failed").TextContent), Patience);
        Assert.True(Button(DialogHost, "Remove node3").HasAttribute("disabled"));
        Assert.Empty(Provisioning.Jobs);
    }

    /// <summary>Types into the teardown's name field, which checks every keystroke.</summary>
    private void TypeName(string name) =>
        DialogHost.WaitForAssertion(() => DialogHost.Find(".lifecycle-confirmation input").Input(name), Patience);

    private void OpenChangeWithBlockers(IRenderedComponent<ClusterPage> page)
    {
        page.WaitForAssertion(() => RowButton(page, "node3", "Remove from cluster")!.Click(), Patience);
        DialogHost.WaitForAssertion(() => Assert.NotEmpty(DialogHost.FindAll(".lifecycle-dialog .plan-blockers")), Patience);
    }

    [Fact]
    public void Viewer_SeesNoJoinRemoveOrTeardown()
    {
        AddNode4();
        SignInAs("vera", "Viewer");

        var page = OpenNodes();

        Assert.False(HasButton(page, "Join to cluster"));
        Assert.False(HasButton(page, "Remove from cluster"));
        Assert.False(HasButton(page, "Tear down cluster"));
        Assert.Empty(page.FindAll(".danger-zone"));
    }

    [Fact]
    public void ClusterTheConsoleSeesNoRunning_OffersNoJoinOrRemove_AndSaysWhy()
    {
        States.Add(new ClusterSnapshot(Lab, "lab", 1, new MonitorStatus(MonitorHealth.NotConfigured, null, "no node can be reached yet", DateTimeOffset.UnixEpoch),
            null, null, [], []));

        var page = OpenNodes();

        page.WaitForAssertion(() => Assert.Contains("sees no running cluster", page.Find(".not-running").TextContent), Patience);
        Assert.False(HasButton(page, "Join to cluster"));
        Assert.False(HasButton(page, "Remove from cluster"));
    }

    /// <summary>What crm_simulate says afterwards (the real run is tested in Server.Tests): the VIPs on the first two nodes, or nothing at all.</summary>
    private static SimulationResult Simulated(params string[] nodes)
    {
        var placed = new ResourcePlacement(nodes.Length == 0 ? new Dictionary<string, IReadOnlyList<string>>()
            : new Dictionary<string, IReadOnlyList<string>> { [Vip1] = [nodes[0]], [Vip2] = [nodes[1]] });
        return new SimulationResult(nodes.Length == 0 ? ["node1", "node2", "node3"] : nodes, placed, [], true, []);
    }
}
