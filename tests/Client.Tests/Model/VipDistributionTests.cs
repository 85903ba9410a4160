using StorageHa.Client.Model;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Model;

public sealed class VipDistributionTests
{
    private static PrimitiveResource Vip(string id, string? on) => new()
    {
        Id = id, Agent = "ocf:heartbeat:IPaddr2", Role = on is null ? ResourceRole.Stopped : ResourceRole.Started, Active = on is not null, Nodes = on is null ? [] : [on],
    };

    [Fact]
    public void EachNode_InTheClustersOrder_HoldsTheVipsRunningOnIt_AndStoppedOnesRunNowhere()
    {
        var state = new ClusterState
        {
            Nodes = [new ClusterNode { Name = "node1", Online = true }, new ClusterNode { Name = "node2", Online = true }, new ClusterNode { Name = "node3", Online = false }],
            Resources = [Vip("vip-a", "node2"), Vip("vip-b", "node2"), Vip("vip-c", null), new PrimitiveResource { Id = "smbd", Agent = "lsb:smbd", Role = ResourceRole.Started, Active = true, Nodes = ["node1"] }],
        };

        var distribution = VipDistribution.Of(state);

        Assert.Equal(["node1", "node2", "node3"], distribution.Nodes.Select(n => n.Node));
        Assert.Empty(distribution.On("node1"));
        Assert.Equal(["vip-a", "vip-b"], distribution.On("node2"));
        Assert.Equal(["vip-c"], distribution.NotRunning);
        Assert.Equal(3, distribution.VipCount);
        Assert.Empty(distribution.On("node9"));
    }
}
