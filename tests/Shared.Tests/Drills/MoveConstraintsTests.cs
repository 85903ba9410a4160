using StorageHa.Shared.Drills;

namespace StorageHa.Shared.Tests.Drills;

/// <summary>The move constraints a drill must not leave behind, read from the CIB.</summary>
public sealed class MoveConstraintsTests
{
    private const string Cib = """
        <cib><configuration><constraints>
          <rsc_location id="cli-prefer-vip-10.99.0.100" rsc="vip-10.99.0.100" role="Started" node="node3" score="INFINITY"/>
          <rsc_location id="cli-ban-vip-10.99.0.101-on-node1" rsc="vip-10.99.0.101" role="Started" node="node1" score="-INFINITY"/>
          <rsc_location id="location-vip-10.99.0.100-node1" rsc="vip-10.99.0.100" node="node1" score="300"/>
          <rsc_location id="cli-prefer-smbd-clone" rsc="smbd-clone" node="node1" score="INFINITY"/>
        </constraints></configuration></cib>
        """;

    [Fact]
    public void OnlyTheCliPreferAndCliBanConstraintsOfTheResourcesAsked_AreFound()
    {
        Assert.Equal(["cli-ban-vip-10.99.0.101-on-node1", "cli-prefer-vip-10.99.0.100"], MoveConstraints.In(Cib, ["vip-10.99.0.100", "vip-10.99.0.101"]));
        Assert.Empty(MoveConstraints.In(Cib, ["vip-10.99.0.102"]));
    }

    [Fact]
    public void ACibThatIsNotXml_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => MoveConstraints.In("Could not connect to the CIB", ["vip-10.99.0.100"]));
    }
}
