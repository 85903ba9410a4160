using System.Xml.Linq;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Tests.Provisioning;

public class NfsGraceTests
{
    private static Plan PlanOf(ClusterSpec spec) => PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));

    private static XElement Written(Plan plan, string id) => ((EditCib)plan.CibBatch.Single(s => s.Id == "cib-" + id).Action).Written!;

    private static (string?, string?, string?) Attributes(XElement e, params string[] names) =>
        (e.Attribute(names[0])?.Value, e.Attribute(names[1])?.Value, e.Attribute(names[2])?.Value);

    private static IEnumerable<string> Settings(XElement e) =>
        e.Descendants("instance_attributes").Elements("nvpair").Select(n => $"{n.Attribute("name")!.Value}={n.Attribute("value")!.Value}");

    [Fact]
    public void NfsCluster_GetsAGraceClonePerVip_OnGaneshasSharedState_BesideGanesha_RestartedWhenTheVipStarts()
    {
        var plan = PlanOf(SpecExamples.ThreeNodes(vips: 2));

        foreach (var address in new[] { "192.0.2.101", "192.0.2.102" })
        {
            var grace = NfsGrace.ResourceId(address);
            Assert.Equal($"nfs-grace-vip-{address}", grace);
            var clone = NfsGrace.CloneId(address);
            var created = Written(plan, $"nfs-grace-{address}");
            Assert.Equal(("clone", clone), (created.Name.LocalName, created.Attribute("id")!.Value));
            var primitive = created.Element("primitive")!;
            Assert.Equal((grace, "ocf", "storageha:ganesha-grace"), (primitive.Attribute("id")!.Value, primitive.Attribute("class")!.Value,
                $"{primitive.Attribute("provider")!.Value}:{primitive.Attribute("type")!.Value}"));
            Assert.Equal([$"vip={address}", "state=/srv/state/ganesha"], Settings(primitive));
            Assert.Equal("true", created.Descendants("nvpair").Single(n => n.Attribute("name")!.Value == "interleave").Attribute("value")!.Value);
            // Mandatory (no kind): every instance restarts whenever the VIP starts on another node, which is what puts every node into grace.
            Assert.Equal(($"vip-{address}", clone, null), Attributes(Written(plan, $"nfs-grace-{address}-after-vip"), "first", "then", "kind"));
            Assert.Equal((clone, ResourceIds.GaneshaClone, "INFINITY"), Attributes(Written(plan, $"nfs-grace-{address}-with-ganesha"), "rsc", "with-rsc", "score"));
            Assert.Equal((ResourceIds.GaneshaClone, clone, null), Attributes(Written(plan, $"nfs-grace-{address}-after-ganesha"), "first", "then", "kind"));
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

        Assert.Contains("cmdline_options=-F -f /etc/ganesha/ganesha.conf -p /run/ganesha.nfsd.pid -L /var/log/ganesha/ganesha.log", Settings(Written(plan, "ganesha")));
    }
}
