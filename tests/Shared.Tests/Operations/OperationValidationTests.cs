using StorageHa.Shared.Operations;
using StorageHa.Shared.State;
using StorageHa.Shared.Tests.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Operations;

/// <summary>An operation is refused, naming the field and why, unless its names are valid and the cluster has them.</summary>
public sealed class OperationValidationTests
{
    // A live 3-node cluster: vip1–3, web and dummy1 (failed) on node1–node3.
    private static readonly ClusterState Live = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-3node-failed-dummy.xml"));
    // Pacemaker's regression CIB: clones, a group (exim-group: Public-IP, Email), a bundle, guest nodes, offline nodes.
    private static readonly ClusterState Regression = CrmMonParser.Parse(Corpus.XmlOf(Corpus.ExpFiles[0], "XML output"));

    private static ValidationError Single(ClusterOperation operation, ClusterState state) => Assert.Single(operation.Check(state));

    [Fact]
    public void KnownNodesAndResources_PassEveryCheck()
    {
        var vipHolder = Live.WhereRuns("vip1")!;
        var other = Live.Nodes.First(n => n.Name != vipHolder).Name;
        ClusterOperation[] fine =
        [
            new SetNodeStandby("node2", true), new SetNodeStandby("node2", false), new SetNodeMaintenance("node3", true),
            new SetClusterMaintenance(true), new MoveResource("vip1", other), new ClearMove("vip1"),
            new CleanupResource("dummy1"), new CleanupResource("dummy1", "node1"),
        ];
        foreach (var operation in fine) Assert.Empty(operation.Check(Live));
    }

    [Fact]
    public void UnknownNode_IsRefused_NamingTheClustersNodes()
    {
        var error = Single(new SetNodeStandby("node9", true), Live);
        Assert.Equal("node", error.Field);
        Assert.Equal("'node9' is not a node of this cluster (its nodes: node1, node2, node3)", error.Message);
    }

    [Fact]
    public void UnknownResource_IsRefused()
    {
        var error = Single(new ClearMove("vip9"), Live);
        Assert.Equal(("resource", "'vip9' is not a resource of this cluster"), (error.Field, error.Message));
    }

    [Theory]
    [InlineData("node1; reboot")]
    [InlineData("-rf")]
    [InlineData("")]
    [InlineData("node 1")]
    public void HostileNodeName_IsRefusedByTheInputRules_BeforeAnyLookup(string node)
    {
        var error = Single(new SetNodeMaintenance(node, true), Live);
        Assert.Equal("node", error.Field);
        Assert.DoesNotContain("is not a node of this cluster", error.Message);
    }

    [Theory]
    [InlineData("vip1 --force")]
    [InlineData("--all")]
    [InlineData("1vip")]
    [InlineData("vip'1")]
    public void HostileResourceName_IsRefusedByTheInputRules(string resource)
    {
        var error = Single(new CleanupResource(resource), Live);
        Assert.Equal("resource", error.Field);
        Assert.Contains("may contain only letters, digits", error.Message);
    }

    [Fact]
    public void BothNamesWrong_AreBothReported()
    {
        var errors = new MoveResource("--all", "node;1").Check(Live);
        Assert.Equal(["resource", "node"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Ensure_ThrowsInvalidInput_WithTheFields()
    {
        var refused = Assert.Throws<InvalidInputException>(() => new SetNodeStandby("node9", true).Ensure(Live));
        Assert.Equal("node", Assert.Single(refused.Errors).Field);
    }

    [Fact]
    public void MoveToTheNodeItRunsOn_IsRefused()
    {
        var holder = Live.WhereRuns("vip1")!;
        Assert.Equal($"vip1 already runs on {holder}", Single(new MoveResource("vip1", holder), Live).Message);
    }

    [Fact]
    public void MoveOfAClone_IsRefused_ItRunsEverywhere()
    {
        var error = Single(new MoveResource("ping-clone", "cluster01"), Regression);
        Assert.Contains("clone or bundle that runs on several nodes", error.Message);
        Assert.Contains("clone or bundle", Single(new MoveResource("ping", "cluster01"), Regression).Message);
    }

    [Fact]
    public void MoveOfAGroupMember_IsRefused_NamingTheGroup()
    {
        Assert.Equal("Email is part of the group exim-group: move the group instead",
            Single(new MoveResource("Email", "cluster01"), Regression).Message);
        Assert.Empty(new MoveResource("exim-group", "cluster01").Check(Regression));
    }

    [Fact]
    public void MoveToAnOfflineOrStandbyNode_IsRefused_SayingWhy()
    {
        var offline = Regression.Nodes.First(n => n.Status == NodeStatus.Offline).Name;
        Assert.Equal($"{offline} is offline: resources cannot be moved to it now", Single(new MoveResource("dummy", offline), Regression).Message);
    }

    [Fact]
    public void CleanupOfAFailedCloneInstance_UsesTheResourcesOwnId()
    {
        Assert.Equal("ping", ClusterResources.Base("ping:1"));
        Assert.Equal("vip1", ClusterResources.Base("vip1"));
        Assert.Contains("mysql-group", ClusterResources.Ids(Regression));
        Assert.Contains("httpd-bundle", ClusterResources.Ids(Regression));
    }
}
