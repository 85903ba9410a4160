using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.Provisioning.Steps;

/// <summary>What the plan waits for in the cluster, judged on crm_mon's XML by the one parser.</summary>
public class ClusterConditionTests
{
    private static ClusterState State(bool quorum, params (string Name, bool Online, bool Standby, int Running)[] nodes) =>
        CrmMonParser.Parse($"""
            <pacemaker-result api-version="2.30" request="crm_mon -1 --output-as=xml">
              <summary>
                <current_dc present="true" version="2.1.5" name="node1" id="1" with_quorum="{(quorum ? "true" : "false")}"/>
                <nodes_configured number="{nodes.Length}"/>
                <resources_configured number="0" disabled="0" blocked="0"/>
              </summary>
              <nodes>
                {string.Concat(nodes.Select((n, i) => $"""<node name="{n.Name}" id="{i + 1}" online="{(n.Online ? "true" : "false")}" standby="{(n.Standby ? "true" : "false")}" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="{(i == 0 ? "true" : "false")}" resources_running="{n.Running}" type="member"/>"""))}
              </nodes>
              <status code="0" message="OK"/>
            </pacemaker-result>
            """);

    [Fact]
    public void Drained_IsStandbyWithNothingRunning_OrGoneFromTheCluster()
    {
        var condition = new Drained("node3");

        Assert.Null(condition.Unmet(State(true, ("node1", true, false, 4), ("node3", true, true, 0))));
        Assert.Null(condition.Unmet(State(true, ("node1", true, false, 4), ("node2", true, false, 3))));
        Assert.Equal("node3 is not in standby", condition.Unmet(State(true, ("node1", true, false, 4), ("node3", true, false, 0))));
        Assert.Equal("node3 still runs 2 resource(s)", condition.Unmet(State(true, ("node1", true, false, 4), ("node3", true, true, 2))));
    }

    [Fact]
    public void AConditionSaysWhatItWaitsFor_InTheAdminsWords()
    {
        Assert.Equal("node3 in standby with nothing running on it (or gone from the cluster)", new Drained("node3").Describe());
    }
}
