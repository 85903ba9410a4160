using StorageHa.Client.Model;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Model;

/// <summary>The wizard's draft: what is stored is the whole draft, and the step to resume at follows from what is filled in.</summary>
public sealed class WizardDraftTests
{
    private const long Lab = 1;
    private readonly InMemoryInventory _inventory = new();
    private readonly InMemoryCredentialStore _credentials = new();
    private readonly TestNodeAccess _nodeAccess;
    private readonly WizardDraft _draft;

    public WizardDraftTests()
    {
        _nodeAccess = new TestNodeAccess(_inventory);
        _draft = new WizardDraft(_inventory, _credentials, _nodeAccess);
        _credentials.Credentials.Add(new Credential { Id = 7, Name = "lab-key" });
        _inventory.Clusters.Add(new Cluster { Id = Lab, Name = "lab", Purpose = ClusterPurpose.Smb });
    }

    private void AddNodes(bool trusted)
    {
        for (var i = 1; i <= 3; i++)
            _inventory.Nodes.Add(new Node
            {
                Id = 10 + i, ClusterId = Lab, Name = $"node{i}", Address = $"192.0.2.1{i}", Number = i,
                CredentialId = trusted ? 7 : null, HostKeyFingerprint = trusted ? "SHA256:abc" : null,
            });
    }

    private async Task ProbeAsync(long nodeId, params ProbeFinding[] findings)
    {
        var address = _inventory.Nodes.Single(n => n.Id == nodeId).Address;
        _nodeAccess.ProbeResult.SetResult(new NodeFacts
        {
            ProbedAt = DateTimeOffset.UnixEpoch,
            Interfaces = [new NetworkInterface("eth0", null, true, [$"{address}/24"])],
            Findings = findings,
        });
        await _nodeAccess.ProbeAsync(nodeId);
    }

    [Fact]
    public async Task WithoutACluster_TheWizardOpensAtTheClusterStep()
    {
        await _draft.LoadAsync(0);
        Assert.Null(_draft.Cluster);
        Assert.Equal(WizardStep.Cluster, _draft.FirstIncomplete());
    }

    [Fact]
    public async Task NodesTheConsoleCannotYetUse_KeepTheDraftAtTheNodesStep_SayingWhatEachNeeds()
    {
        AddNodes(trusted: false);
        await _draft.LoadAsync(Lab);

        Assert.Equal(WizardStep.Nodes, _draft.FirstIncomplete());
        Assert.Equal(
        [
            "node1 has no credential: choose how the console logs in to it.",
            "Accept the host key of node1 (compare its fingerprint first).",
            "Probe node1: the plan needs to know its system and packages.",
        ], _draft.Unready(WizardStep.Nodes).Take(3));
    }

    [Fact]
    public async Task AProbeBlocker_IsUnready_WithItsFix()
    {
        AddNodes(trusted: true);
        foreach (var id in new long[] { 11, 12 }) await ProbeAsync(id);
        await ProbeAsync(13, new ProbeFinding(FindingSeverity.Blocker, "pacemaker is not installed", "apt-get install pacemaker"));
        await _draft.LoadAsync(Lab);

        Assert.Equal(["node3: pacemaker is not installed Fix: apt-get install pacemaker — then probe again."], _draft.Unready(WizardStep.Nodes));
        Assert.Equal(WizardStep.Nodes, _draft.FirstIncomplete());
    }

    [Fact]
    public async Task TrustedProbedNodes_WithoutAVirtualIp_ResumeAtTheNetworkStep()
    {
        AddNodes(trusted: true);
        foreach (var id in new long[] { 11, 12, 13 }) await ProbeAsync(id);
        await _draft.LoadAsync(Lab);

        Assert.Empty(_draft.Unready(WizardStep.Nodes));
        Assert.Equal([WizardDraft.NoVirtualIp], _draft.Unready(WizardStep.Network));
        Assert.Equal(WizardStep.Network, _draft.FirstIncomplete());
    }

    [Fact]
    public async Task TheSpec_IsTheInventoryRows_WithEachNodesCredentialByName_AndTheSettingsApplied()
    {
        AddNodes(trusted: true);
        _inventory.VirtualIps.Add(new VirtualIp { Id = 21, ClusterId = Lab, Address = "192.0.2.101" });
        _inventory.Settings[Lab] = new ClusterSettings { Nic = "eth1" };
        await _draft.LoadAsync(Lab);

        var spec = _draft.Spec();

        Assert.Equal("lab", spec.Name);
        Assert.Equal(["lab-key"], spec.Nodes.Select(n => n.Credential).Distinct());
        Assert.Equal(["192.0.2.101"], spec.VirtualIps.Select(v => v.Address));
        Assert.Equal("eth1", spec.Nic);
        Assert.True(_draft.ServesSmb);
        Assert.False(_draft.ServesNfs);
        Assert.Equal("changed", _draft.Spec(s => s with { Description = "changed" }).Description);
    }

    [Fact]
    public async Task AStepsProblems_AreOnlyThoseOfTheFieldsItOwns()
    {
        AddNodes(trusted: true);
        await _draft.LoadAsync(Lab);
        var spec = _draft.Spec(s => s with { VirtualIps = [new VirtualIpSpec { Address = "192.0.2.11" }] });

        Assert.NotEmpty(_draft.Problems(WizardStep.Network, spec));
        Assert.All(_draft.Problems(WizardStep.Network, spec), p => Assert.StartsWith("Virtual IP 1", p));
        Assert.Empty(_draft.Problems(WizardStep.Cluster, spec));
    }

    [Theory]
    [InlineData("virtualIps[1].address", "is taken", "Virtual IP 2 (address): is taken")]
    [InlineData("nodes[0]", "is unreachable", "Node 1: is unreachable")]
    [InlineData("fencing.devices[2].agent", "is unknown", "Fence device 3 (agent): is unknown")]
    [InlineData("nodes", "three nodes are needed", "Three nodes are needed")]
    [InlineData("nic", "is not an interface", "nic: is not an interface")]
    public void AFieldPath_ReadsInTheAdminsWords(string field, string message, string text) =>
        Assert.Equal(text, WizardDraft.Describe(new ValidationError(field, message)));
}
