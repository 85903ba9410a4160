using System.Xml.Linq;
using System.Xml.XPath;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>Tier 1: the lifecycle plans' CIB batches with the real pcs -f on the CIB the lab spec built, then crm_verify, then once more (all done).</summary>
public sealed class LifecycleCibTests(LabCib lab, ITestOutputHelper output) : IClassFixture<LabCib>
{
    [Fact]
    public async Task AddingNode4_GivesEveryVipAScoreOnIt()
    {
        var facts = lab.Lab.Facts.ToDictionary();
        facts["node4"] = facts["node3"] with { Interfaces = [new("eth0", null, true, ["192.0.2.14/24"])] };
        var spec = lab.Lab.Spec with { Nodes = [.. lab.Lab.Spec.Nodes, new NodeSpec { Name = "node4", Address = "192.0.2.14" }] };

        var cib = await ApplyTwice(LifecyclePlans.AddNode(spec, "node4", facts));

        Assert.All(spec.VirtualIps, v => Assert.Single(cib.XPathSelectElements($"//rsc_location[@rsc='{ResourceIds.Vip(v.Address)}' and @node='node4']")));
        Assert.All(spec.VirtualIps, v => Assert.Equal(4, cib.XPathSelectElements($"//rsc_location[@rsc='{ResourceIds.Vip(v.Address)}']").Count()));
    }

    [Fact]
    public async Task RemovingNode3_LeavesNoScoreOnIt()
    {
        var cib = await ApplyTwice(LifecyclePlans.RemoveNode(lab.Lab.Spec, "node3", lab.Lab.Facts));

        Assert.Empty(cib.XPathSelectElements("//rsc_location[@node='node3']"));
        Assert.All(lab.Lab.Spec.VirtualIps, v => Assert.Equal(2, cib.XPathSelectElements($"//rsc_location[@rsc='{ResourceIds.Vip(v.Address)}']").Count()));
    }

    [Fact]
    public async Task Teardown_LeavesNoResourceAndNoConstraint()
    {
        var cib = await ApplyTwice(LifecyclePlans.Teardown(lab.Lab.Spec, lab.Lab.Facts));

        Assert.Empty(cib.XPathSelectElements("/cib/configuration/resources/*"));
        Assert.Empty(cib.XPathSelectElements("/cib/configuration/constraints/*"));
    }

    private async Task<XDocument> ApplyTwice(Plan plan)
    {
        var result = await OfflineCib.ApplyAsync(plan, lab.Xml);
        Assert.True(result.Succeeded, $"{result.Failed?.Step.Id}: {result.Failed?.Result?.CommandLine}\n{result.Failed?.Result?.Error}");
        output.WriteLine($"ran {string.Join(", ", result.Commands.Where(c => !c.Skipped).Select(c => c.Step.Id))}");
        var (valid, findings) = await Simulator.VerifyAsync(result.CibXml);
        Assert.True(valid, string.Join('\n', findings));
        var again = await OfflineCib.ApplyAsync(plan, result.CibXml);
        Assert.All(again.Commands, c => Assert.True(c.Skipped, $"{c.Step.Id} ran again: {c.Step.CommandLine}"));
        return XDocument.Parse(result.CibXml);
    }
}
