using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Provisioning;

public class LifecyclePlanTests
{
    /// <summary>The nodes the batch gives a VIP placement score for.</summary>
    private static IEnumerable<string> LocationNodes(Plan plan) =>
        plan.CibEdits.Select(e => e.Written).OfType<System.Xml.Linq.XElement>().SelectMany(e => e.DescendantsAndSelf("rsc_location"))
            .Select(l => l.Attribute("node")!.Value).Distinct();

    private static readonly GoldenCase Lab = GoldenCase.Load("three-node-lab");

    /// <summary>The lab spec with node4 (192.0.2.14) joined last, and its probe facts like node3's.</summary>
    public static (ClusterSpec Spec, IReadOnlyDictionary<string, NodeFacts> Facts) WithNode4()
    {
        var facts = Lab.Facts.ToDictionary();
        facts["node4"] = facts["node3"] with { Interfaces = [new("eth0", null, true, ["192.0.2.14/24"])] };
        return (Lab.Spec with { Nodes = [.. Lab.Spec.Nodes, new NodeSpec { Name = "node4", Address = "192.0.2.14" }] }, facts);
    }

    public static TheoryData<string> Plans() => new(["add-node4", "remove-node3", "teardown", "teardown-two-node-smb"]);

    private static Plan Build(string name) => name switch
    {
        "add-node4" => LifecyclePlans.AddNode(WithNode4().Spec, "node4", WithNode4().Facts),
        "remove-node3" => LifecyclePlans.RemoveNode(Lab.Spec, "node3", Lab.Facts),
        "teardown" => LifecyclePlans.Teardown(Lab.Spec, Lab.Facts),
        _ => LifecyclePlans.Teardown(GoldenCase.Load("two-node-smb").Spec, GoldenCase.Load("two-node-smb").Facts),
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void LifecyclePlan_IsByteForByteTheGoldenPlan_AndTheSameEveryTime(string name)
    {
        GoldenCase.AssertGolden(Path.Combine(GoldenCase.Directory(), $"lifecycle-{name}.plan.txt"), Build(name));
        Assert.Equal(PlanText.Render(Build(name)), PlanText.Render(Build(name)));
    }

    [Theory]
    [MemberData(nameof(Plans))]
    public void EveryStep_HasAUniqueId_AndACheck_ExceptFetchPushSettleAndTheServeCheck(string name)
    {
        var plan = Build(name);
        Assert.Equal(plan.Steps.Count, plan.Steps.Select(s => s.Id).Distinct().Count());
        // The node helper's check is the console's own SHA-256 comparison of the installed files with its bundle;
        // the serve check is a check itself, run every time: "served" is never taken from an earlier run.
        Assert.All(plan.Steps.Where(s => s.Id is not ("cib-fetch" or "cib-push" or "settle") && !s.InstallsNodeHelper && !s.ChecksServing), s => Assert.NotNull(s.Check));
    }

    [Fact]
    public void AddingANode_TellsCtdbAndCorosyncBeforeTheNodeStarts_ThenWaitsForQuorumWithFourNodes_ThenRePlacesTheVips()
    {
        var plan = Build("add-node4");
        var order = plan.Steps.Select(s => s.Id).ToList();

        Assert.True(order.IndexOf("ctdb-nodes") < order.IndexOf("ctdb-reloadnodes"));
        Assert.True(order.IndexOf("ctdb-reloadnodes") < order.IndexOf("start-cluster"));
        Assert.True(order.IndexOf("corosync-reload") < order.IndexOf("start-cluster"));
        Assert.Equal(["node1", "node2", "node3", "node4"], Assert.IsType<QuorateWithOnline>(Assert.IsType<WaitForCluster>(plan.Steps.Single(s => s.Id == "quorum").Action).Condition).Nodes);
        Assert.Contains("node4", LocationNodes(plan));
        Assert.Empty(plan.Blockers);
    }

    [Fact]
    public void OnlyTheNodeWithTheHighestNumber_CanJoin_WhereverItIsListed()
    {
        var (spec, facts) = WithNode4();
        var listedFirst = spec with { Nodes = [spec.Nodes[3], .. spec.Nodes.Take(3)] };

        var error = Assert.Throws<InvalidInputException>(() => LifecyclePlans.AddNode(spec, "node3", facts));

        Assert.Contains(error.Errors, e => e.Field == "nodes" && e.Message.Contains("must be the node with the highest number", StringComparison.Ordinal));
        Assert.Contains("Adds node4 as node 4", LifecyclePlans.AddNode(listedFirst, "node4", facts).Warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void RemovingTheLastNode_DrainsItFirst_AndKeepsItsLineCommentedOutForCtdb()
    {
        var plan = Build("remove-node3");
        var order = plan.Steps.Select(s => s.Id).ToList();

        Assert.Equal(["standby", "stop-cluster"], order.Take(2));
        Assert.Equal(StepTarget.On("node3"), plan.Steps[1].Target);
        Assert.Equal(["crm_node", "--force", "-R", "node3"], plan.Steps.Single(s => s.Id == "forget-node").Argv);
        // Without line 3 CTDB would refuse the reload ("Node 2 missing from nodes file").
        Assert.Equal("192.0.2.11\n192.0.2.12\n#\n", plan.Steps.Single(s => s.Id == "ctdb-nodes-node1").Input!.Text);
        var corosync = plan.Steps.Single(s => s.Id == "corosync-conf-node2").Input!.Text!;
        Assert.Contains("name: node2\n        nodeid: 2", corosync, StringComparison.Ordinal);
        Assert.DoesNotContain("node3", corosync, StringComparison.Ordinal);
        Assert.Contains("two_node: 1", corosync, StringComparison.Ordinal);
        Assert.DoesNotContain(plan.Steps, s => s.Target == StepTarget.AllNodes);
        Assert.DoesNotContain("node3", LocationNodes(plan));
        Assert.Empty(plan.Blockers);
    }

    [Fact]
    public void RemovingTheMiddleNode_IsNotBlocked_AndTheNodesAfterItKeepTheirNumbers()
    {
        var plan = LifecyclePlans.RemoveNode(Lab.Spec, "node2", Lab.Facts);
        var remaining = Lab.Spec with { Nodes = [Lab.Spec.Nodes[0], Lab.Spec.Nodes[2]] };

        Assert.Empty(plan.Blockers);
        Assert.Equal(["standby", "stop-cluster"], plan.Steps.Take(2).Select(s => s.Id));
        Assert.Equal(StepTarget.On("node2"), plan.Steps[1].Target);
        var ctdb = plan.Steps.Single(s => s.Id == "ctdb-nodes-node3").Input!.Text;
        Assert.Equal("192.0.2.11\n#\n192.0.2.13\n", ctdb);
        var corosync = plan.Steps.Single(s => s.Id == "corosync-conf-node1").Input!.Text!;
        Assert.Contains("name: node3\n        nodeid: 3", corosync, StringComparison.Ordinal);
        Assert.DoesNotContain("node2", corosync, StringComparison.Ordinal);
        // What the removal writes is what the cluster's own plan writes afterwards: a re-apply finds both files done.
        Assert.Equal(ConfigFiles.CtdbNodes(remaining), ctdb);
        Assert.Equal(ConfigFiles.CorosyncConf(remaining), corosync);
    }

    [Fact]
    public void Teardown_StopsBeforeRemoving_RemovesInOneBatch_AndNeverNamesAShareFolder()
    {
        var plan = Build("teardown");
        var order = plan.Steps.Select(s => s.Id).ToList();

        Assert.True(order.IndexOf("shares") < order.IndexOf("stop-resources"));
        Assert.True(order.IndexOf("stop-resources") < order.IndexOf("cib-fetch"));
        Assert.True(order.IndexOf("cib-push") < order.IndexOf("stop-cluster"));
        Assert.Equal("restore-files", order[^1]);
        var folders = Lab.Spec.Shares.Select(s => s.Path).Concat(Lab.Spec.Exports.Select(e => e.Path))
            .Append(Lab.Spec.SharedState!.GaneshaState!).Append("/tmp/storageha-lab/shared").ToArray();
        Assert.All(plan.Steps.SelectMany(s => s.Argv), a => Assert.DoesNotContain(a, folders));
        Assert.DoesNotContain(plan.Steps.SelectMany(s => s.Argv), a => a is "-r" or "-rf" or "rmdir");
    }
}
