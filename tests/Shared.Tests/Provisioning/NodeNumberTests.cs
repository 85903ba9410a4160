using System.Text.Json;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>Node numbers: corosync's node ids and CTDB's lines, kept by every node while others leave and join.</summary>
public class NodeNumberTests
{
    /// <summary>The lab after node2 left and joined again: it took number 4, after every other node's.</summary>
    private static ClusterSpec Rejoined()
    {
        var lab = SpecExamples.ThreeNodes();
        return lab with { Nodes = [lab.Nodes[0] with { Number = 1 }, lab.Nodes[2] with { Number = 3 }, lab.Nodes[1] with { Number = 4 }] };
    }

    [Fact]
    public void CorosyncConf_GivesEachNodeItsNumberAsNodeId_AlsoWithAGap()
    {
        var spec = Rejoined();

        Assert.Equal(
            "nodelist {\n" +
            $"    node {{\n        ring0_addr: {spec.Nodes[0].Address}\n        name: node1\n        nodeid: 1\n    }}\n" +
            $"    node {{\n        ring0_addr: {spec.Nodes[1].Address}\n        name: node3\n        nodeid: 3\n    }}\n" +
            $"    node {{\n        ring0_addr: {spec.Nodes[2].Address}\n        name: node2\n        nodeid: 4\n    }}\n" +
            "}\n",
            Section(ConfigFiles.CorosyncConf(spec), "nodelist {"));
    }

    [Fact]
    public void CtdbNodes_HasALinePerNumber_AGapIsADeletedNodeLine()
    {
        var spec = Rejoined();

        Assert.Equal($"{spec.Nodes[0].Address}\n#\n{spec.Nodes[1].Address}\n{spec.Nodes[2].Address}\n", ConfigFiles.CtdbNodes(spec));
    }

    [Fact]
    public void AfterTheHighestNumberedNodeLeft_CtdbNodesKeepsItsLine_AsADeletedNode()
    {
        var lab = SpecExamples.ThreeNodes();
        var left = lab with { Nodes = lab.Nodes.Take(2).ToArray(), HighestNodeNumber = 3 };

        Assert.Equal($"{lab.Nodes[0].Address}\n{lab.Nodes[1].Address}\n#\n", ConfigFiles.CtdbNodes(left));
        // What the removal wrote, so the cluster's own plan afterwards finds the file done.
        Assert.Equal(ConfigFiles.CtdbNodes(left),
            LifecyclePlans.RemoveNode(lab, "node3", SpecExamples.FactsFor(lab)).Steps.Single(s => s.Id == "ctdb-nodes-node1").Input!.Text);
    }

    [Fact]
    public void NodesWithoutNumbers_AreNumberedInListOrder_AfterTheHighestGiven()
    {
        var spec = new ClusterSpec
        {
            Name = "lab",
            Nodes = [new() { Name = "a", Address = "192.0.2.1", Number = 5 }, new() { Name = "b", Address = "192.0.2.2" }, new() { Name = "c", Address = "192.0.2.3" }],
        };

        Assert.Equal([5, 6, 7], spec.Nodes.Select(n => n.Number));
        Assert.Equal([1, 2, 3], SpecExamples.ThreeNodes().Nodes.Select(n => n.Number));
    }

    [Fact]
    public void DuplicateNumbers_AreRefused_NamingTheSecondNodesNumber()
    {
        var lab = SpecExamples.ThreeNodes();
        var spec = lab with { Nodes = [lab.Nodes[0], lab.Nodes[1] with { Number = 1 }, lab.Nodes[2]] };

        var errors = spec.Validate();

        Assert.Contains(errors, e => e.Field == "nodes[1].number" && e.Message.Contains("another node has this number", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Field is "nodes[0].number" or "nodes[2].number");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(NodeSpec.MaxNumber + 1)]
    public void ANumberOutOfRange_IsRefusedByField(int number)
    {
        var lab = SpecExamples.ThreeNodes();

        var errors = (lab with { Nodes = [lab.Nodes[0], lab.Nodes[1], lab.Nodes[2] with { Number = number }] }).Validate();

        Assert.Contains(errors, e => e.Field == "nodes[2].number" && e.Message.Contains("is not a node number", StringComparison.Ordinal));
    }

    [Fact]
    public void SpecJson_CarriesTheNumbers_ThroughExportAndImport()
    {
        var spec = Rejoined() with { HighestNodeNumber = 5 };

        var json = JsonSerializer.Serialize(spec, GoldenCase.Json);
        var again = JsonSerializer.Deserialize<ClusterSpec>(json, GoldenCase.Json)!;

        Assert.Contains("\"number\":4", json, StringComparison.Ordinal);
        Assert.Equal(5, again.HighestNodeNumber);
        Assert.Equal([("node1", 1), ("node3", 3), ("node2", 4)], again.Nodes.Select(n => (n.Name, n.Number)));
        Assert.Equal(ConfigFiles.CtdbNodes(spec), ConfigFiles.CtdbNodes(again));
    }

    /// <summary>The block that starts with <paramref name="header"/>, through its closing brace.</summary>
    private static string Section(string file, string header)
    {
        var start = file.IndexOf(header, StringComparison.Ordinal);
        return file[start..(file.IndexOf("\n}\n", start, StringComparison.Ordinal) + 3)];
    }
}
