using Bunit;
using StorageHa.Client.Components.Monitoring;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>
/// The dashboard's connected clients: per VIP on which node its clients are now, per node every SMB session and NFS
/// client with the address it came in through, live; an operator disconnects a session after a dialog naming who.
/// </summary>
public sealed class DashboardClientsTests : ConsoleTest
{
    private const string Vip = "192.0.2.101";
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 30, 0, TimeSpan.Zero);

    private static SmbSession Alice(string through = Vip) => new("3605124463", 8123, 0, "alice", "alice", "ipv4:192.0.2.50:41234", "192.0.2.50", "SMB3_11",
        SmbProtection.None, new SmbProtection("AES-128-GMAC", "partial"), [new SmbTreeConnect("public", "2914105523", T0)]) { ServerAddress = through };

    private static NfsClient Client200 => new("192.0.2.200", ["4.0"], T0) { ServerAddresses = [Vip] };

    private static ConnectedClientsReport Reading(params NodeClients[] nodes) => new(T0, [Vip, "192.0.2.102"], nodes);

    private static readonly ConnectedClientsReport OnNode1 = Reading(
        new NodeClients("node1") { Smb = [Alice()], Nfs = [Client200] },
        new NodeClients("node2"),
        new NodeClients("node3") { Unreachable = "connection refused" });

    private IRenderedComponent<DashboardCluster> Dashboard(ConnectedClientsReport? clients)
    {
        States.Add(DashboardStates.Snapshot(1, "lab", DashboardStates.State(vipOn: "node1")) with { Clients = clients });
        return RenderPage<DashboardCluster>(p => p.Add(x => x.ClusterId, 1));
    }

    private static AngleSharp.Dom.IElement NodeClients(IRenderedComponent<DashboardCluster> page, string node) =>
        page.Find($".node-card[data-node={node}] .node-clients");

    private static string NodeClientsText(IRenderedComponent<DashboardCluster> page, string node) => NodeClients(page, node).TextContent.Trim();

    [Fact]
    public void EachNodesSessionsAndNfsClients_AreListed_WithTheVipTheyCameThrough_AndCountsPerVipAndNode()
    {
        var page = Dashboard(OnNode1);

        page.WaitForAssertion(() => Assert.Equal("1 SMB session", page.Find(".smb-count").TextContent.Trim()), Patience);
        Assert.Equal("1 NFS client", page.Find(".nfs-count").TextContent.Trim());
        Assert.Equal(["192.0.2.101 on node1: 1 SMB session, 1 NFS client", "192.0.2.102: no clients"],
            page.FindAll(".vip-clients").Select(c => c.TextContent.Trim()));
        var session = page.Find(".smb-session[data-client-node=node1]");
        Assert.Equal(("alice", "192.0.2.50"), (session.GetAttribute("data-user"), session.GetAttribute("data-client")));
        Assert.Equal("VIP 192.0.2.101", session.QuerySelector(".server-address")!.TextContent.Trim());
        Assert.Contains("SMB3_11 · signing AES-128-GMAC (partial) · encryption no", session.TextContent);
        Assert.Contains("public · smbd 8123 (CTDB node 0)", session.TextContent);
        var nfs = page.Find(".nfs-client[data-client-node=node1]");
        Assert.Equal("VIP 192.0.2.101", nfs.QuerySelector(".server-address")!.TextContent.Trim());
        Assert.Contains("NFSv4.0", nfs.TextContent);
        Assert.Equal("1 SMB session; 1 NFS client", page.Find("[data-client-node=node1] .clients-node-summary").TextContent.Trim());
        Assert.Equal("0 SMB sessions; 0 NFS clients", page.Find("[data-client-node=node2] .clients-node-summary").TextContent.Trim());
        Assert.Equal("unknown (connection refused)", page.Find("[data-client-node=node3] .clients-node-summary").TextContent.Trim());
    }

    [Fact]
    public void TheClientsMovingInAFailover_ShowOnTheNewNode_AndTheEventsSayWhoLeftAndArrived()
    {
        var page = Dashboard(OnNode1);
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".smb-session[data-client-node=node1]")), Patience);

        var moved = Reading(new NodeClients("node1") { Unreachable = "no route to host" },
            new NodeClients("node2") { Smb = [Alice()], Nfs = [Client200] }, new NodeClients("node3"));
        var events = ClientsDiff.Between(OnNode1, moved with { CheckedAt = T0.AddSeconds(10) });
        States.Publish(DashboardStates.Change(1, 1, null, [.. events]) with { Clients = moved });

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".smb-session[data-client-node=node2]")), Patience);
        Assert.Empty(page.FindAll(".smb-session[data-client-node=node1]"));
        Assert.Equal("192.0.2.101 on node2: 1 SMB session, 1 NFS client", page.Find(".vip-clients").TextContent.Trim());
        var told = page.Find(".events").TextContent;
        Assert.Contains("1 SMB session left node1 (it does not answer): alice from 192.0.2.50", told);
        Assert.Contains("1 NFS client left node1 (it does not answer): 192.0.2.200", told);
        Assert.Contains("1 SMB session arrived on node2: alice from 192.0.2.50", told);
        Assert.Contains("1 NFS client arrived on node2: 192.0.2.200", told);
    }

    [Fact]
    public void EachNodeCard_SaysHowManyClientsItServesAndFromWhere_NoneQuietly_AndUnknownAsUnknown()
    {
        var page = Dashboard(OnNode1);

        page.WaitForAssertion(() => Assert.Equal("1 SMB session; 1 NFS client · from 192.0.2.50, 192.0.2.200", NodeClientsText(page, "node1")), Patience);
        Assert.Equal("some", NodeClients(page, "node1").GetAttribute("data-clients"));
        Assert.Equal("no clients", NodeClientsText(page, "node2"));
        Assert.Contains("mud-text-secondary", NodeClients(page, "node2").ClassList);
        // A node that could not be asked is not a node without clients.
        Assert.Equal("clients unknown (connection refused)", NodeClientsText(page, "node3"));
        Assert.Equal("unknown", NodeClients(page, "node3").GetAttribute("data-clients"));
    }

    [Fact]
    public void ANodeCard_CountsManyClients_WithoutNamingThem_AndSaysWhichKindItCouldNotRead()
    {
        var many = Enumerable.Range(1, NodeCard.AddressesShown + 1).Select(i => new NfsClient($"192.0.2.{200 + i}", ["4.1"], T0)).ToList();
        var page = Dashboard(Reading(
            new NodeClients("node1") { Nfs = many, SmbProblem = "smbstatus: command not found" },
            new NodeClients("node2") { Smb = [Alice("192.0.2.12")] },
            new NodeClients("node3") { Unreachable = TimedOut }));

        page.WaitForAssertion(() => Assert.Equal("SMB unknown (smbstatus: command not found); 4 NFS clients", NodeClientsText(page, "node1")), Patience);
        Assert.Equal("some", NodeClients(page, "node1").GetAttribute("data-clients"));
        Assert.Equal("1 SMB session; 0 NFS clients · from 192.0.2.50", NodeClientsText(page, "node2"));
        // Why a node was not read can name the whole script it was asked to run: the card shows its start, the tooltip all of it.
        Assert.Equal("clients unknown (node3 (192.0.2.13:22) did not answer within 12 s (no connection was open in time),…",
            NodeClientsText(page, "node3"));
        Assert.Equal($"clients unknown ({TimedOut})", NodeClients(page, "node3").GetAttribute("title"));
    }

    private const string TimedOut = "node3 (192.0.2.13:22) did not answer within 12 s (no connection was open in time), so the command did not start: " +
        "sh -c 'set -eu\nexport LC_ALL=C\n…' storageha-connected-clients. Is the node up, or hung?";

    [Fact]
    public void AClientsReading_MovesTheCountsFromOneNodeCardToAnother_AsItComes()
    {
        var page = Dashboard(OnNode1);
        page.WaitForAssertion(() => Assert.StartsWith("1 SMB session; 1 NFS client", NodeClientsText(page, "node1")), Patience);

        var moved = Reading(new NodeClients("node1"), new NodeClients("node2") { Smb = [Alice()], Nfs = [Client200] }, new NodeClients("node3"));
        States.Publish(DashboardStates.Change(1, 1, null, [.. ClientsDiff.Between(OnNode1, moved)]) with { Clients = moved });

        page.WaitForAssertion(() => Assert.Equal("1 SMB session; 1 NFS client · from 192.0.2.50, 192.0.2.200", NodeClientsText(page, "node2")), Patience);
        Assert.Equal("no clients", NodeClientsText(page, "node1"));
        Assert.Equal("no clients", NodeClientsText(page, "node3"));
    }

    [Fact]
    public void BeforeTheFirstClientsReading_TheNodeCardsSayNothingOfClients()
    {
        var page = Dashboard(null);

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".node-card").Count), Patience);
        Assert.Empty(page.FindAll(".node-clients"));
    }

    [Fact]
    public void AnOperator_DisconnectsASession_OnlyAfterADialogNamingTheUserAndTheClient()
    {
        var page = Dashboard(OnNode1);
        Click(page, "Disconnect");

        DialogHost.WaitForAssertion(() =>
        {
            var dialog = DialogHost.Find(".mud-dialog").TextContent;
            Assert.Contains("Disconnect alice's SMB session from 192.0.2.50?", dialog);
            Assert.Contains("smbd 8123 on node1", dialog);
        }, Patience);
        Assert.Empty(ConnectedClients.Disconnected);

        Click(DialogHost, "Disconnect");

        page.WaitForAssertion(() => Assert.Equal(new SmbSessionRef("node1", 8123, "ipv4:192.0.2.50:41234"), Assert.Single(ConnectedClients.Disconnected)), Patience);
        Snackbars.WaitForAssertion(() => Assert.Contains("s SMB session from 192.0.2.50.", Snackbars.Markup), Patience);
    }

    [Fact]
    public void Cancel_DisconnectsNothing()
    {
        var page = Dashboard(OnNode1);
        Click(page, "Disconnect");
        DialogHost.WaitForAssertion(() => Assert.Contains("smbd 8123 on node1", DialogHost.Markup), Patience);

        Click(DialogHost, "Cancel");

        DialogHost.WaitForAssertion(() => Assert.DoesNotContain("smbd 8123 on node1", DialogHost.Markup), Patience);
        Assert.Empty(ConnectedClients.Disconnected);
    }

    [Fact]
    public void ASessionThatHadAlreadyEnded_IsSaidSo()
    {
        ConnectedClients.Failure = new ConflictException("session", "The SMB session of ipv4:192.0.2.50:41234 on node1 has already ended");
        var page = Dashboard(OnNode1);
        Click(page, "Disconnect");
        Click(DialogHost, "Disconnect");

        Snackbars.WaitForAssertion(() => Assert.Contains("has already ended", Snackbars.Markup), Patience);
    }

    [Fact]
    public void AViewer_SeesTheClients_ButNoDisconnect()
    {
        SignInAs("vera", "Viewer");
        var page = Dashboard(OnNode1);

        page.WaitForAssertion(() => Assert.Single(page.FindAll(".smb-session")), Patience);
        Assert.Empty(page.FindAll("button.disconnect-session"));
    }

    [Fact]
    public async Task ThePage_WatchesTheClientsWhileOpen_AndNoLonger()
    {
        var page = Dashboard(null);

        page.WaitForAssertion(() => Assert.Equal(1, ConnectedClients.Watching), Patience);
        Assert.Empty(page.FindAll(".clients-card"));
        await Ctx.DisposeComponentsAsync();
        Assert.Equal(0, ConnectedClients.Watching);
    }
}
