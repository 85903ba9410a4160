using Bunit;
using StorageHa.Client.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Components.Wizard;

/// <summary>Each step of the setup wizard refuses Next, saying why, until its part of the draft meets the plan's rules.</summary>
public sealed class WizardStepTests : WizardTest
{
    [Fact]
    public void ClusterStep_WithoutAName_BlocksNext_AndStoresNothing()
    {
        var page = RenderWizard(clusterId: null);
        WaitForStep(page, "Cluster");

        Next(page);

        Assert.Contains("name: is required", Blocked(page));
        Assert.Equal("Cluster", ActiveStep(page));
        Assert.Empty(Inventory.Clusters);
    }

    [Fact]
    public void ClusterStep_ForSmbWithANameLongerThanNetBiosAllows_BlocksNext()
    {
        var page = RenderWizard(clusterId: null);
        Enter(page, ".wizard-cluster-name input", "storage-cluster-one");

        Next(page);

        Assert.Contains("NetBIOS name, which is at most 15 characters", Blocked(page));
        Assert.Empty(Inventory.Clusters);
    }

    [Fact]
    public void ClusterStep_Valid_StoresTheCluster_WithCtdbFailingOverAsFastAsCorosync_GivesItItsAddress_AndMovesToNodes()
    {
        var page = RenderWizard(clusterId: null);
        Enter(page, ".wizard-cluster-name input", "nas1");

        Next(page);

        WaitForStep(page, "Nodes");
        var stored = Assert.Single(Inventory.Clusters);
        Assert.Equal(("nas1", ClusterPurpose.Both), (stored.Name, stored.Purpose));
        Assert.Equal(CtdbFailover.Tunables, Inventory.Settings[stored.Id].CtdbTunables);
        Assert.EndsWith($"/setup/{stored.Id}", Ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
    }

    [Fact]
    public void NodesStep_WithNoNodes_BlocksNext()
    {
        AddCluster();
        var page = RenderWizard();
        WaitForStep(page, "Nodes");

        Next(page);

        Assert.Contains("A cluster needs at least one node", Blocked(page));
        Assert.Equal("Nodes", ActiveStep(page));
    }

    [Fact]
    public async Task NodesStep_WithOneNodeForSmb_BlocksNext_SayingItIsNotHighlyAvailable()
    {
        AddCluster(ClusterPurpose.Smb);
        await AddReadyNodesAsync(1);
        var page = RenderWizard();
        WaitForStep(page, "Nodes");

        Next(page);

        Assert.Contains("SMB on one node is not highly available", Blocked(page));
        Assert.Equal("Nodes", ActiveStep(page));
    }

    [Fact]
    public async Task NodesStep_WithANodeNotTrustedNorProbed_BlocksNext_NamingWhatToDo()
    {
        AddCluster();
        await AddReadyNodesAsync(1);
        await Inventory.AddNodeAsync(new Node { ClusterId = ClusterId, Name = "node2", Address = "192.0.2.12" });
        var page = RenderWizard();
        WaitForStep(page, "Nodes");

        Next(page);

        var reasons = Blocked(page);
        Assert.Contains("node2 has no credential", reasons);
        Assert.Contains("Accept the host key of node2", reasons);
        Assert.Contains("Probe node2", reasons);
    }

    [Fact]
    public async Task NodesStep_WithAProbeBlocker_BlocksNext_WithTheExactFix()
    {
        AddCluster();
        await AddReadyNodesAsync(1);
        var node = await Inventory.AddNodeAsync(new Node { ClusterId = ClusterId, Name = "node2", Address = "192.0.2.12", CredentialId = KeyId, HostKeyFingerprint = "SHA256:k2" });
        NodeAccess.ProbeResult.SetResult(Facts(2, SharedFs, new ProbeFinding(FindingSeverity.Blocker,
            "ctdb is not installed: it clusters Samba across the nodes.", "apt-get install -y ctdb")));
        await NodeAccess.ProbeAsync(node.Id);
        var page = RenderWizard();
        WaitForStep(page, "Nodes");

        Next(page);

        Assert.Contains("node2: ctdb is not installed: it clusters Samba across the nodes. Fix: apt-get install -y ctdb — then probe again.", Blocked(page));
        Assert.Contains("apt-get install -y ctdb", page.FindAll(".wizard-node-facts")[1].TextContent);
    }

    [Fact]
    public void NodesStep_AddingANodeWithABadAddress_ShowsTheReasonUnderTheField_AndStoresNothing()
    {
        AddCluster();
        var page = RenderWizard();
        WaitForStep(page, "Nodes");

        Enter(page, ".wizard-add-node .mud-input-control:nth-of-type(2) input", "10.0.0.256");
        Click(page, "Add node");

        page.WaitForAssertion(() => Assert.Contains("'10.0.0.256' is not a valid IP address", page.Find(".wizard-add-node").TextContent), Patience);
        Assert.Empty(Inventory.Nodes);
    }

    [Fact]
    public void NodesStep_GenerateAKey_ShowsTheOneLineInstallCommand_AndNewNodesUseIt()
    {
        AddCluster();
        var page = RenderWizard();
        WaitForStep(page, "Nodes");

        Click(page, "Generate a key");
        page.WaitForAssertion(() => Assert.Contains("echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest storageha-nas1-key' >> ~/.ssh/authorized_keys",
            page.Find(".wizard-install-command").TextContent), Patience);
        Enter(page, ".wizard-add-node .mud-input-control:nth-of-type(2) input", "192.0.2.11");
        Click(page, "Add node");

        page.WaitForAssertion(() => Assert.Single(Inventory.Nodes), Patience);
        var key = Assert.Single(CredentialStore.Credentials);
        Assert.Equal(("node1", "192.0.2.11", key.Id), (Inventory.Nodes[0].Name, Inventory.Nodes[0].Address, Inventory.Nodes[0].CredentialId!.Value));
    }

    [Fact]
    public async Task NodesStep_InstallTheKeyWithAPasswordOnce_GoesToEveryTrustedNodeUsingTheKey_AndForgetsThePassword()
    {
        AddCluster();
        await AddReadyNodesAsync(2);
        await Inventory.AddNodeAsync(new Node { ClusterId = ClusterId, Name = "node3", Address = "192.0.2.13", CredentialId = KeyId }); // host key not accepted
        var page = RenderWizard();
        WaitForStep(page, "Nodes");

        Enter(page, ".wizard-install-password input", "root-pw");
        Click(page, "Install the key on 2 node(s)");

        page.WaitForAssertion(() => Assert.Contains("The key is installed and logs in on node1, node2.", page.Find(".wizard-install-result").TextContent), Patience);
        Assert.Equal(new Dictionary<long, string> { [Inventory.Nodes[0].Id] = "root-pw", [Inventory.Nodes[1].Id] = "root-pw" }, NodeAccess.KeyInstalledWith);
        Assert.Equal("", page.Find(".wizard-install-password input").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task NodesStep_ProbeAll_ProbesEveryTrustedNodeAtOnce_ShowingProgress_ThenFindings()
    {
        AddCluster();
        await AddReadyNodesAsync(2);
        var page = RenderWizard();
        WaitForStep(page, "Network");
        page.FindAll(".mud-step").First(s => s.TextContent.Contains("Nodes")).Click();
        WaitForStep(page, "Nodes");

        Click(page, "Probe again");
        page.WaitForAssertion(() => Assert.Contains("Probed 0 of 2: node1, node2 still running", page.Find(".wizard-probe-progress").TextContent), Patience);
        NodeAccess.ProbeResult.SetResult(Facts(1, SharedFs, new ProbeFinding(FindingSeverity.Warning, "The clock is not synchronised.", "systemctl enable --now chrony")));

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".wizard-probe-progress")), Patience);
        Assert.All(page.FindAll(".wizard-nodes .probe-state"), s => Assert.Equal("ready, 1 warning(s)", s.TextContent.Trim()));
    }
}

/// <summary>Network, storage and services: each refuses Next with the plan's reason, and stores nothing until it passes.</summary>
public sealed class WizardSettingsStepTests : WizardTest
{
    private async Task<IRenderedComponent<StorageHa.Client.Components.Pages.NewClusterWizard>> AtStepAsync(string title, Action? more = null)
    {
        AddCluster();
        await AddReadyNodesAsync(3);
        more?.Invoke();
        var page = RenderWizard();
        WaitForStep(page, title);
        return page;
    }

    private void SharedStateSet() => Inventory.Settings[ClusterId] = new ClusterSettings
    { SharedState = new SharedStateSpec { RecoveryLock = "/srv/cluster-state/ctdb/reclock", GaneshaState = "/srv/cluster-state/ganesha" } };

    private void VipsSet() => Inventory.VirtualIps.Add(new VirtualIp { Id = 300, ClusterId = ClusterId, Address = "192.0.2.101", Prefix = 24 });

    [Fact]
    public async Task NetworkStep_WithoutAVirtualIp_BlocksNext()
    {
        var page = await AtStepAsync("Network");

        Next(page);

        Assert.Contains("Add at least one virtual IP", Blocked(page));
    }

    [Fact]
    public async Task NetworkStep_RemovingEveryStoredVirtualIp_BlocksNext_AndKeepsThem()
    {
        var page = await AtStepAsync("Storage", VipsSet);
        page.FindAll(".mud-step").First(s => s.TextContent.Contains("Network")).Click();
        WaitForStep(page, "Network");

        Click(page, "Remove 192.0.2.101");
        Next(page);

        Assert.Contains("Add at least one virtual IP", Blocked(page));
        Assert.Equal("192.0.2.101", Inventory.VirtualIps.Single().Address);
    }

    [Theory]
    [InlineData("192.0.2.300", "Virtual IP 1 (address): '192.0.2.300' is not a valid IPv4 address")]
    [InlineData("203.0.113.7", "203.0.113.7 is outside every node's subnet (192.0.2.11/24, 192.0.2.12/24, 192.0.2.13/24)")]
    [InlineData("192.0.2.12", "192.0.2.12 is a node's own address; a virtual IP must be a free address")]
    public async Task NetworkStep_WithAVirtualIpNoNodeCouldHold_BlocksNext_AndStoresNothing(string address, string reason)
    {
        var page = await AtStepAsync("Network");
        Click(page, "Add virtual IP");
        Enter(page, ".vip-address input", address);

        Next(page);

        Assert.Contains(reason, Blocked(page));
        Assert.Equal("Network", ActiveStep(page));
        Assert.Empty(Inventory.VirtualIps);
    }

    [Fact]
    public async Task NetworkStep_ProposesFreeAddressesInTheSubnet_SkippingOnesSomethingAnswersAt_StoresThemAndTheNic_AndMovesToStorage()
    {
        NodeAccess.Answering.Add("192.0.2.254"); // another machine uses it
        var page = await AtStepAsync("Network");
        Assert.Contains("on eth0 (192.0.2.11/24)", page.Find(".wizard-cluster-nics").TextContent);

        Click(page, "Propose a free address");
        page.WaitForAssertion(() => Assert.Single(page.FindAll(".vip-address input")), Patience);
        Assert.Contains("nothing answered there when node1 asked (192.0.2.254 answered, so they were skipped)", page.Find(".wizard-proposal").TextContent);
        Click(page, "Propose a free address");
        page.WaitForAssertion(() => Assert.Equal(["192.0.2.253", "192.0.2.252"], page.FindAll(".vip-address input").Select(i => i.GetAttribute("value"))), Patience);
        await page.InvokeAsync(() => page.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("eth0"));

        Next(page);

        WaitForStep(page, "Storage");
        Assert.Equal([("192.0.2.253", 24), ("192.0.2.252", 24)], Inventory.VirtualIps.Select(v => (v.Address, v.Prefix)));
        Assert.Equal("eth0", Inventory.Settings[ClusterId].Nic);
    }

    [Fact]
    public async Task NetworkStep_WithANewVirtualIpSomethingAlreadyAnswersAt_BlocksNext_NamingTheNodeThatAsked()
    {
        NodeAccess.Answering.Add("192.0.2.77");
        var page = await AtStepAsync("Network");
        Click(page, "Add virtual IP");
        Enter(page, ".vip-address input", "192.0.2.77");

        Next(page);

        Assert.Contains("Something already answers at 192.0.2.77 (asked from node1): another machine uses it; choose another address.", Blocked(page));
        Assert.Equal("Network", ActiveStep(page));
        Assert.Empty(Inventory.VirtualIps);
    }

    [Fact]
    public async Task StorageStep_WithAPathContainingDotDot_BlocksNext()
    {
        var page = await AtStepAsync("Storage", VipsSet);
        Enter(page, ".state-recovery-lock input", "/srv/cluster-state/../etc/reclock");
        Enter(page, ".state-ganesha-state input", "/srv/cluster-state/ganesha");

        Next(page);

        Assert.Contains("sharedState.recoveryLock: must not contain '..'", Blocked(page));
        Assert.False(Inventory.Settings.ContainsKey(ClusterId));
    }

    [Fact]
    public async Task StorageStep_WithThePathOnDifferentFileSystems_BlocksNext_NamingEachNodes()
    {
        AddCluster();
        await AddReadyNodesAsync(3, i => i == 2 ? new FilesystemSpace("/srv", 50L << 30, 40L << 30) : SharedFs);
        VipsSet();
        var page = RenderWizard();
        WaitForStep(page, "Storage");
        Enter(page, ".state-recovery-lock input", "/srv/cluster-state/ctdb/reclock");
        Enter(page, ".state-ganesha-state input", "/srv/cluster-state/ganesha");

        Next(page);

        Assert.Contains("/srv/cluster-state/ctdb/reclock is on different file systems (node1: /srv/cluster-state, node2: /srv, node3: /srv/cluster-state)", Blocked(page));
    }

    [Fact]
    public async Task StorageStep_OnTheSharedFileSystem_StoresThePaths_AndMovesToServices()
    {
        var page = await AtStepAsync("Storage", VipsSet);
        Enter(page, ".state-recovery-lock input", "/srv/cluster-state/ctdb/reclock");
        Enter(page, ".state-ganesha-state input", "/srv/cluster-state/ganesha");

        Next(page);

        WaitForStep(page, "Services");
        Assert.Equal(new SharedStateSpec { RecoveryLock = "/srv/cluster-state/ctdb/reclock", GaneshaState = "/srv/cluster-state/ganesha" }, Inventory.Settings[ClusterId].SharedState);
    }

    [Fact]
    public async Task StorageStep_OfAnSmbCluster_ShowsItsCtdbTunables_AndWhy()
    {
        var page = await AtStepAsync("Storage", () => { VipsSet(); Inventory.Settings[ClusterId] = new ClusterSettings { CtdbTunables = CtdbFailover.Tunables }; });

        var line = page.Find(".wizard-ctdb-tunables").TextContent;

        Assert.Contains("KeepaliveInterval=1, KeepaliveLimit=3, MonitorInterval=2, RerecoveryTimeout=2", line, StringComparison.Ordinal);
        Assert.Contains(CtdbFailover.Why, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageStep_OfAClusterTheWizardCreated_ShowsTheTunablesTheInventoryGaveIt()
    {
        var wizard = RenderWizard(clusterId: null);
        Enter(wizard, ".wizard-cluster-name input", "nas1");
        Next(wizard);
        WaitForStep(wizard, "Nodes");
        var created = Assert.Single(Inventory.Clusters);
        await AddReadyNodesAsync(3, clusterId: created.Id);
        await Inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = created.Id, Address = "192.0.2.101", Prefix = 24 });

        var page = RenderWizard(created.Id);
        WaitForStep(page, "Storage");

        var line = page.Find(".wizard-ctdb-tunables").TextContent;
        Assert.Contains("KeepaliveInterval=1, KeepaliveLimit=3, MonitorInterval=2, RerecoveryTimeout=2", line, StringComparison.Ordinal);
        Assert.Contains(CtdbFailover.Why, line, StringComparison.Ordinal);
    }

    private async Task<IRenderedComponent<StorageHa.Client.Components.Pages.NewClusterWizard>> AtServicesAsync() =>
        await AtStepAsync("Services", () => { VipsSet(); SharedStateSet(); });

    [Fact]
    public async Task ServicesStep_OneIpmiDevicePerNode_IsSaved_ThenItsPasswordSetAndTested_NextToTheAcknowledgedNoneOption()
    {
        var page = await AtServicesAsync();
        Assert.Single(page.FindAll(".wizard-acknowledge-no-fencing"));

        Click(page, "One IPMI device per node");
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("input[aria-label='Fence device name']").Count), Patience);
        Assert.Empty(page.FindAll(".wizard-acknowledge-no-fencing"));
        // Each device's options are typed fields from fence_ipmilan's metadata: lanplus and cipher filled in, ip and username to fill.
        Assert.Equal(3, page.FindAll("input[aria-label='Fence option cipher']").Count(i => i.GetAttribute("value") == "3"));
        for (var i = 0; i < 3; i++)
        {
            page.WaitForAssertion(() => page.FindAll("input[aria-label='Fence option ip']")[i].Input($"192.0.2.20{i + 1}"), Patience);
            page.WaitForAssertion(() => page.FindAll("input[aria-label='Fence option username']")[i].Input("fence"), Patience);
        }
        Click(page, "Save devices, then set passwords and test");

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".fence-device-row").Count), Patience);
        Assert.Equal(["ipmi-node1", "ipmi-node2", "ipmi-node3"], Inventory.Settings[ClusterId].Fencing.Devices.Select(d => d.Name));
        Assert.Equal(new Dictionary<string, string> { ["ip"] = "192.0.2.202", ["username"] = "fence", ["lanplus"] = "1", ["cipher"] = "3" },
            Inventory.Settings[ClusterId].Fencing.Devices[1].Options);
        foreach (var device in new[] { "ipmi-node1", "ipmi-node2", "ipmi-node3" })
        {
            page.WaitForAssertion(() => page.Find($"input[aria-label='Password of {device}']").Input("pw-" + device), Patience);
            page.WaitForAssertion(() => page.Find($"button[aria-label='Set the password of {device}']").Click(), Patience);
        }
        Click(page, "Test devices");

        page.WaitForAssertion(() => Assert.Equal(6, page.FindAll(".fence-test-ok").Count), Patience);
        Assert.Empty(page.FindAll(".fence-not-proven"));
    }

    [Fact]
    public async Task ServicesStep_WithTwoSharesOfOneName_BlocksNext()
    {
        var page = await AtServicesAsync();
        Click(page, "Add share");
        Click(page, "Add share");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".share-name input").Count), Patience);
        Enter(page, ".share-name input", "data");
        page.WaitForAssertion(() => page.FindAll(".share-name input")[1].Change("DATA"), Patience);
        page.WaitForAssertion(() => page.FindAll(".share-path input")[0].Change("/srv/data"), Patience);
        page.WaitForAssertion(() => page.FindAll(".share-path input")[1].Change("/srv/other"), Patience);
        page.WaitForAssertion(() => page.Find(".wizard-acknowledge-no-fencing input").Change(true), Patience);

        Next(page);

        Assert.Contains("Share 2 (name): another share has this name", Blocked(page));
        Assert.Empty(Inventory.Shares);
    }

    [Fact]
    public async Task ServicesStep_WithAnExportPathContainingDotDot_BlocksNext()
    {
        var page = await AtServicesAsync();
        Click(page, "Add export");
        Enter(page, ".export-path input", "/srv/data/../../etc");

        Next(page);

        Assert.Contains("Export 1 (path): must not contain '..'", Blocked(page));
        Assert.Empty(Inventory.Exports);
    }

    [Fact]
    public async Task ServicesStep_WithoutFencingOrItsAcknowledgement_BlocksNext_ShowingTheWarning()
    {
        var page = await AtServicesAsync();
        Assert.Contains(CibBatch.NoFencingWarning, page.Find(".wizard-no-fencing").TextContent);

        Next(page);

        Assert.Contains("Add a fence device, or acknowledge running without fencing", Blocked(page));
    }

    [Fact]
    public async Task ServicesStep_Valid_StoresSharesExportsAndTheAcknowledgement_AndMovesToIdentity()
    {
        var page = await AtServicesAsync();
        Click(page, "Add share");
        Enter(page, ".share-name input", "data");
        Enter(page, ".share-path input", "/srv/data");
        Click(page, "Add export");
        Enter(page, ".export-path input", "/srv/data");
        page.WaitForAssertion(() => page.Find(".wizard-acknowledge-no-fencing input").Change(true), Patience);

        Next(page);

        WaitForStep(page, "Identity");
        Assert.Equal(("data", "/srv/data"), (Inventory.Shares.Single().Name, Inventory.Shares.Single().Path));
        Assert.Equal(("/srv/data", "*"), (Inventory.Exports.Single().Path, Inventory.Exports.Single().Clients));
        Assert.True(Inventory.Settings[ClusterId].Fencing.NoFencingAcknowledged);
        Assert.Equal("/srv/cluster-state/ctdb/reclock", Inventory.Settings[ClusterId].SharedState!.RecoveryLock);
    }
}
