using StorageHa.Server.Provisioning;
using StorageHa.Shared.Placement;
using StorageHa.Shared.Provisioning;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>Tier 1: the plans' CIB batches through the real pcs -f, crm_verify and crm_simulate, with no daemon running.</summary>
public sealed class OfflineCibTests(GoldenBatches batches, ITestOutputHelper output) : IClassFixture<GoldenBatches>
{
    [Fact]
    public void EveryGoldenBatch_IsAcceptedByPcs_CommandByCommand()
    {
        Assert.Equal(GoldenBatches.Names(), batches.Applied.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, (_, plan, result, took)) in batches.Applied.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{name}: {plan.CibBatch.Count} pcs commands in {took.TotalSeconds:0.0} s");
            Assert.True(result.Succeeded, $"{name}: {result.Failed?.Result?.CommandLine} failed: {result.Failed?.Result?.Error}");
            Assert.Equal(plan.CibBatch.Count, result.Commands.Count);
        }
    }

    [Fact]
    public async Task EveryGoldenBatchResult_PassesCrmVerify()
    {
        foreach (var (name, (_, _, result, _)) in batches.Applied.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var (valid, findings) = await Simulator.VerifyAsync(result.CibXml);
            foreach (var line in findings) output.WriteLine($"{name}: {line}");
            Assert.True(valid, $"{name}: crm_verify found errors:\n{string.Join('\n', findings)}");
        }
    }

    [Fact]
    public async Task ApplyingABatchAgain_SkipsEveryCommand_BecauseEachCheckFindsItDone()
    {
        foreach (var (name, (_, plan, result, _)) in batches.Applied.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var again = await OfflineCib.ApplyAsync(plan, result.CibXml, runChecks: true);
            Assert.True(again.Succeeded, name);
            Assert.All(again.Commands, c => Assert.True(c.Skipped, $"{name}: {c.Step.Id} was not found done: {c.Step.CommandLine}"));
        }
    }

    [Fact]
    public async Task SimulatedPlacement_OfThreeNodesAndFourVips_IsThePlacementPlan_WithEveryNodeUp_AndAfterEverySingleFailure_WhileTwoFailuresLoseQuorum()
    {
        var (spec, _, result, _) = batches.Applied["three-node-lab"];
        var nodes = spec.Nodes.Select(n => n.Name).ToArray();
        var predicted = VipPlacement.Plan(nodes, spec.VirtualIps.Select(v => v.Address));

        var simulation = await Simulator.RunAsync(result.CibXml, nodes);

        Assert.True(simulation.Valid, string.Join('\n', simulation.VerifyFindings));
        Assert.Equal(6, simulation.Failures.Count);
        AssertVips(predicted, [], simulation.AllUp);
        Assert.Equal(nodes, simulation.AllUp.Running[ResourceIds.Ctdb]);
        foreach (var what in simulation.Failures)
        {
            output.WriteLine($"fail {string.Join('+', what.FailedNodes)} (quorate: {what.Quorate}): {string.Join("; ", what.Transition)}");
            if (what.FailedNodes.Count == 1)
            {
                Assert.True(what.Quorate);
                AssertVips(predicted, what.FailedNodes, what.Placement);
                Assert.Equal(nodes.Except(what.FailedNodes), what.Placement.Running[ResourceIds.Smbd]);
            }
            else
            {
                // One node of three has no quorum: no-quorum-policy=stop stops everything rather than risk a split brain.
                Assert.False(what.Quorate);
                Assert.All(what.Placement.Running, r => Assert.Empty(r.Value));
            }
        }
    }

    [Fact]
    public async Task LocationScores_OfThreeNodesAndFourVips_PutEveryVipWhereThePlacementPlanSays_ForEverySingleAndDoubleFailure_WhenQuorumIsKept()
    {
        var (spec, _, result, _) = batches.Applied["three-node-lab"];
        var nodes = spec.Nodes.Select(n => n.Name).ToArray();
        var predicted = VipPlacement.Plan(nodes, spec.VirtualIps.Select(v => v.Address));

        var simulation = await Simulator.RunAsync(result.CibXml, nodes, assumeQuorum: true);

        Assert.Equal(6, simulation.Failures.Count);
        foreach (var what in simulation.Failures)
        {
            output.WriteLine($"fail {string.Join('+', what.FailedNodes)}: {string.Join("; ", what.Transition)}");
            AssertVips(predicted, what.FailedNodes, what.Placement);
        }
        Assert.Equal(["node3"], simulation.For("node1", "node2").Placement.Running[ResourceIds.Ganesha]);
    }

    [Fact]
    public async Task FiveNodesWithFencing_KeepQuorumAfterAnyTwoFailures_SoEveryVipGoesWhereThePlacementPlanSays()
    {
        var (spec, _, result, _) = batches.Applied["five-node-ipv6"];
        var nodes = spec.Nodes.Select(n => n.Name).ToArray();
        var predicted = VipPlacement.Plan(nodes, spec.VirtualIps.Select(v => v.Address));

        var simulation = await Simulator.RunAsync(result.CibXml, nodes);

        Assert.Equal(5 + 10, simulation.Failures.Count);
        AssertVips(predicted, [], simulation.AllUp);
        foreach (var what in simulation.Failures)
        {
            Assert.True(what.Quorate);
            // With fencing on, Pacemaker fences the lost nodes before it moves anything (crm_simulate pretends the fencing worked).
            Assert.All(what.FailedNodes, n => Assert.Contains(what.Transition, t => t.Contains("Fence", StringComparison.Ordinal) && t.Contains(n, StringComparison.Ordinal)));
            AssertVips(predicted, what.FailedNodes, what.Placement);
        }
    }

    [Fact]
    public async Task TwoNodes_TheSurvivorKeepsQuorum_AndTakesTheVip()
    {
        var (spec, _, result, _) = batches.Applied["two-node-smb"];
        var nodes = spec.Nodes.Select(n => n.Name).ToArray();

        var simulation = await Simulator.RunAsync(result.CibXml, nodes);

        var vip = ResourceIds.Vip(spec.VirtualIps[0].Address);
        Assert.Equal(2, simulation.Failures.Count);
        Assert.NotNull(simulation.AllUp.NodeOf(vip));
        foreach (var what in simulation.Failures)
        {
            var survivor = nodes.Except(what.FailedNodes).Single();
            Assert.True(what.Quorate);
            Assert.Equal(survivor, what.Placement.NodeOf(vip));
            Assert.Equal([survivor], what.Placement.Running[ResourceIds.Ctdb]);
        }
    }

    private void AssertVips(PlacementPlan predicted, IReadOnlyList<string> failed, ResourcePlacement placement)
    {
        foreach (var (vip, node) in predicted.RunningNodes(failed))
        {
            output.WriteLine($"  [{string.Join(',', failed)}] {vip}: predicted {node}, simulated {placement.NodeOf(ResourceIds.Vip(vip))}");
            Assert.Equal(node, placement.NodeOf(ResourceIds.Vip(vip)));
        }
    }
}
