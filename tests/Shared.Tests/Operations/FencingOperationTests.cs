using StorageHa.Shared.Operations;
using StorageHa.Shared.State;
using StorageHa.Shared.Tests.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Operations;

/// <summary>
/// Fencing a node by hand and acknowledging one as off: confirmed by the node's name typed, run from another online node
/// with stonith_admin, refused with the reason when it cannot be right.
/// </summary>
public sealed class FencingOperationTests
{
    // Three nodes online, a fence device each (recorded in the lab before node3 crashed).
    private static readonly ClusterState AllOnline = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-fence-failed-1-before-crash.xml"));
    // node3 crashed and its fence failed: node3 offline and unclean.
    private static readonly ClusterState Node3Lost = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-fence-failed-3-failed.xml"));

    [Fact]
    public void FenceByHand_IsStonithAdmin_RebootOrOff_WithItsOwnTimeout_AndAnAuditKindOfItsOwn()
    {
        Assert.Equal(["stonith_admin", "--reboot", "node3", "--timeout", "50"], new FenceNode("node3", FenceKind.Reboot, "node3").Argv());
        Assert.Equal(["stonith_admin", "--off", "node3", "--timeout", "50"], new FenceNode("node3", FenceKind.Off, "node3").Argv());
        Assert.Equal(["stonith_admin", "--confirm", "node3"], new AcknowledgeNodeOff("node3", "node3").Argv());
        Assert.Equal(["node-fence-reboot", "node-fence-off", "node-acknowledge-off"],
            new ClusterOperation[] { new FenceNode("n", FenceKind.Reboot, "n"), new FenceNode("n", FenceKind.Off, "n"), new AcknowledgeNodeOff("n", "n") }.Select(o => o.Kind));
    }

    [Fact]
    public void WithoutTheNodesNameTyped_NothingRuns()
    {
        foreach (var operation in new ClusterOperation[] { new FenceNode("node3", FenceKind.Reboot, null), new AcknowledgeNodeOff("node3", "node2") })
        {
            var error = Assert.Single(operation.Check(Node3Lost));
            Assert.Equal(new ValidationError("confirm", "type the node's name, node3, to confirm"), error);
        }
    }

    [Fact]
    public void ANodeName_ThatIsNoName_IsRefusedBeforeAnythingIsAsked()
    {
        var wrong = Assert.Throws<InvalidInputException>(() => new FenceNode("node3; reboot", FenceKind.Reboot, "node3; reboot").EnsureWellFormed());
        Assert.Equal("node", Assert.Single(wrong.Errors).Field);
    }

    [Fact]
    public void Fencing_RunsOnlyFromAnotherOnlineNode()
    {
        var fence = new FenceNode("node3", FenceKind.Reboot, "node3");
        Assert.Equal(["node1", "node2"], AllOnline.Nodes.Select(n => n.Name).Where(n => fence.MayRunOn(AllOnline, n)));
        var acknowledge = new AcknowledgeNodeOff("node3", "node3");
        Assert.Equal(["node1", "node2"], Node3Lost.Nodes.Select(n => n.Name).Where(n => acknowledge.MayRunOn(Node3Lost, n)));
    }

    [Fact]
    public void TheOnlyNodeLeftOnline_IsNotFenced()
    {
        var alone = AllOnline with { Nodes = [.. AllOnline.Nodes.Select(n => n.Name == "node1" ? n : n with { Online = false })] };

        var error = Assert.Single(new FenceNode("node1", FenceKind.Off, "node1").Check(alone));

        Assert.Equal(new ValidationError("node", "node1 is the only node left online: there is no other node to fence it from, and fencing it would stop every service"), error);
        Assert.Empty(new FenceNode("node2", FenceKind.Off, "node2").Check(alone));
    }

    [Fact]
    public void AnOnlineNode_CannotBeAcknowledgedOff_AnOfflineOneCan()
    {
        var error = Assert.Single(new AcknowledgeNodeOff("node3", "node3").Check(AllOnline));
        Assert.Equal("node", error.Field);
        Assert.Contains("node3 is online", error.Message);
        Assert.Empty(new AcknowledgeNodeOff("node3", "node3").Check(Node3Lost));
        Assert.Contains("two nodes serve the same virtual IPs", new AcknowledgeNodeOff("node3", "node3").Consequence);
    }

    [Fact]
    public void ANodeNoDeviceCanFence_IsRefused_NamingWhy_AndOneWithADevice_IsNot()
    {
        // What stonith_admin 2.1.5 printed in the lab, for node3 (fence-node3) and for a node with no device.
        const string one = """
            <pacemaker-result api-version="2.25" request="stonith_admin --list node3 --output-as=xml">
              <list name="registered fence devices" count="1">
                <item name="device">fence-node3</item>
              </list>
              <status code="0" message="OK"/>
            </pacemaker-result>
            """;
        const string none = """
            <pacemaker-result api-version="2.25" request="stonith_admin --list nodeX --output-as=xml">
              <list name="registered fence devices" count="0"/>
              <status code="0" message="OK"/>
            </pacemaker-result>
            """;
        var check = new FenceNode("node3", FenceKind.Reboot, "node3").Precheck!;

        Assert.Equal(["stonith_admin", "--list", "node3", "--output-as=xml"], check.Argv);
        Assert.Equal(["fence-node3"], FencerDeviceList.Read(new OperationCheckResult(0, one, "")));
        Assert.Null(check.Refusal(new OperationCheckResult(0, one, "")));
        Assert.Equal(new ValidationError("node", "no fence device can fence node3: configure one for it (the cluster's fencing) before fencing it by hand"),
            check.Refusal(new OperationCheckResult(0, none, "")));
        var unread = Assert.Throws<FormatException>(() => check.Refusal(new OperationCheckResult(102, "", "crm_mon: Not connected\n")));
        Assert.Contains("exited 102", unread.Message);
        Assert.Null(new AcknowledgeNodeOff("node3", "node3").Precheck);
    }
}
