using StorageHa.Shared.Commands;
using StorageHa.Shared.Operations;

namespace StorageHa.Shared.Tests.Operations;

/// <summary>The one place that knows each operation's command: pcs, and Pacemaker's own tools.</summary>
public sealed class OperationArgvTests
{
    public static TheoryData<ClusterOperation, string, string> Commands => new()
    {
        { new SetNodeStandby("node2", On: true), "pcs node standby node2", "crm_attribute --node node2 --name standby --update on" },
        { new SetNodeStandby("node2", On: false), "pcs node unstandby node2", "crm_attribute --node node2 --name standby --update off" },
        { new SetNodeMaintenance("node2", On: true), "pcs node maintenance node2", "crm_attribute --node node2 --name maintenance --update on" },
        { new SetNodeMaintenance("node2", On: false), "pcs node unmaintenance node2", "crm_attribute --node node2 --name maintenance --update off" },
        { new SetClusterMaintenance(On: true), "pcs property set maintenance-mode=true", "crm_attribute --type crm_config --name maintenance-mode --update true" },
        { new SetClusterMaintenance(On: false), "pcs property set maintenance-mode=false", "crm_attribute --type crm_config --name maintenance-mode --update false" },
        { new MoveResource("vip1", "node3"), "pcs resource move-with-constraint vip1 node3", "crm_resource --move --resource vip1 --node node3" },
        { new ClearMove("vip1"), "pcs resource clear vip1", "crm_resource --clear --resource vip1" },
        { new CleanupResource("dummy1"), "pcs resource cleanup dummy1", "crm_resource --cleanup --resource dummy1" },
        { new CleanupResource("dummy1", "node2"), "pcs resource cleanup dummy1 node=node2", "crm_resource --cleanup --resource dummy1 --node node2" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void EachOperation_HasOnePcsCommand_AndOnePacemakerCommand(ClusterOperation operation, string pcs, string pacemaker)
    {
        Assert.Equal(pcs, ShellCommand.Join(operation.Argv(OperationTool.Pcs)));
        Assert.Equal(pacemaker, ShellCommand.Join(operation.Argv(OperationTool.Pacemaker)));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EachOperation_SaysWhatItDoes_AndWhatFollows_InOneDescription(ClusterOperation operation, string pcs, string pacemaker)
    {
        _ = (pcs, pacemaker);
        Assert.StartsWith(operation.Summary + ". ", operation.Description);
        Assert.EndsWith(operation.Consequence, operation.Description);
        Assert.Matches("^[a-z]+(-[a-z]+)*$", operation.Kind);
    }

    [Fact]
    public void Standby_TellsTheAdmin_ThatResourcesLeaveTheNode()
    {
        var standby = new SetNodeStandby("node2", On: true);
        Assert.Equal("Put node2 in standby", standby.Summary);
        Assert.Contains("Every resource running on node2 stops there and starts on another node", standby.Consequence);
    }

    [Fact]
    public void Move_SaysItStaysThere_UntilTheMoveIsCleared()
    {
        var move = new MoveResource("vip1", "node3");
        Assert.Equal("Move vip1 to node3", move.Summary);
        Assert.Contains("until the move is cleared", move.Consequence);
    }

    [Fact]
    public void StandbyAndUnstandby_AreDifferentKinds_ForTheAuditLog()
    {
        Assert.Equal("node-standby", new SetNodeStandby("n", true).Kind);
        Assert.Equal("node-unstandby", new SetNodeStandby("n", false).Kind);
        Assert.Equal("cluster-maintenance", new SetClusterMaintenance(true).Kind);
    }
}
