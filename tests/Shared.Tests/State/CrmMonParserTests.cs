using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

public sealed class CrmMonParserTests
{
    // Shaped like Pacemaker 1.1's crm_mon -X: "ocf::provider:type" agents, Master/Slave roles, no blocked attribute.
    private const string Legacy = """
        <?xml version="1.0"?>
        <crm_mon version="1.1.15">
            <summary>
                <stack type="corosync" />
                <current_dc present="true" version="1.1.15-11.el7" name="pg3" id="3" with_quorum="true" />
                <last_update time="Thu May 11 15:13:22 2017" />
                <nodes_configured number="3" expected_votes="unknown" />
                <resources_configured number="4" />
                <cluster_options stonith-enabled="false" symmetric-cluster="true" no-quorum-policy="stop" />
            </summary>
            <nodes>
                <node name="pg1" id="1" online="true" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="false" resources_running="2" type="member" />
                <node name="pg2" id="2" online="true" standby="true" standby_onfail="false" maintenance="false" pending="false" unclean="false" shutdown="false" expected_up="true" is_dc="false" resources_running="0" type="member" />
                <node name="pg3" id="3" online="false" standby="false" standby_onfail="false" maintenance="false" pending="false" unclean="true" shutdown="false" expected_up="true" is_dc="true" resources_running="1" type="member" />
            </nodes>
            <resources>
                <clone id="pgsql-ha" multi_state="true" unique="false" managed="true" failed="false" failure_ignored="false" >
                    <resource id="pgsqld" resource_agent="ocf::heartbeat:pgsqlms" role="Master" active="true" orphaned="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1" >
                        <node name="pg1" id="1" cached="false"/>
                    </resource>
                    <resource id="pgsqld" resource_agent="ocf::heartbeat:pgsqlms" role="Slave" active="true" orphaned="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1" >
                        <node name="pg3" id="3" cached="false"/>
                    </resource>
                </clone>
                <resource id="pgsql-master-ip" resource_agent="ocf::heartbeat:IPaddr2" role="Started" active="true" orphaned="false" managed="true" failed="false" failure_ignored="false" nodes_running_on="1" >
                    <node name="pg1" id="1" cached="false"/>
                </resource>
            </resources>
            <failures>
                <failure op_key="pgsqld_monitor_15000" node="pg3" exitstatus="not running" exitreason="" exitcode="7" call="33" status="complete" last-rc-change="Thu May 11 15:09:00 2017" queued="0" exec="0" interval="15000" task="monitor" />
            </failures>
            <fence_history>
                <fence_event target="pg2" action="reboot" delegate="pg1" client="stonith_admin.1234" origin="pg1" completed="2017-05-11 15:10:00 +02:00" status="success"/>
            </fence_history>
            <tickets>
                <ticket id="site-a" status="granted" standby="false" last-granted="Thu May 11 15:00:00 2017"/>
            </tickets>
            <bans>
                <ban id="cli-ban-pgsql-master-ip-on-pg2" resource="pgsql-master-ip" node="pg2" weight="-INFINITY" master_only="false" />
            </bans>
        </crm_mon>
        """;

    [Fact]
    public void LegacyCrmMonX_IsRead_WithAgentsAndRolesInTodaysWords()
    {
        var state = CrmMonParser.Parse(Legacy);

        Assert.Equal((CrmMonFormat.Legacy, "1.1.15"), (state.Format, state.Version));
        Assert.Equal(("pg3", true, false), (state.Summary.DcName, state.Summary.HasQuorum, state.Summary.FencingEnabled));
        Assert.Equal([NodeStatus.Online, NodeStatus.Standby, NodeStatus.Unclean], state.Nodes.Select(n => n.Status));
        Assert.Equal(
            [("pgsqld", ResourceRole.Promoted, "pg1"), ("pgsqld", ResourceRole.Unpromoted, "pg3"), ("pgsql-master-ip", ResourceRole.Started, "pg1")],
            state.Instances.Select(i => (i.Id, i.Role, i.Node!)));
        Assert.Equal("ocf:heartbeat:IPaddr2", Assert.Single(state.VirtualIps).Agent);
        Assert.True(Assert.IsType<CloneSet>(state.Resources[0]).Promotable);
        var failure = Assert.Single(state.Failures);
        Assert.Equal(("pgsqld", "monitor", 15000L, null), (failure.Resource, failure.Task, failure.IntervalMs!.Value, failure.ExitReason));
        Assert.Equal(new DateTimeOffset(2017, 5, 11, 15, 9, 0, TimeSpan.Zero), failure.LastRcChangeTime);
        var fence = Assert.Single(state.FenceHistory);
        Assert.Equal(("pg2", "reboot", FenceStatus.Success, "pg1"), (fence.Target, fence.Action, fence.Status, fence.Delegate));
        Assert.Equal(new DateTimeOffset(2017, 5, 11, 15, 10, 0, TimeSpan.FromHours(2)), fence.CompletedTime);
        Assert.Equal(new Ticket("site-a", true, false, "Thu May 11 15:00:00 2017"), Assert.Single(state.Tickets));
        Assert.Equal(new LocationBan("cli-ban-pgsql-master-ip-on-pg2", "pgsql-master-ip", "pg2", -1_000_000, false), Assert.Single(state.Bans));
    }

    [Fact]
    public void LegacyGroupedByNode_WithoutNodeChildren_PutsEachResourceOnItsNode()
    {
        var state = CrmMonParser.Parse("""
            <crm_mon version="1.1.18"><nodes>
              <node name="hana01" id="1" online="true" type="member">
                <resource id="rsc_ip" resource_agent="ocf::heartbeat:IPaddr2" role="Started" active="true" nodes_running_on="1" />
              </node>
            </nodes></crm_mon>
            """);

        Assert.Equal("hana01", state.WhereRuns("rsc_ip"));
    }

    [Theory]
    [InlineData("", "printed nothing")]
    [InlineData("   \n", "printed nothing")]
    [InlineData("crm_mon: Error: cluster is not available on this node", "not XML at line 1")]
    [InlineData("<pacemaker-result api-version=\"2.25\"><summary><stack type=\"corosync\"/>", "truncated")]
    [InlineData("<pacemaker-result><nodes><node online=\"true\"/></nodes></pacemaker-result>", "<node> without its name attribute at line 1")]
    [InlineData("<html><body>502</body></html>", "the document is <html>")]
    public void UnreadableOutput_IsRefused_SayingWhatIsWrong(string output, string reason)
    {
        var error = Assert.Throws<CrmMonParseException>(() => CrmMonParser.Parse(output));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void TruncatedLiveSnapshot_IsRefused_AsTruncated()
    {
        var live = Corpus.Read("live-2.1.5/live-3node-healthy.xml");

        foreach (var length in new[] { 1, 40, live.Length / 3, live.Length / 2, live.Length - 20 })
            Assert.Contains("truncated", Assert.Throws<CrmMonParseException>(() => CrmMonParser.Parse(live[..length])).Message);
    }

    [Fact]
    public void CrmMonsOwnError_IsRefused_WithItsErrors()
    {
        // What crm_mon 2.1.5 prints when it cannot reach the CIB.
        var error = Assert.Throws<CrmMonParseException>(() => CrmMonParser.Parse("""
            <pacemaker-result api-version="2.25" request="crm_mon -1 --output-as=xml">
              <status code="0" message="OK">
                <errors>
                  <error>Could not connect to the CIB: No such device or address</error>
                </errors>
              </status>
            </pacemaker-result>
            """));

        Assert.Equal("crm_mon reported no cluster status: Could not connect to the CIB: No such device or address", error.Message);
        Assert.Equal(["Could not connect to the CIB: No such device or address"], error.CrmMonErrors);
    }
}
