using Bunit;
using StorageHa.Client.Tests.Shared;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Components.PlanViews;

/// <summary>Drift on the plan page: what differs between the running cluster and its spec, re-applying the spec, or keeping the cluster's version.</summary>
public sealed class DriftTests : ProvisioningTest
{
    private static readonly VirtualIpSpec ChangedVip = new() { Address = "192.0.2.101", Prefix = 25, Nic = "eth1" };
    private static readonly VirtualIpSpec ForeignVip = new() { Address = "192.0.2.150", Prefix = 24, Nic = "eth0" };

    private static readonly DriftReport Drifted = new(
    [
        new(DriftKind.Missing, Vip2, "Virtual IP 192.0.2.102 is not in the cluster.", ReapplyFixes: true),
        new(DriftKind.Changed, Vip1, "Virtual IP 192.0.2.101 was changed in the cluster: cidr_netmask is 25, the spec says 24.", ReapplyFixes: true, Import: ChangedVip),
        new(DriftKind.Extra, "office-ip", "Virtual IP 192.0.2.150/24 on eth0 (office-ip) is in the cluster but not in the spec: the console did not create it, so re-apply leaves it.",
            ReapplyFixes: false, Import: ForeignVip),
        new(DriftKind.Extra, "backup-agent", "backup-agent (systemd:backup) is in the cluster but not in the spec: the console leaves it alone.", ReapplyFixes: false),
    ]);

    private IRenderedComponent<ClusterPlan> CheckDrift()
    {
        var page = RenderPage<ClusterPlan>(p => p.Add(x => x.Id, Lab));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".plan-step")), Patience);
        Click(page, "Check drift");
        page.WaitForAssertion(() => Assert.Equal(1, Provisioning.DriftReads.GetValueOrDefault(Lab)), Patience);
        return page;
    }

    private static AngleSharp.Dom.IElement Item(IRenderedComponent<ClusterPlan> page, string resource) => page.Find($".drift-item[data-resource='{resource}']");

    [Fact]
    public void Drift_ListsEachDifference_ByKind_InTheAdminsWords_SayingWhatReapplyDoes()
    {
        Provisioning.Drifts[Lab] = Drifted;

        var page = CheckDrift();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".drift-item").Count), Patience);
        Assert.Contains("missing in the cluster", Item(page, Vip2).TextContent);
        Assert.Contains("changed in the cluster", Item(page, Vip1).TextContent);
        Assert.Contains("only in the cluster", Item(page, "office-ip").TextContent);
        foreach (var item in Drifted.Items)
            Assert.Equal(item.What, Item(page, item.Resource).QuerySelector(".drift-what")!.TextContent.Trim());
        Assert.Contains("Re-apply puts it back as the spec says.", Item(page, Vip2).TextContent);
        Assert.Contains("Re-apply leaves it as it is.", Item(page, "backup-agent").TextContent);
        Assert.Contains("4 differences between the cluster and the spec", page.Find(".drift").TextContent);
    }

    [Fact]
    public void KeepTheClustersVersion_IsOfferedOnlyForAVirtualIpTheInventoryCanTake()
    {
        Provisioning.Drifts[Lab] = Drifted;

        var page = CheckDrift();

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".drift-item").Count), Patience);
        bool Offers(string resource) => Item(page, resource).QuerySelectorAll("button").Any(b => b.TextContent.Trim() == "Keep the cluster's version");
        Assert.True(Offers(Vip1));
        Assert.True(Offers("office-ip"));
        Assert.False(Offers(Vip2));
        Assert.False(Offers("backup-agent"));
    }

    [Fact]
    public void InSync_SaysSo_AndOffersNothingToDo()
    {
        Provisioning.Drifts[Lab] = new DriftReport([]);

        var page = CheckDrift();

        page.WaitForAssertion(() => Assert.Contains("In sync", page.Find(".in-sync").TextContent), Patience);
        Assert.Empty(page.FindAll(".drift-item"));
        Assert.False(HasButton(page, "Re-apply the spec"));
    }

    [Fact]
    public void ReapplyTheSpec_AsksFirst_ThenStartsTheApplyJob_AndOpensIt()
    {
        Provisioning.Drifts[Lab] = Drifted;
        var page = CheckDrift();

        Click(page, "Re-apply the spec");
        DialogHost.WaitForAssertion(() => Assert.Contains("Apply the plan to lab?", DialogHost.Markup), Patience);
        Assert.Empty(Provisioning.Jobs);
        Click(DialogHost, "Apply");

        page.WaitForAssertion(() => Assert.EndsWith("/jobs/1", CurrentUri), Patience);
        Assert.Equal(JobKind.Apply, Provisioning.Jobs.Single().Kind);
    }

    [Fact]
    public void ReapplyTheSpec_IsDisabled_WhileThePlanHasBlockers()
    {
        Provisioning.Unprobed.Add("node2");
        Provisioning.Drifts[Lab] = Drifted;

        var page = CheckDrift();

        page.WaitForAssertion(() => Assert.True(Button(page, "Re-apply the spec").HasAttribute("disabled")), Patience);
    }

    [Fact]
    public void KeepTheClustersVersion_AsksTheServerToImportIt_ThenRereadsDriftAndRebuildsThePlan()
    {
        Provisioning.Drifts[Lab] = Drifted;
        var page = CheckDrift();
        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll(".drift-item").Count), Patience);
        Provisioning.Drifts[Lab] = new DriftReport([Drifted.Items[0]]);

        page.WaitForAssertion(() => Item(page, Vip1).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Keep the cluster's version").Click(), Patience);

        page.WaitForAssertion(() => Assert.Equal(2, Provisioning.DriftReads[Lab]), Patience);
        Assert.Equal([(Lab, Vip1, ChangedVip)], Provisioning.Imports);
        var kept = Inventory.VirtualIps.Single(v => v.Id == 21);
        Assert.Equal((25, "eth1"), (kept.Prefix, kept.Nic));
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".drift-item")), Patience);
        // The plan was rebuilt from the inventory as it is now: the VIP's resource is created with the cluster's netmask.
        page.WaitForAssertion(() => Assert.Contains("name=\"cidr_netmask\" value=\"25\"", page.Find($"[data-step='cib-{Vip1}']").TextContent), Patience);
        Snackbars.WaitForAssertion(() => Assert.Contains("The inventory now has 192.0.2.101/25 on eth1.", Snackbars.Markup), Patience);
    }

    [Fact]
    public void Viewer_CannotCheckDrift()
    {
        SignInAs("vera", "Viewer");

        var page = RenderPage<ClusterPlan>(p => p.Add(x => x.Id, Lab));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".plan-step")), Patience);

        Assert.False(HasButton(page, "Check drift"));
        Assert.Empty(page.FindAll(".drift"));
    }
}
