using Bunit;
using MudBlazor;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Dialogs;

public sealed class InventoryDialogTests : ConsoleTest
{
    public InventoryDialogTests()
    {
        Inventory.Clusters.Add(new Cluster { Id = 1, Name = "nas1", Purpose = ClusterPurpose.Both });
    }

    [Fact]
    public void AddCluster_WithATakenName_ShowsTheServersConflictUnderName()
    {
        var page = RenderPage<Clusters>();
        Click(page, "Add cluster");

        Type("Name", "NAS1");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Contains("A cluster named NAS1 already exists.", TextField("Name").Markup), Patience);
        Assert.Single(Inventory.Clusters);
    }

    [Fact]
    public void AddVirtualIp_WithPrefix33ForIpv4_IsRefusedUnderPrefix_ThenStoredOnceCorrected()
    {
        var page = RenderPage<ClusterPage>(p => p.Add(x => x.Id, 1L));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Virtual IPs").Click();
        Click(page, "Add virtual IP");

        Type("Address", "192.0.2.100");
        Field<MudNumericField<int>>("Prefix length").Find("input").Change("33");
        Click(DialogHost, "Save");
        DialogHost.WaitForAssertion(() => Assert.Contains("(1–32)", Field<MudNumericField<int>>("Prefix length").Markup), Patience);
        Assert.Empty(Inventory.VirtualIps);

        Field<MudNumericField<int>>("Prefix length").Find("input").Change("24");
        Click(DialogHost, "Save");

        page.WaitForAssertion(() => Assert.Contains("192.0.2.100/24", page.Markup), Patience);
        Assert.Equal(("192.0.2.100", 24, 1L), (Inventory.VirtualIps.Single().Address, Inventory.VirtualIps.Single().Prefix, Inventory.VirtualIps.Single().ClusterId));
    }

    [Fact]
    public void AddShare_WithARelativePath_IsRefusedUnderPath()
    {
        var page = RenderPage<ClusterPage>(p => p.Add(x => x.Id, 1L));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Shares").Click();
        Click(page, "Add share");

        Type("Name", "projects");
        Type("Path", "srv/../projects");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Contains("must be an absolute path", TextField("Path").Markup), Patience);
        Assert.Empty(Inventory.Shares);
    }
}
