using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Tests.Provisioning;

public class NfsGraceTests
{
    private static Plan PlanOf(ClusterSpec spec) => PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));

    private static PlanStep Cib(Plan plan, string id) => plan.CibBatch.Single(s => s.Id == "cib-" + id);

    [Fact]
    public void NfsCluster_GetsAGraceClonePerVip_OnGaneshasSharedState_BesideGanesha_RestartedWhenTheVipStarts()
    {
        var plan = PlanOf(SpecExamples.ThreeNodes(vips: 2));

        foreach (var address in new[] { "192.0.2.101", "192.0.2.102" })
        {
            var grace = NfsGrace.ResourceId(address);
            Assert.Equal($"nfs-grace-vip-{address}", grace);
            var clone = NfsGrace.CloneId(address);
            var create = Cib(plan, $"nfs-grace-{address}").Argv;
            Assert.Equal(["pcs", "-f", CibBatch.File, "resource", "create", grace, NfsGrace.Agent, $"vip={address}", "state=/srv/state/ganesha"], create.Take(9));
            Assert.Equal(["clone", "interleave=true"], create.SkipWhile(a => a != "clone").Take(2));
            // Mandatory: every instance restarts whenever the VIP starts on another node, which is what puts every node into grace.
            Assert.Equal(["constraint", "order", $"vip-{address}", "then", clone], Cib(plan, $"nfs-grace-{address}-after-vip").Argv.Skip(3).Take(5));
            Assert.Equal(["constraint", "colocation", "add", clone, "with", ResourceIds.GaneshaClone, "INFINITY"], Cib(plan, $"nfs-grace-{address}-with-ganesha").Argv.Skip(3).Take(7));
            Assert.Equal(["constraint", "order", ResourceIds.GaneshaClone, "then", clone], Cib(plan, $"nfs-grace-{address}-after-ganesha").Argv.Skip(3).Take(5));
        }
    }

    [Fact]
    public void GraceAgents_ComeAfterEveryVip_AndGraceAgentsOfVipsNoLongerInTheSpecAreRemovedFirst()
    {
        var ids = PlanOf(SpecExamples.ThreeNodes(vips: 2)).CibBatch.Select(s => s.Id).ToList();

        var stale = ids.IndexOf("cib-nfs-graces-not-in-spec");
        Assert.True(stale > ids.IndexOf("cib-vip-192.0.2.102"), "the grace agents' clean-up must follow the VIPs it refers to");
        Assert.True(stale < ids.IndexOf("cib-nfs-grace-192.0.2.101"));
        Assert.Equal(1 + 2 * 4, ids.Count(i => i.StartsWith("cib-nfs-grace", StringComparison.Ordinal)));
    }

    [Fact]
    public void Teardown_StopsAndRemovesEveryGraceAgent()
    {
        var spec = SpecExamples.ThreeNodes();
        var teardown = LifecyclePlans.Teardown(spec, SpecExamples.FactsFor(spec));

        string[] graces = [NfsGrace.CloneId("192.0.2.101"), NfsGrace.CloneId("192.0.2.102")];
        Assert.All(graces, id => Assert.Contains(id, teardown.Steps.Single(s => s.Id == "stop-resources").Argv));
        Assert.All(graces, id => Assert.Contains(teardown.Steps, s => s.Id == $"cib-remove-{id}"));
    }

    [Fact]
    public void GraceAgentStep_SaysWhyItIsForced()
    {
        var step = Cib(PlanOf(SpecExamples.ThreeNodes()), "nfs-grace-192.0.2.101");

        Assert.Contains("--force", step.Argv);
        Assert.Contains("installed on the nodes by the node-helper step", step.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void SmbOnlyCluster_HasNoGraceAgent_NorTheGraceWarning()
    {
        var spec = SpecExamples.ThreeNodes() with { Purpose = ClusterPurpose.Smb, Exports = [], SharedState = new() { RecoveryLock = "/srv/state/ctdb/reclock" } };
        var plan = PlanOf(spec);

        Assert.DoesNotContain(plan.CibBatch, s => s.Id.StartsWith("cib-nfs-grace", StringComparison.Ordinal));
        Assert.DoesNotContain(NfsGrace.GraceWarning, plan.Warnings);
    }

    [Fact]
    public void NfsPlan_SaysWhatGraceDoesToNewOpens()
    {
        Assert.Contains(NfsGrace.GraceWarning, PlanOf(SpecExamples.ThreeNodes()).Warnings);
    }

    [Fact]
    public void GaneshaWithoutSystemd_WritesItsPidUnderRun_AndLogsToItsLogFile()
    {
        var plan = PlanOf(SpecExamples.ThreeNodes());

        Assert.Contains("cmdline_options=-F -f /etc/ganesha/ganesha.conf -p /run/ganesha.nfsd.pid -L /var/log/ganesha/ganesha.log", Cib(plan, "ganesha").Argv);
    }
}
