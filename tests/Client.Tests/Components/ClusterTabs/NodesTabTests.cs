using Bunit;
using MudBlazor;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Client.Tests.Components.ClusterTabs;

public sealed class NodesTabTests : ConsoleTest
{
    private const string PinnedKey = "SHA256:pinnedQx7mNh0WkS3aRCnTqh5o0mYl1JqLz2x8v9u0Ab";
    private const string OfferedKey = "SHA256:offeredB4tY8dF1kP0cVj6sQe2nWm9ZrHx3LaG7uKiOp";

    public NodesTabTests()
    {
        Inventory.Clusters.Add(new Cluster { Id = 1, Name = "nas1", Purpose = ClusterPurpose.Both });
        CredentialStore.Credentials.Add(new Credential { Id = 7, Name = "lab-key", Kind = CredentialKind.PrivateKey, PublicKey = "ssh-ed25519 AAAA lab" });
        Inventory.Nodes.Add(new Node { Id = 11, ClusterId = 1, Name = "node1", Address = "192.0.2.11", SshPort = 22, SshUser = "root", CredentialId = 7, HostKeyFingerprint = PinnedKey });
        Inventory.Nodes.Add(new Node { Id = 12, ClusterId = 1, Name = "node2", Address = "192.0.2.12", SshPort = 2222, SshUser = "admin", CredentialId = 7 });
    }

    private IRenderedComponent<ClusterPage> RenderCluster() => RenderPage<ClusterPage>(p => p.Add(x => x.Id, 1L));

    [Fact]
    public void NodesList_ShowsEachNode_WithAddressUserCredentialAndHostKeyState()
    {
        var page = RenderCluster();

        var rows = page.FindAll("table tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("node1", rows[0].TextContent);
        Assert.Contains("192.0.2.11:22", rows[0].TextContent);
        Assert.Contains("lab-key", rows[0].TextContent);
        Assert.Equal(PinnedKey, rows[0].QuerySelector("[data-fingerprint]")?.GetAttribute("data-fingerprint"));
        Assert.Contains(PinnedKey[..19], rows[0].TextContent);
        Assert.Contains("192.0.2.12:2222", rows[1].TextContent);
        Assert.Contains("admin", rows[1].TextContent);
        Assert.Contains("not accepted", rows[1].TextContent);
        Assert.DoesNotContain("not accepted", rows[0].TextContent);
    }

    [Fact]
    public void AddNode_WithEmptyNameBadAddressAndPort70000_ShowsAMessageUnderEachField_AndStoresNothing()
    {
        var page = RenderCluster();
        Click(page, "Add node");

        Type("Name", "");
        Type("Address", "10.0.0.256");
        Field<MudNumericField<int>>("SSH port").Find("input").Change("70000");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() =>
        {
            Assert.Contains("is required", TextField("Name").Markup);
            Assert.Contains("'10.0.0.256' is not a valid IP address", TextField("Address").Markup);
            Assert.Contains("is not a TCP port (1–65535)", Field<MudNumericField<int>>("SSH port").Markup);
        }, Patience);
        Assert.Equal(2, Inventory.Nodes.Count);
        Assert.NotEmpty(DialogHost.FindAll(".mud-dialog"));
    }

    [Fact]
    public void AddNode_WithANameThatIsNotAHostLabel_IsRefusedUnderName()
    {
        var page = RenderCluster();
        Click(page, "Add node");

        Type("Name", "node;rm -rf /");
        Type("Address", "192.0.2.13");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Contains("may contain only letters, digits and '-'", TextField("Name").Markup), Patience);
        Assert.DoesNotContain("mud-input-error", TextField("Address").Markup);
        Assert.Equal(2, Inventory.Nodes.Count);
    }

    [Fact]
    public void AddNode_RefusedByTheServerForADuplicateAddress_ShowsTheConflictUnderAddress_AndKeepsTheDialogOpen()
    {
        var page = RenderCluster();
        Click(page, "Add node");

        Type("Name", "node3");
        Type("Address", "192.0.2.12");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Contains("Node node2 already has the address 192.0.2.12.", TextField("Address").Markup), Patience);
        Assert.DoesNotContain("mud-input-error", TextField("Name").Markup);
        Assert.Equal(2, Inventory.Nodes.Count);
    }

    [Fact]
    public void AddNode_Valid_IsStoredWithItsCredential_AndListed()
    {
        var page = RenderCluster();
        Click(page, "Add node");

        Type("Name", "node3");
        Type("Address", "nas-node3.example.net");
        Field<MudNumericField<int>>("SSH port").Find("input").Change("2200");
        Click(DialogHost, "Save");

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("table tbody tr").Count), Patience);
        var stored = Inventory.Nodes.Single(n => n.Name == "node3");
        Assert.Equal(("nas-node3.example.net", 2200, "root", 7L, 1L), (stored.Address, stored.SshPort, stored.SshUser, stored.CredentialId!.Value, stored.ClusterId));
        Assert.Contains("nas-node3.example.net:2200", page.Markup);
        Assert.Empty(DialogHost.FindAll(".mud-dialog"));
    }

    [Fact]
    public void AcceptHostKey_OnFirstContact_ShowsAlgorithmAndFingerprint_AndPinsItOnAccept()
    {
        NodeAccess.HostKeys[12] = ("ssh-ed25519", OfferedKey);
        var page = RenderCluster();

        page.FindAll("table tbody tr")[1].QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Host key").Click();

        DialogHost.WaitForAssertion(() => Assert.Contains(OfferedKey, DialogHost.Find(".offered-fingerprint").TextContent), Patience);
        Assert.Contains("ssh-ed25519", DialogHost.Markup);
        Assert.Contains("First contact with node2", DialogHost.Markup);
        Assert.Null(Inventory.Nodes.Single(n => n.Id == 12).HostKeyFingerprint);

        Click(DialogHost, "Accept");

        page.WaitForAssertion(() => Assert.Equal(OfferedKey, page.FindAll("table tbody tr")[1].QuerySelector("[data-fingerprint]")?.GetAttribute("data-fingerprint")), Patience);
        Assert.Equal(OfferedKey, Inventory.Nodes.Single(n => n.Id == 12).HostKeyFingerprint);
        Assert.DoesNotContain("not accepted", page.Markup);
    }

    [Fact]
    public void ChangedHostKey_IsShownWithBothFingerprintsAndAWarning_AndStaysPinnedUnlessAccepted()
    {
        NodeAccess.HostKeys[11] = ("ssh-ed25519", OfferedKey);
        var page = RenderCluster();

        page.FindAll("table tbody tr")[0].QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Host key").Click();

        DialogHost.WaitForAssertion(() => Assert.NotEmpty(DialogHost.FindAll(".host-key-changed")), Patience);
        Assert.Contains("has changed", DialogHost.Find(".host-key-changed").TextContent);
        Assert.Contains(PinnedKey, DialogHost.Find(".pinned-fingerprint").TextContent);
        Assert.Contains(OfferedKey, DialogHost.Find(".offered-fingerprint").TextContent);

        Click(DialogHost, "Cancel");

        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll(".mud-dialog")), Patience);
        Assert.Equal(PinnedKey, Inventory.Nodes.Single(n => n.Id == 11).HostKeyFingerprint);
    }

    [Fact]
    public void Probe_ShowsProgressWhileRunning_ThenTheFactsFindingsAndFixCommands()
    {
        var page = RenderCluster();
        page.FindAll("table tbody tr")[0].QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Probe").Click();

        page.WaitForAssertion(() => Assert.Contains("Probing node1", page.Find(".probe-progress").TextContent), Patience);
        Assert.NotEmpty(page.FindAll(".probe-progress .mud-progress-linear"));
        Assert.True(page.FindAll("table tbody tr")[0].QuerySelectorAll("button").All(b => b.HasAttribute("disabled")));

        NodeAccess.ProbeResult.SetResult(Facts);

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".node-facts")), Patience);
        Assert.Empty(page.FindAll(".probe-progress"));
        var facts = page.Find(".node-facts").TextContent;
        Assert.Contains("Debian GNU/Linux 12 (bookworm)", facts);
        Assert.Contains("nas-node1", facts);
        Assert.Contains("6.1.0-28-amd64", facts);
        Assert.Contains("192.0.2.11/24", page.Find(".interfaces").TextContent);
        Assert.Contains("2.1.5-1+deb12u1", page.Find(".packages").TextContent);
        Assert.Contains("missing", page.Find(".packages").TextContent);
        Assert.Contains("not running", page.Find(".services").TextContent);
        Assert.Contains("not synchronised", facts);
        Assert.Contains("GiB free", page.Find(".filesystems").TextContent);
        var finding = page.FindAll(".finding").Single(f => f.TextContent.Contains("nfs-ganesha is not installed"));
        Assert.Contains("Blocker", finding.TextContent);
        Assert.Equal("apt-get install -y nfs-ganesha nfs-ganesha-vfs", finding.QuerySelector(".copyable-code pre")!.TextContent);
        Assert.Equal(Facts.ProbedAt, Inventory.Nodes.Single(n => n.Id == 11).LastProbeAt);
    }

    [Fact]
    public void Probe_IsOfferedOnlyOnceTheHostKeyIsAccepted()
    {
        var page = RenderCluster();

        var probeButtons = page.FindAll("table tbody tr").Select(r => r.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Probe")).ToList();

        Assert.False(probeButtons[0].HasAttribute("disabled"));
        Assert.True(probeButtons[1].HasAttribute("disabled"));
    }

    [Fact]
    public void ANodeWhoseCredentialAwaitsAnAdmin_TellsTheOperatorAnAdminMustConfirm_AndIsNotProbed()
    {
        Inventory.Nodes[0] = Inventory.Nodes[0] with { CredentialAwaitsAdmin = true };

        var row = RenderCluster().FindAll("table tbody tr")[0];

        Assert.Contains("awaits an admin", row.TextContent);
        Assert.Contains("An admin must confirm that credential 'lab-key' may be sent to root@192.0.2.11:22", row.InnerHtml);
        Assert.DoesNotContain(row.QuerySelectorAll("button"), b => b.TextContent.Trim() == "Confirm");
        Assert.True(row.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "Probe").HasAttribute("disabled"));
    }

    [Fact]
    public void AnAdmin_ConfirmsTheCredentialInOneStep_AfterSeeingWhereItWillGo()
    {
        SignInAs("ada", "Viewer", "Operator", "Admin");
        Inventory.Nodes[0] = Inventory.Nodes[0] with { CredentialAwaitsAdmin = true };
        var page = RenderCluster();

        Click(page, "Confirm");
        DialogHost.WaitForAssertion(() => Assert.Contains("Credential 'lab-key' will be sent to root@192.0.2.11:22", DialogHost.Markup), Patience);
        Click(DialogHost, "Confirm");

        page.WaitForAssertion(() => Assert.DoesNotContain("awaits an admin", page.FindAll("table tbody tr")[0].TextContent), Patience);
        Assert.False(Inventory.Nodes[0].CredentialAwaitsAdmin);
    }

    [Fact]
    public void RemoveNode_AsksFirst_ThenRemovesIt()
    {
        var page = RenderCluster();

        Click(page, "Remove node2");
        DialogHost.WaitForAssertion(() => Assert.Contains("Remove node node2?", DialogHost.Markup), Patience);
        Assert.Equal(2, Inventory.Nodes.Count);
        Click(DialogHost, "Remove");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("table tbody tr")), Patience);
        Assert.DoesNotContain(Inventory.Nodes, n => n.Name == "node2");
    }

    [Fact]
    public void Viewer_SeesTheNodes_ButNoButtonThatChangesThemOrTalksToThem()
    {
        SignInAs("vera", "Viewer");
        var page = RenderCluster();

        Assert.Equal(2, page.FindAll("table tbody tr").Count);
        Assert.False(HasButton(page, "Add node"));
        Assert.Empty(page.FindAll("table tbody tr button"));
    }

    private static readonly NodeFacts Facts = new()
    {
        ProbedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
        Hostname = "nas-node1",
        OsName = "Debian GNU/Linux 12 (bookworm)",
        OsId = "debian",
        OsVersion = "12",
        Kernel = "6.1.0-28-amd64",
        Interfaces = [new("eth0", "52:54:00:12:34:56", true, ["192.0.2.11/24", "fd00::11/64"])],
        Packages = [new("pacemaker", "2.1.5-1+deb12u1"), new("nfs-ganesha", null)],
        Services = [new("pacemaker", false), new("sshd", true)],
        TimeSynchronized = false,
        Filesystems = [new("/", 20L << 30, 5L << 30)],
        Findings =
        [
            new(FindingSeverity.Blocker, "nfs-ganesha is not installed.", "apt-get install -y nfs-ganesha nfs-ganesha-vfs"),
            new(FindingSeverity.Warning, "The clock is not synchronised.", "timedatectl set-ntp true"),
        ],
    };
}
