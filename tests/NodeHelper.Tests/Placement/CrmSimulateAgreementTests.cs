using System.Xml.Linq;
using StorageHa.Shared.Placement;

namespace StorageHa.NodeHelper.Tests.Placement;

/// <summary>Pacemaker itself, given our location scores and stickiness 0, runs every VIP where the plan predicts.</summary>
public class CrmSimulateAgreementTests
{
    private static readonly string[] Nodes = ["node1", "node2", "node3", "node4", "node5"];
    private static readonly string[] Vips = Enumerable.Range(1, 10).Select(i => $"192.0.2.{i}").ToArray();

    private static string ResourceId(string vip) => "vip-" + vip.Replace('.', '-');

    [Fact]
    public void EverySingleAndDoubleFailure_OfFiveNodesTenVips_RunsEachVipWhereThePlanSays_AndFailsBack()
    {
        var plan = VipPlacement.Plan(Nodes, Vips);
        using var cib = new OfflineCib();
        cib.Replace(new XElement("crm_config", new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"),
            NvPair("cib-bootstrap-options", "stonith-enabled", "false"),
            NvPair("cib-bootstrap-options", "no-quorum-policy", "ignore"))));
        cib.Add(new XElement("rsc_defaults", new XElement("meta_attributes", new XAttribute("id", "rsc-options"),
            NvPair("rsc-options", "resource-stickiness", "0"))));
        cib.Replace(new XElement("resources", plan.Vips.Select(v => IpAddress2(ResourceId(v.Vip), v.Vip))));
        cib.Replace(new XElement("constraints", PlacementConstraints.LocationElements(plan, ResourceId)));

        var healthy = cib.Simulate(cib.Path, "up", Nodes.SelectMany(n => new[] { "--node-up", n }));
        AssertAgrees(plan, [], OfflineCib.RunningNodes(healthy));

        var checkedSets = 0;
        foreach (var failed in PlacementBalance.FailureSets(plan.Nodes, 1).Concat(PlacementBalance.FailureSets(plan.Nodes, 2)))
        {
            var name = "down-" + string.Join('-', failed);
            var degraded = cib.Simulate(healthy, name, failed.SelectMany(n => new[] { "--node-fail", n }));
            AssertAgrees(plan, failed, OfflineCib.RunningNodes(degraded));

            var recovered = cib.Simulate(degraded, name + "-back", failed.SelectMany(n => new[] { "--node-up", n }));
            AssertAgrees(plan, [], OfflineCib.RunningNodes(recovered));
            checkedSets++;
        }
        Assert.Equal(5 + 10, checkedSets);
    }

    private static void AssertAgrees(PlacementPlan plan, string[] failed, IReadOnlyDictionary<string, string?> pacemaker)
    {
        var predicted = plan.RunningNodes(failed).ToDictionary(p => ResourceId(p.Key), p => p.Value);
        Assert.True(predicted.OrderBy(p => p.Key).SequenceEqual(pacemaker.OrderBy(p => p.Key)),
            $"down [{string.Join(",", failed)}]: predicted {Show(predicted)} but crm_simulate ran {Show(pacemaker)}");
    }

    private static string Show(IEnumerable<KeyValuePair<string, string?>> running) =>
        string.Join(" ", running.OrderBy(p => p.Key).Select(p => $"{p.Key}@{p.Value ?? "-"}"));

    private static XElement NvPair(string set, string name, string value) =>
        new("nvpair", new XAttribute("id", $"{set}-{name}"), new XAttribute("name", name), new XAttribute("value", value));

    private static XElement IpAddress2(string id, string address) =>
        new("primitive", new XAttribute("id", id), new XAttribute("class", "ocf"), new XAttribute("provider", "heartbeat"), new XAttribute("type", "IPaddr2"),
            new XElement("instance_attributes", new XAttribute("id", id + "-params"),
                NvPair(id + "-params", "ip", address), NvPair(id + "-params", "cidr_netmask", "24")),
            new XElement("operations", new XElement("op", new XAttribute("id", id + "-monitor"), new XAttribute("name", "monitor"), new XAttribute("interval", "60s"))));
}
