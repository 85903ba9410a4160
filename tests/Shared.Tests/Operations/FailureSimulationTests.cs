using StorageHa.Shared.Operations;
using StorageHa.Shared.State;
using StorageHa.Shared.Tests.State;

namespace StorageHa.Shared.Tests.Operations;

/// <summary>"Simulate the failure of node X": which nodes may be failed, and what would move.</summary>
public sealed class FailureSimulationTests
{
    private static readonly ClusterState Live = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-3node-healthy.xml"));

    [Fact]
    public void OneOrTwoOnlineNodes_MayBeFailed()
    {
        Assert.Empty(new SimulatedFailure(["node2"]).Check(Live));
        Assert.Empty(new SimulatedFailure(["node1", "node3"]).Check(Live));
    }

    [Theory]
    [InlineData(new string[0], "fail", "name one or 2 nodes to fail")]
    [InlineData(new[] { "node1", "node2", "node3" }, "fail", "name one or 2 nodes to fail")]
    [InlineData(new[] { "node1", "node1" }, "fail", "names a node twice")]
    [InlineData(new[] { "node9" }, "fail[0]", "'node9' is not a node of this cluster")]
    [InlineData(new[] { "node1", "x;y" }, "fail[1]", "may contain only letters, digits and '-', and must start and end with a letter or digit")]
    public void OtherRequests_AreRefused_ByField(string[] nodes, string field, string message)
    {
        var error = Assert.Single(new SimulatedFailure(nodes).Check(Live));
        Assert.Equal((field, message), (error.Field, error.Message));
    }

    [Fact]
    public void FailingEveryOnlineNode_IsRefused()
    {
        var twoLeft = Live with { Nodes = [.. Live.Nodes.Select(n => n.Name == "node3" ? n with { Online = false } : n)] };
        Assert.Equal("node3 is already offline", Assert.Single(new SimulatedFailure(["node3"]).Check(twoLeft)).Message);
        Assert.Equal("no online node would be left: every resource would stop", Assert.Single(new SimulatedFailure(["node1", "node2"]).Check(twoLeft)).Message);
    }

    [Fact]
    public void Moves_AreTheResourcesWhoseNodesChange_InIdOrder()
    {
        var before = new Dictionary<string, IReadOnlyList<string>>
        {
            ["vip2"] = ["node1"], ["vip1"] = ["node1"], ["web"] = ["node2"], ["ping"] = ["node1", "node2"], ["gone"] = ["node1"],
        };
        var after = new Dictionary<string, IReadOnlyList<string>>
        {
            ["vip2"] = ["node3"], ["vip1"] = ["node2"], ["web"] = ["node2"], ["ping"] = ["node2"], ["gone"] = [],
        };

        var moves = FailureSimulation.Between(before, after);

        Assert.Equal(["gone: node1 → stopped", "ping: node1, node2 → node2", "vip1: node1 → node2", "vip2: node1 → node3"],
            moves.Select(m => m.Description));
        Assert.True(moves[0].Stops);
    }
}
