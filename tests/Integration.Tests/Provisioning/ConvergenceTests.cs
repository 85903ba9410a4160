using System.Xml.Linq;
using System.Xml.XPath;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// Tier 1: plan(A) applied with the real pcs -f to an empty CIB, then plan(B) for a changed spec applied to the result.
/// Only what changed runs (every other command's check finds it done), crm_verify is clean, and plan(B) again skips everything.
/// </summary>
public sealed class ConvergenceTests(ITestOutputHelper output)
{
    private static readonly (ClusterSpec Spec, IReadOnlyDictionary<string, NodeFacts> Facts) Lab = GoldenBatches.Load("three-node-lab");

    [Fact]
    public async Task AddingAVip_AddsItWithItsPlacement_AndRebuildsOnlyTheSetConstraints_AndTheScoresThatMoved()
    {
        var b = Lab.Spec with { VirtualIps = [.. Lab.Spec.VirtualIps, new VirtualIpSpec { Address = "192.0.2.105", Prefix = 24 }] };

        var (ran, cib) = await Converge(Lab.Spec, b);

        Assert.Superset(new HashSet<string>
        {
            "cib-vip-192.0.2.105", "cib-vip-192.0.2.105-placement",
            "cib-vips-with-services-stale", "cib-services-then-vips-stale", "cib-vips-with-services", "cib-services-then-vips",
        }, ran.ToHashSet());
        Assert.Equal(ran.Order(StringComparer.Ordinal), ExpectedRuns(Lab.Spec, b).Order(StringComparer.Ordinal));
        Assert.Single(cib.XPathSelectElements("//rsc_colocation[@id='colocation-vips-with-services']/resource_set[1]/resource_ref[@id='vip-192.0.2.105']"));
    }

    [Fact]
    public async Task RemovingAVip_RemovesItsResource_ItsScores_AndItsSetMembership()
    {
        var b = Lab.Spec with { VirtualIps = Lab.Spec.VirtualIps.Where(v => v.Address != "192.0.2.104").ToArray() };

        var (ran, cib) = await Converge(Lab.Spec, b);

        Assert.Contains("cib-vips-not-in-spec", ran);
        Assert.Equal(ran.Order(StringComparer.Ordinal), ExpectedRuns(Lab.Spec, b).Order(StringComparer.Ordinal));
        Assert.Empty(cib.XPathSelectElements("//primitive[@id='vip-192.0.2.104'] | //rsc_location[@rsc='vip-192.0.2.104'] | //resource_ref[@id='vip-192.0.2.104']"));
        Assert.Equal(3, cib.XPathSelectElements("//primitive[@type='IPaddr2']").Count());
    }

    [Fact]
    public async Task AddingAShare_LeavesTheWholeCibBatchSkipped_AndAddsOnlyThatShareStep()
    {
        var b = Lab.Spec with { Shares = [.. Lab.Spec.Shares, new ShareSpec { Name = "scans", Path = "/srv/scans" }] };

        var (ran, _) = await Converge(Lab.Spec, b);

        Assert.Empty(ran);
        var before = PlanBuilder.Build(Lab.Spec, Lab.Facts).Steps.Select(s => s.Id).ToHashSet();
        Assert.Equal(["share-scans"], PlanBuilder.Build(b, Lab.Facts).Steps.Select(s => s.Id).Where(id => !before.Contains(id)));
    }

    [Fact]
    public async Task ChangingAVipsNetmaskAndNic_UpdatesOnlyThatVip()
    {
        var b = Lab.Spec with
        {
            VirtualIps = [.. Lab.Spec.VirtualIps.Select(v => v.Address == "192.0.2.102" ? v with { Prefix = 25, Nic = "eth1" } : v)],
        };

        var (ran, cib) = await Converge(Lab.Spec, b);

        Assert.Equal(["cib-vip-192.0.2.102-settings"], ran);
        Assert.Equal("25", cib.XPathSelectElement("//primitive[@id='vip-192.0.2.102']//nvpair[@name='cidr_netmask']")!.Attribute("value")!.Value);
        Assert.Equal("eth1", cib.XPathSelectElement("//primitive[@id='vip-192.0.2.102']//nvpair[@name='nic']")!.Attribute("value")!.Value);
    }

    [Fact]
    public async Task ReorderingTheNodes_ReplacesEveryVipsScores_RemovingTheOldConstraintsFirst()
    {
        var b = Lab.Spec with { Nodes = [.. Lab.Spec.Nodes.Reverse()] };

        var (ran, cib) = await Converge(Lab.Spec, b);

        var vips = b.VirtualIps.Select(v => ResourceIds.Vip(v.Address)).ToArray();
        Assert.Superset(vips.SelectMany(v => new[] { $"cib-{v}-placement-stale", $"cib-{v}-placement" }).ToHashSet(), ran.ToHashSet());
        Assert.Equal(ran.Order(StringComparer.Ordinal), ExpectedRuns(Lab.Spec, b).Order(StringComparer.Ordinal));
        // One constraint per VIP and node: the old scores are gone, not left beside the new ones.
        Assert.All(vips, v => Assert.Equal(3, cib.XPathSelectElements($"//rsc_location[@rsc='{v}']").Count()));
    }

    /// <summary>
    /// plan(A) on an empty CIB, then plan(B) on the result with every check run: returns the ids of the commands that ran.
    /// Also asserts crm_verify accepts the result and plan(B) once more skips every command.
    /// </summary>
    private async Task<(IReadOnlyList<string> Ran, XDocument Cib)> Converge(ClusterSpec a, ClusterSpec b)
    {
        var first = await OfflineCib.ApplyAsync(PlanBuilder.Build(a, Lab.Facts), runChecks: false);
        Assert.True(first.Succeeded, first.Failed?.Result?.Error);

        var planB = PlanBuilder.Build(b, Lab.Facts);
        var second = await OfflineCib.ApplyAsync(planB, first.CibXml);
        Assert.True(second.Succeeded, $"{second.Failed?.Step.Id}: {second.Failed?.Result?.CommandLine}\n{second.Failed?.Result?.Error}");
        var ran = second.Commands.Where(c => !c.Skipped).Select(c => c.Step.Id).ToArray();
        output.WriteLine($"ran {ran.Length} of {second.Commands.Count}: {string.Join(", ", ran)}");

        var (valid, findings) = await Simulator.VerifyAsync(second.CibXml);
        Assert.True(valid, string.Join('\n', findings));

        var third = await OfflineCib.ApplyAsync(planB, second.CibXml);
        Assert.All(third.Commands, c => Assert.True(c.Skipped, $"{c.Step.Id} ran again: {c.Step.CommandLine}"));
        return (ran, XDocument.Parse(second.CibXml));
    }

    /// <summary>
    /// What must run, from the two plans alone: commands B has and A had not, the placement of every VIP whose scores
    /// changed (its stale scores removed first), the set constraints whenever the VIP set changed, and the sweeps of VIPs B dropped.
    /// </summary>
    private static IEnumerable<string> ExpectedRuns(ClusterSpec a, ClusterSpec b)
    {
        var before = PlanBuilder.Build(a, Lab.Facts).CibBatch.ToDictionary(s => s.Id, s => s.CommandLine);
        var after = PlanBuilder.Build(b, Lab.Facts).CibBatch;
        var vipSetChanged = !a.VirtualIps.Select(v => v.Address).Order().SequenceEqual(b.VirtualIps.Select(v => v.Address).Order());
        foreach (var step in after)
        {
            var isNew = !before.TryGetValue(step.Id, out var old);
            if (step.Id.EndsWith("-placement-stale", StringComparison.Ordinal))
            {
                var placement = step.Id[..^"-stale".Length];
                if (before.TryGetValue(placement, out var oldPlacement) && oldPlacement != after.Single(s => s.Id == placement).CommandLine) yield return step.Id;
            }
            else if (step.Id is "cib-vips-with-services-stale" or "cib-services-then-vips-stale" or "cib-vips-with-services" or "cib-services-then-vips")
            {
                if (vipSetChanged) yield return step.Id;
            }
            else if (step.Id.EndsWith("-not-in-spec", StringComparison.Ordinal))
            {
                // The sweeps of VIPs and of their agents: each names the VIPs it keeps, but only deletes when one was dropped.
                if (a.VirtualIps.Any(v => b.VirtualIps.All(w => w.Address != v.Address))) yield return step.Id;
            }
            else if (step.Id.EndsWith("-settings", StringComparison.Ordinal))
            {
                if (!isNew && old != step.CommandLine) yield return step.Id;
                else if (isNew) continue;
            }
            else if (isNew || old != step.CommandLine) yield return step.Id;
        }
    }
}
