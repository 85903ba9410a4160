using StorageHa.Client.Model;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Client.Tests.Model;

/// <summary>The wizard's proposed VIP: the highest address of the first IPv4 node's subnet that nothing holds.</summary>
public sealed class WizardFreeAddressTests
{
    private static readonly IReadOnlyDictionary<string, NodeFacts> NoFacts = new Dictionary<string, NodeFacts>();

    private static ClusterSpec Spec(int? prefix = 24, params string[] addresses) => new()
    {
        Name = "nas",
        Nodes = addresses.Select((a, i) => new NodeSpec { Name = $"node{i + 1}", Address = a, Prefix = prefix }).ToList(),
    };

    [Fact]
    public void TheHighestAddressOfTheSubnet_IsProposed_NotItsBroadcast()
    {
        Assert.Equal(("10.0.0.254", 24), WizardFreeAddress.Propose(Spec(24, "10.0.0.11"), NoFacts));
        Assert.Equal(("10.0.0.14", 28), WizardFreeAddress.Propose(Spec(28, "10.0.0.1"), NoFacts));
    }

    [Fact]
    public void NodesVips_AndAddressesFoundAnswering_AreSkipped()
    {
        var spec = Spec(24, "10.0.0.11", "10.0.0.254") with { VirtualIps = [new VirtualIpSpec { Address = "10.0.0.253" }] };
        Assert.Equal(("10.0.0.250", 24), WizardFreeAddress.Propose(spec, NoFacts, alsoTaken: ["10.0.0.252", "10.0.0.251"]));
    }

    [Fact]
    public void AnAddressANodeHolds_AsItsProbeFound_IsSkipped_AndTheProbesPrefixWins()
    {
        var facts = new Dictionary<string, NodeFacts>
        {
            ["node1"] = new() { Interfaces = [new NetworkInterface("eth0", null, true, ["10.0.0.11/25", "10.0.0.126/25"])] },
        };
        // The probe says /25, so the subnet ends at .127; .126 is the node's second address.
        Assert.Equal(("10.0.0.125", 25), WizardFreeAddress.Propose(Spec(24, "10.0.0.11"), facts));
    }

    [Fact]
    public void AFullSubnet_ProposesNothing()
    {
        Assert.Null(WizardFreeAddress.Propose(Spec(30, "10.0.0.1", "10.0.0.2"), NoFacts));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(31)]
    [InlineData(32)]
    public void APrefixOutside8To30_ProposesNothing(int prefix)
    {
        Assert.Null(WizardFreeAddress.Propose(Spec(prefix, "10.0.0.1"), NoFacts));
    }

    [Fact]
    public void ANodeWhosePrefixNeitherInventoryNorProbeKnows_ProposesNothing()
    {
        Assert.Null(WizardFreeAddress.Propose(Spec(null, "10.0.0.1"), NoFacts));
    }

    [Fact]
    public void NodesWithOnlyIpv6Addresses_ProposeNothing()
    {
        Assert.Null(WizardFreeAddress.Propose(Spec(64, "2001:db8::1"), NoFacts));
    }

    [Fact]
    public void TheFirstIpv4Node_GivesTheSubnet_WhenAnIpv6NodeComesFirst()
    {
        Assert.Equal(("192.0.2.254", 24), WizardFreeAddress.Propose(Spec(24, "2001:db8::1", "192.0.2.10"), NoFacts));
    }
}
