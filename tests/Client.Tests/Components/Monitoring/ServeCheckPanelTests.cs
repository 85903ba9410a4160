using Bunit;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Serving;

namespace StorageHa.Client.Tests.Components.Monitoring;

/// <summary>The dashboard shows whether each cluster's clients are served, as the nodes last answered, and operators can check now.</summary>
public sealed class ServeCheckPanelTests : ConsoleTest
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);

    private IRenderedComponent<DashboardCluster> Dashboard()
    {
        States.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")));
        return RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
    }

    [Fact]
    public void TheLastServeCheck_ThatFailed_IsRed_AndNamesNodeShareAndCause()
    {
        ServeChecks.Keep(1, new ServeReport(At, [
            new("node1", ServeSubject.Share, "public", true),
            new("node2", ServeSubject.Share, "public", false, "smbd could not load vfs module fileid (install samba-vfs-modules)"),
        ]));

        var page = Dashboard();

        page.WaitForAssertion(() =>
        {
            Assert.Contains("mud-alert-text-error", page.Find(".serve-check").ClassName);
            Assert.Equal("node2: share public: smbd could not load vfs module fileid (install samba-vfs-modules)",
                page.Find(".serve-failures li").TextContent.Trim());
        }, Patience);
    }

    [Fact]
    public void CheckNow_RunsTheCheck_AndShowsWhatItProved()
    {
        ServeChecks.Next = new ServeReport(At, [new("node1", ServeSubject.Share, "public", true), new("node1", ServeSubject.VirtualIp, "192.0.2.101", true)]);
        var page = Dashboard();
        page.WaitForAssertion(() => Assert.Contains("Not checked yet", page.Find(".serve-summary").TextContent), Patience);

        page.Find(".serve-check-now").Click();

        page.WaitForAssertion(() =>
        {
            Assert.StartsWith("Served: 1 share, 0 exports and 1 virtual IP checked on 1 node(s).", page.Find(".serve-summary").TextContent.Trim());
            Assert.Contains("mud-alert-text-success", page.Find(".serve-check").ClassName);
        }, Patience);
        Assert.Equal(1, ServeChecks.Runs);
    }

    [Fact]
    public void AViewer_SeesTheCheck_ButCannotRunIt()
    {
        SignInAs("vera", "Viewer");

        var page = Dashboard();

        page.WaitForAssertion(() => Assert.Contains("Not checked yet", page.Find(".serve-summary").TextContent), Patience);
        Assert.Empty(page.FindAll(".serve-check-now"));
    }

    [Fact]
    public async Task TheClusterPage_ShowsTheLatestCheck_Too()
    {
        var cluster = await Inventory.AddClusterAsync(new StorageHa.Shared.Inventory.Cluster { Name = "nas" });
        ServeChecks.Keep(cluster.Id, new ServeReport(At, [new("node1", ServeSubject.Share, "public", false, "its folder /srv/public does not exist on this node")]));

        var page = RenderPage<ClusterPage>(p => p.Add(x => x.Id, cluster.Id));

        page.WaitForAssertion(() => Assert.Equal("node1: share public: its folder /srv/public does not exist on this node",
            page.Find(".serve-failures li").TextContent.Trim()), Patience);
    }
}
