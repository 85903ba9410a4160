using StorageHa.Shared.Probe;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>The wizard's "does anything answer there?" asked from a lab node, on the lab's own subnet.</summary>
[Collection(LabCollection.Name)]
public sealed class AddressCheckLabTests(LabFixture fixture)
{
    [Fact]
    public async Task FromANode_AnotherNodesAddressAndItsOwnAnswer_AFreeAddressDoesNot()
    {
        var lab = fixture.Description;
        var free = lab.FreeAddresses[^1];
        string[] asked = [lab.Nodes[1].Address, free, lab.Nodes[0].Address];

        var output = await new LabCluster(fixture).RunAsync(lab.Nodes[0].Name, [.. AddressCheck.Command(asked)]);

        Assert.Equal([lab.Nodes[1].Address, lab.Nodes[0].Address], AddressCheck.Answering(output));
    }
}
