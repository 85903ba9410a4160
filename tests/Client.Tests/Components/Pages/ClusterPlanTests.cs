using Bunit;
using StorageHa.Client.Tests.Shared;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Components.Pages;

public sealed class ClusterPlanTests : ProvisioningTest
{
    private IRenderedComponent<ClusterPlan> OpenPlan()
    {
        var page = RenderPage<ClusterPlan>(p => p.Add(x => x.Id, Lab));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".plan-step")), Patience);
        return page;
    }

    [Fact]
    public void NoFencing_IsWarnedVisibly_AboveThePlansOtherWarnings()
    {
        var page = OpenPlan();

        var warnings = page.FindAll(".plan-warning").Select(w => w.TextContent.Trim()).ToList();
        Assert.Equal(LabPlan().Warnings, warnings);
        Assert.Contains(CibBatch.NoFencingWarning, page.Find(".no-fencing-warning").TextContent);
        Assert.Contains("mud-alert-filled-error", page.Find(".no-fencing-warning").ClassName);
        Assert.True(HasButton(page, "Apply"));
        Assert.False(Button(page, "Apply").HasAttribute("disabled"));
    }

    [Fact]
    public void UnprobedNode_BlocksApply_AndSaysWhatToDo()
    {
        Provisioning.Unprobed.Add("node2");

        var page = OpenPlan();

        Assert.Contains("node2 has not been probed: probe it", page.Find(".plan-blockers").TextContent);
        Assert.True(Button(page, "Apply").HasAttribute("disabled"));
    }

    [Fact]
    public void MissingSoftware_Blocker_OffersTheInstallCommandToCopy()
    {
        Provisioning.MissingPackages.Add("ctdb");

        var page = OpenPlan();

        var blockers = page.FindAll(".plan-blocker");
        Assert.Equal(3, blockers.Count);
        Assert.Contains("node1 lacks ctdb", blockers[0].TextContent);
        Assert.Equal("apt-get install -y ctdb", blockers[0].QuerySelector(".copyable-code pre")!.TextContent);
        Assert.True(Button(page, "Apply").HasAttribute("disabled"));
    }

    [Fact]
    public void EveryStep_ShowsItsExactCommand_Copyable_InItsPartOfThePlan()
    {
        var plan = LabPlan();
        var page = OpenPlan();

        foreach (var step in plan.Steps)
            Assert.Equal(step.CommandLine, page.Find($"[data-step='{step.Id}'] .copyable-code pre").TextContent);
        var headings = page.FindAll("h6.plan-section").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(["Nodes", "Cluster", "CIB batch", "Services"], headings);
        Assert.Contains("CIB batch", page.Find($"[data-step='{plan.CibBatch[0].Id}']").TextContent);

        var push = plan.Steps.Single(s => s.Id == "cib-push");
        page.Find("[data-step='cib-push'] button[aria-label=Copy]").Click();
        var copied = Ctx.JSInterop.Invocations.Single(i => i.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(push.CommandLine, copied.Arguments[0]);
    }

    [Fact]
    public void CopyAll_AndDownload_GiveThePlanText()
    {
        var text = PlanText.Render(LabPlan());
        var page = OpenPlan();

        var href = page.Find("a.download-plan").GetAttribute("href")!;
        Assert.StartsWith("data:text/plain;charset=utf-8,", href);
        Assert.Equal(text, Uri.UnescapeDataString(href["data:text/plain;charset=utf-8,".Length..]));
        Assert.Equal("storageha-plan-lab.txt", page.Find("a.download-plan").GetAttribute("download"));

        Click(page, "Copy all");
        DialogHost.WaitForAssertion(() => Assert.Equal(text, DialogHost.Find(".copyable-code pre").TextContent), Patience);
    }

    [Fact]
    public void Simulation_TableShowsTheNodeEachVipLandsOn_AllUpAndWhenANodeFails()
    {
        Provisioning.Simulations[Lab] = Simulated();
        var page = OpenPlan();

        Click(page, "Simulate");

        page.WaitForAssertion(() => Assert.Contains("crm_verify: the configuration is valid", page.Find(".verify-result").TextContent), Patience);
        Assert.Equal([null], Provisioning.SimulationsAsked);
        Assert.Equal("node1", Cell(page, Vip1, ""));
        Assert.Equal("node3", Cell(page, Vip1, "node1"));
        Assert.Equal("node2", Cell(page, Vip2, "node1"));
        Assert.Equal("node2, node3", Cell(page, "ctdb", "node1"));
        Assert.Equal("stopped", Cell(page, Vip1, "node1+node2"));
        Assert.Contains("node1 and node2 fail (no quorum)", page.Find("th[data-case='node1+node2']").TextContent);
        Assert.StartsWith("192.0.2.101", page.Find($"tr[data-resource='{Vip1}'] td").TextContent);
        Assert.Contains("unpack_config: Blind faith", page.Find(".verify-findings").TextContent);
    }

    [Fact]
    public void Simulation_Picture_MovesTheVipChipToItsNewNode_ForTheFailurePicked()
    {
        Provisioning.Simulations[Lab] = Simulated();
        var page = OpenPlan();
        Click(page, "Simulate");
        page.WaitForAssertion(() => Assert.NotNull(page.Find(".placement-picture")), Patience);
        Assert.Equal([Vip1], VipsOn(page, "node1"));
        Assert.Equal("online", page.Find(".placement-picture [data-node=node1] .node-status").TextContent.Trim());

        Click(page, "node1 fails");

        page.WaitForAssertion(() => Assert.Equal([Vip1], VipsOn(page, "node3")), Patience);
        Assert.Empty(VipsOn(page, "node1"));
        Assert.Equal([Vip2], VipsOn(page, "node2"));
        Assert.Equal("offline", page.Find(".placement-picture [data-node=node1] .node-status").TextContent.Trim());
        Assert.Contains("Move vip-192.0.2.101 node1 → node3", page.Find(".transition").TextContent);

        Click(page, "node1 and node2 fail");
        page.WaitForAssertion(() => Assert.Contains("no quorum", page.Find(".simulation .mud-alert-text-error").TextContent), Patience);
        Assert.Empty(page.FindAll(".placement-picture .vip-chip"));
    }

    [Fact]
    public void Apply_AsksFirst_SummarisingTheChange_ThenOpensTheJob()
    {
        var plan = LabPlan();
        var page = OpenPlan();

        Click(page, "Apply");

        DialogHost.WaitForAssertion(() => Assert.Contains($"{plan.Steps.Count} steps run on node1, node2, node3", DialogHost.Markup), Patience);
        Assert.Contains($"then {plan.CibBatch.Count} configuration changes pushed to the CIB at once (2 virtual IPs)", DialogHost.Markup);
        Assert.Contains("WITHOUT fencing", DialogHost.Markup);
        Assert.Empty(Provisioning.Jobs);

        Click(DialogHost, "Apply");

        page.WaitForAssertion(() => Assert.EndsWith("/jobs/1", CurrentUri), Patience);
        Assert.Equal(plan.Steps.Select(s => s.Id), Provisioning.Jobs.Single().Steps.Select(s => s.Id));
    }

    [Fact]
    public void Apply_NotConfirmed_StartsNothing()
    {
        var page = OpenPlan();
        Click(page, "Apply");
        Click(DialogHost, "Cancel");

        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll(".mud-dialog")), Patience);
        Assert.Empty(Provisioning.Jobs);
        Assert.DoesNotContain("/jobs/", CurrentUri);
    }

    [Fact]
    public void Viewer_SeesThePlanAndCanSimulate_ButCannotApply()
    {
        SignInAs("vera", "Viewer");

        var page = OpenPlan();

        Assert.False(HasButton(page, "Apply"));
        Assert.True(HasButton(page, "Simulate"));
    }

    [Fact]
    public void SpecThePlanBuilderRefuses_ListsEveryErrorByField()
    {
        Inventory.Settings[Lab] = Inventory.Settings[Lab] with { SharedState = null };

        var page = RenderPage<ClusterPlan>(p => p.Add(x => x.Id, Lab));

        page.WaitForAssertion(() => Assert.Contains("sharedState.recoveryLock", page.Find(".plan-refused").TextContent), Patience);
        Assert.Contains("sharedState.ganeshaState: NFS needs a directory", page.Find(".plan-refused").TextContent);
        Assert.False(HasButton(page, "Apply"));
    }

    private static string Cell(IRenderedComponent<ClusterPlan> page, string resource, string failed) =>
        page.Find($"tr[data-resource='{resource}'] td[data-case='{failed}']").TextContent.Trim();

    private static List<string> VipsOn(IRenderedComponent<ClusterPlan> page, string node) =>
        page.FindAll($".placement-picture [data-node={node}] .vip-chip").Select(c => c.GetAttribute("data-vip")!).ToList();

    /// <summary>What crm_simulate says of the lab's plan (the real run is tested in Server.Tests): VIP 1 follows node1's failure to node3.</summary>
    private static SimulationResult Simulated()
    {
        string[] all = ["node1", "node2", "node3"];
        static ResourcePlacement Placed(string? vip1, string? vip2, params string[] clones) => new(new Dictionary<string, IReadOnlyList<string>>
        {
            [Vip1] = vip1 is null ? [] : [vip1],
            [Vip2] = vip2 is null ? [] : [vip2],
            ["ctdb"] = clones,
            ["smbd"] = clones,
        });
        return new SimulationResult(all, Placed("node1", "node2", all),
        [
            new(["node1"], true, Placed("node3", "node2", "node2", "node3"), ["Move vip-192.0.2.101 node1 → node3", "Stop ctdb:0 on node1"]),
            new(["node2"], true, Placed("node1", "node3", "node1", "node3"), ["Move vip-192.0.2.102 node2 → node3"]),
            new(["node3"], true, Placed("node1", "node2", "node1", "node2"), []),
            new(["node1", "node2"], false, Placed(null, null), ["Stop everything: no quorum"]),
        ], true, ["unpack_config: Blind faith: not fencing unseen nodes"]);
    }
}
