using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.Provisioning.Steps;

/// <summary>"Quorate with these nodes online": met only with quorum and every named node online, else it says which is missing.</summary>
public sealed class QuorateWithOnlineTests
{
    private static readonly QuorateWithOnline Formed = new(["node1", "node2", "node3"]);

    [Fact]
    public void AQuorateClusterWithEveryNamedNodeOnline_MeetsIt()
    {
        Assert.Null(Formed.Unmet(State(quorum: true, ("node1", true), ("node2", true), ("node3", true), ("node4", false))));
        Assert.Equal("quorate with node1, node2, node3 online", Formed.Describe());
    }

    [Fact]
    public void WithoutQuorum_ItIsUnmet_WhateverIsOnline() =>
        Assert.Equal("no quorum", Formed.Unmet(State(quorum: false, ("node1", true), ("node2", true), ("node3", true))));

    [Fact]
    public void ANamedNodeOfflineOrUnknown_IsNamed() =>
        Assert.Equal("quorate, but not online: node2, node3", Formed.Unmet(State(quorum: true, ("node1", true), ("node2", false))));

    private static ClusterState State(bool quorum, params (string Name, bool Online)[] nodes) => new()
    {
        Summary = new ClusterSummary { DcPresent = true, DcName = "node1", HasQuorum = quorum },
        Nodes = [.. nodes.Select(n => new ClusterNode { Name = n.Name, Online = n.Online })],
    };
}
