using IElement = AngleSharp.Dom.IElement;
using Bunit;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.ClusterTabs;

/// <summary>The node helper in the nodes tab: the version each node runs, asked for on demand, and deploy.</summary>
public sealed class NodeHelperColumnTests : ConsoleTest
{
    public NodeHelperColumnTests()
    {
        Inventory.Clusters.Add(new Cluster { Id = 1, Name = "nas1" });
        Inventory.Nodes.Add(new Node { Id = 11, ClusterId = 1, Name = "node1", Address = "192.0.2.11", CredentialId = 7, HostKeyFingerprint = "SHA256:pinnedQx7mNh0WkS3aRCnTqh5o0mYl1JqLz2x8v9u0Ab" });
        Inventory.Nodes.Add(new Node { Id = 12, ClusterId = 1, Name = "node2", Address = "192.0.2.12", CredentialId = 7 });
    }

    private IRenderedComponent<ClusterPage> RenderCluster() => RenderPage<ClusterPage>(p => p.Add(x => x.Id, 1L));

    private static IElement RowButton(IRenderedComponent<ClusterPage> page, int row, string text) =>
        page.FindAll("table tbody tr")[row].QuerySelectorAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public void Check_ShowsNotInstalled_ThenAnOlderVersion_NextToTheBundledOne()
    {
        var page = RenderCluster();

        page.FindAll("table tbody tr")[0].QuerySelector(".node-helper a")!.Click();
        page.WaitForAssertion(() => Assert.Contains("not installed", page.Find(".node-helper").TextContent), Patience);

        NodeAccess.HelperVersions[11] = "0.0.9";
        page.Dispose();
        page = RenderCluster();
        page.FindAll("table tbody tr")[0].QuerySelector(".node-helper a")!.Click();
        page.WaitForAssertion(() => Assert.Contains("0.0.9, bundled 0.1.0", page.Find(".node-helper").TextContent), Patience);
    }

    [Fact]
    public void Deploy_ShowsTheInstalledVersion_ThenSaysNothingWasUploaded_TheSecondTime()
    {
        var page = RenderCluster();

        RowButton(page, 0, "Deploy helper").Click();
        page.WaitForAssertion(() => Assert.Equal("0.1.0", page.Find(".node-helper").TextContent.Trim()), Patience);
        Snackbars.WaitForAssertion(() => Assert.Contains("storageha-node 0.1.0 installed on node1", Snackbars.Markup), Patience);

        page.WaitForAssertion(() => RowButton(page, 0, "Deploy helper").Click(), Patience);
        Snackbars.WaitForAssertion(() => Assert.Contains("node1 already runs storageha-node 0.1.0: nothing was uploaded.", Snackbars.Markup), Patience);
    }

    [Fact]
    public void Deploy_IsOfferedOnlyOnceTheHostKeyIsAccepted()
    {
        var page = RenderCluster();

        Assert.False(RowButton(page, 0, "Deploy helper").HasAttribute("disabled"));
        Assert.True(RowButton(page, 1, "Deploy helper").HasAttribute("disabled"));
        Assert.Null(page.FindAll("table tbody tr")[1].QuerySelector(".node-helper a"));
    }

    [Fact]
    public void Viewer_SeesNoCheckAndNoDeploy()
    {
        SignInAs("vera", "Viewer");
        var page = RenderCluster();

        Assert.Empty(page.FindAll(".node-helper a"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Deploy helper");
    }
}
