using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Provisioning;

public class BadSpecTests
{
    private static IReadOnlyList<ValidationError> Errors(ClusterSpec spec, IReadOnlyDictionary<string, StorageHa.Shared.Probe.NodeFacts>? facts = null) =>
        Assert.Throws<InvalidInputException>(() => PlanBuilder.Build(spec, facts ?? SpecExamples.FactsFor(spec))).Errors;

    private static void HasError(IReadOnlyList<ValidationError> errors, string field, string containing) =>
        Assert.True(errors.Any(e => e.Field == field && e.Message.Contains(containing, StringComparison.Ordinal)),
            $"expected {field}: …{containing}… among:\n{string.Join('\n', errors.Select(e => $"{e.Field}: {e.Message}"))}");

    [Fact]
    public void ASpecWithEveryMistake_IsRejectedBeforeAnythingRuns_ListingEveryErrorByField()
    {
        var good = SpecExamples.ThreeNodes();
        var spec = good with
        {
            Name = "lab;reboot",
            Nodes = [good.Nodes[0] with { Name = "node1$(id)" }, good.Nodes[1], good.Nodes[2]],
            VirtualIps =
            [
                new() { Address = "192.0.2.101" }, new() { Address = "192.0.2.101" }, new() { Address = "192.0.2.12" },
                new() { Address = "198.51.100.7" }, new() { Address = "192.0.2.200", Nic = "eth0;ls" },
            ],
            Shares = [new() { Name = "global", Path = "srv/data" }, new() { Name = "bad`name`", Path = "/srv/../etc" }],
            Exports = [new() { Path = "/srv/data", Clients = "192.0.2.0/33" }, new() { Path = "/srv/x", Clients = "host name with spaces" }],
        };

        var errors = Errors(spec);

        HasError(errors, "name", "may contain only letters, digits and '-'");
        HasError(errors, "nodes[0].name", "may contain only letters, digits and '-'");
        HasError(errors, "virtualIps[1].address", "listed twice");
        HasError(errors, "virtualIps[2].address", "a node's own address");
        HasError(errors, "virtualIps[3].address", "outside every node's subnet");
        HasError(errors, "virtualIps[4].nic", "not a network interface name");
        HasError(errors, "shares[0].name", "reserved by Samba");
        HasError(errors, "shares[0].path", "absolute path");
        HasError(errors, "shares[1].name", "may contain only letters");
        HasError(errors, "shares[1].path", "'..'");
        HasError(errors, "exports[0].clients", "not a valid network");
        HasError(errors, "exports[1].clients", "separated by commas");
        Assert.True(errors.Count >= 12);
    }

    [Fact]
    public void OneNodeWithSmb_IsRejected_SayingWhyItIsNotHighlyAvailable()
    {
        var spec = SpecExamples.ThreeNodes() with { Nodes = [SpecExamples.ThreeNodes().Nodes[0]] };
        HasError(Errors(spec), "nodes", "SMB on one node is not highly available: there is no other node for CTDB to move");
    }

    [Fact]
    public void OneNodeWithNfsOnly_IsAccepted_WithAWarningThatNothingCanFailOver()
    {
        var spec = SpecExamples.ThreeNodes() with { Purpose = ClusterPurpose.Nfs, Nodes = [SpecExamples.ThreeNodes().Nodes[0]], Shares = [] };
        var plan = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));
        Assert.Contains(plan.Warnings, w => w.Contains("nothing can fail over", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSameVipWrittenTwoWays_IsADuplicate()
    {
        var spec = SpecExamples.ThreeNodes(0) with
        {
            Nodes = [.. Enumerable.Range(1, 3).Select(i => new NodeSpec { Name = $"node{i}", Address = $"fd00::{i}" })],
            VirtualIps = [new() { Address = "fd00::101", Prefix = 64 }, new() { Address = "fd00:0:0::101", Prefix = 64 }],
        };
        var facts = spec.Nodes.ToDictionary(n => n.Name, n => SpecExamples.Facts(n.Address, 64));
        // Both are held in the one spelling (fd00::101), so the second is the first listed twice.
        HasError(Errors(spec, facts), "virtualIps[1].address", "listed twice");
    }

    [Fact]
    public void VipSubnet_ComesFromTheProbe_ElseFromTheNodesPrefixInTheSpec()
    {
        var spec = SpecExamples.ThreeNodes(0) with { VirtualIps = [new() { Address = "192.0.3.10", Prefix = 24 }] };
        // The probe found the nodes on 192.0.2.0/23, which holds 192.0.3.10.
        Assert.NotNull(PlanBuilder.Build(spec, spec.Nodes.ToDictionary(n => n.Name, n => SpecExamples.Facts(n.Address, 23))));
        // Without the address in the facts, the spec's own prefix decides.
        var unprobed = spec.Nodes.ToDictionary(n => n.Name, _ => SpecExamples.Facts("10.9.9.9"));
        HasError(Errors(spec, unprobed), "virtualIps[0].address", "outside every node's subnet (192.0.2.11/24");
        var withPrefix = spec with { Nodes = [.. spec.Nodes.Select(n => n with { Prefix = 22 })] };
        Assert.NotNull(PlanBuilder.Build(withPrefix, unprobed));
    }

    [Fact]
    public void WithoutFenceDevices_TheAdminMustAcknowledgeRunningWithoutFencing()
    {
        var spec = SpecExamples.ThreeNodes() with { Fencing = new() };
        HasError(Errors(spec), "fencing", "acknowledge running without fencing");
    }

    [Fact]
    public void FenceDevices_WithShellMetacharactersOrAPasswordInTheSpec_AreRejected()
    {
        var spec = SpecExamples.ThreeNodes() with
        {
            Fencing = new()
            {
                Devices = [new() { Name = "ipmi;x", Agent = "fence_ipmilan && x", Options = new Dictionary<string, string> { ["password"] = "secret", ["ip"] = "10.0.0.1" }, Nodes = ["node9"] }],
            },
        };
        var errors = Errors(spec);
        HasError(errors, "fencing.devices[0].name", "may contain only letters");
        HasError(errors, "fencing.devices[0].agent", "is not a fence agent name");
        HasError(errors, "fencing.devices[0].options.password", "does not belong in the spec");
        HasError(errors, "fencing.devices[0].nodes", "'node9' is not one of the cluster's nodes");
    }

    [Fact]
    public void SharedState_IsRequiredForTheServicesThatUseIt()
    {
        var errors = Errors(SpecExamples.ThreeNodes() with { SharedState = null });
        HasError(errors, "sharedState.recoveryLock", "SMB needs CTDB's recovery lock");
        HasError(errors, "sharedState.ganeshaState", "NFS needs a directory");
        HasError(Errors(SpecExamples.ThreeNodes() with { SharedState = new() { RecoveryLock = "state/reclock", GaneshaState = "/srv/../g" } }),
            "sharedState.recoveryLock", "absolute path");
    }

    [Fact]
    public void SmbNodes_NeedIpAddresses_AndAClusterNameThatFitsNetBios()
    {
        var good = SpecExamples.ThreeNodes();
        var errors = Errors(good with { Name = "a-very-long-cluster-name", Nodes = [good.Nodes[0] with { Address = "nas1.example.net" }, good.Nodes[1], good.Nodes[2]] });
        HasError(errors, "nodes[0].address", "CTDB lists nodes by IP address");
        HasError(errors, "name", "NetBIOS name, which is at most 15 characters");
    }
}
