using StorageHa.Shared.Placement;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Placement;

/// <summary>The shape of a plan: complete, deterministic, expressed as descending Pacemaker scores.</summary>
public class PlacementPlanTests
{
    [Fact]
    public void EveryVip_RanksEveryNodeOnce_WithStrictlyDescendingPositiveScores()
    {
        foreach (var (n, m, plan) in PlacementCases.All)
            foreach (var vip in plan.Vips)
            {
                Assert.Equal(plan.Nodes.Order(StringComparer.Ordinal), vip.Nodes.Order(StringComparer.Ordinal));
                Assert.Empty(vip.Avoided);
                var scores = vip.Scores.Select(s => s.Score).ToArray();
                Assert.Equal(vip.Nodes, vip.Scores.Select(s => s.Node));
                Assert.All(scores.Zip(scores.Skip(1)), pair => Assert.True(pair.First > pair.Second, $"{n}×{m} {vip.Vip}"));
                Assert.True(scores.Length == 0 || scores[^1] > 0);
            }
    }

    [Fact]
    public void TheSameNodesInTheSameJoinOrder_GiveTheSamePlan_WhateverTheOrderOfTheVipsAndOfTheNodesEachMayRunOn()
    {
        foreach (var n in new[] { 3, 4, 5 })
            foreach (var m in new[] { 7, 10, 16 })
            {
                var nodes = PlacementCases.JoinedNodes(n, Newest.SortsFirst);
                var vips = PlacementCases.Vips(m).Select((v, i) => new PlacementVip(v, i % 3 == 0 ? [nodes[^1], nodes[0], nodes[2]] : null)).ToArray();
                var expected = Render(VipPlacement.Plan(nodes, vips));
                var random = new Random(n * 100 + m);
                for (var trial = 0; trial < 20; trial++)
                {
                    var presented = vips.OrderBy(_ => random.Next())
                        .Select(v => v with { OnlyOn = v.OnlyOn?.OrderBy(_ => random.Next()).ToArray() }).ToArray();
                    Assert.Equal(expected, Render(VipPlacement.Plan(nodes, presented)));
                }
            }
    }

    [Fact]
    public void NodeNames_OnlyLabelJoinPositions_SoRenamingTheNodesRenamesThePlan()
    {
        foreach (var m in new[] { 7, 10, 16 })
        {
            var nodes = PlacementCases.Nodes(5);
            var vips = PlacementCases.Vips(m);
            var plan = VipPlacement.Plan(nodes, vips);
            // Every other join order of the same names is the same plan with node i renamed to the i-th joined.
            foreach (var joined in PlacementCases.Permutations(nodes))
            {
                var renamed = nodes.Zip(joined).ToDictionary(p => p.First, p => p.Second);
                Assert.Equal(Render(plan, n => renamed[n]), Render(VipPlacement.Plan(joined, vips)));
            }
        }
    }

    [Fact]
    public void NodesKeepTheirJoinOrder_AndVipsSortByAddress()
    {
        var plan = VipPlacement.Plan(["node10", "node9", "node1"], ["10.0.0.10", "fd00::1", "10.0.0.9"]);

        Assert.Equal(["node10", "node9", "node1"], plan.Nodes);
        Assert.Equal(["10.0.0.9", "10.0.0.10", "fd00::1"], plan.Vips.Select(v => v.Vip));
        Assert.Equal("node10", plan.Vips[0].Nodes[0]);
    }

    [Fact]
    public void RunningNodes_IsTheFirstLiveNodeOfEachPreference_OrNoneWhenAllAreDown()
    {
        var plan = new PlacementPlan(["a", "b", "c"],
        [
            new VipPreference("192.0.2.1", ["b", "c", "a"], []),
            new VipPreference("192.0.2.2", ["a", "b"], ["c"]),
        ]);

        Assert.Equal(new Dictionary<string, string?> { ["192.0.2.1"] = "b", ["192.0.2.2"] = "a" }, plan.RunningNodes([]));
        Assert.Equal(new Dictionary<string, string?> { ["192.0.2.1"] = "c", ["192.0.2.2"] = "a" }, plan.RunningNodes(["b"]));
        Assert.Equal(new Dictionary<string, string?> { ["192.0.2.1"] = "c", ["192.0.2.2"] = null }, plan.RunningNodes(["a", "b"]));
    }

    [Theory]
    [InlineData(Newest.SortsFirst)]
    [InlineData(Newest.SortsInTheMiddle)]
    [InlineData(Newest.SortsLast)]
    public void AVipRestrictedToSomeNodes_RunsOnlyThere_AndAvoidsTheOthers(Newest naming)
    {
        var nodes = PlacementCases.JoinedNodes(6, naming);
        var withNic = new[] { nodes[1], nodes[3], nodes[5] };
        // Half the VIPs live on a NIC only three nodes have; the rest may run anywhere.
        var vips = PlacementCases.Vips(12).Select((v, i) => new PlacementVip(v, i % 2 == 0 ? withNic : null)).ToArray();
        var plan = VipPlacement.Plan(nodes, vips);
        var restricted = vips.Where(v => v.OnlyOn is not null).Select(v => v.Address).ToHashSet();

        foreach (var vip in plan.Vips.Where(v => restricted.Contains(v.Vip)))
        {
            Assert.Equal(withNic.Order(), vip.Nodes.Order());
            Assert.Equal(nodes.Except(withNic).Order(), vip.Avoided.Order());
        }
        foreach (var failed in PlacementCases.FailureSets(plan, nodes.Length))
            foreach (var (vip, node) in plan.RunningNodes(failed).Where(p => restricted.Contains(p.Key)))
            {
                if (withNic.All(failed.Contains)) Assert.Null(node);
                else Assert.Contains(node, withNic.Except(failed));
            }
        // Still even where it can be: 12 VIPs on 6 nodes, two each.
        Assert.Equal(0, PlacementBalance.Spread(plan, []));
        // The restricted VIPs alone stay even over the three nodes that can hold them.
        var restrictedCounts = plan.RunningNodes([]).Where(p => restricted.Contains(p.Key)).GroupBy(p => p.Value).Select(g => g.Count()).ToArray();
        Assert.True(restrictedCounts.Max() - restrictedCounts.Min() <= 1);
    }

    [Fact]
    public void BadInput_IsRefused_NamingEachProblem()
    {
        var error = Assert.Throws<InvalidInputException>(() => VipPlacement.Plan(
            ["node1", "node1", "bad_name"],
            [new PlacementVip("10.0.0.1"), new PlacementVip("10.0.0.1"), new PlacementVip("10.0.0"), new PlacementVip("10.0.0.2", ["node9"])]));

        Assert.Equal(["nodes[1]", "nodes[2]", "vips[1]", "vips[2]", "vips[3].onlyOn"], error.Errors.Select(e => e.Field));
        Assert.Contains("listed twice", error.Errors[0].Message);
        Assert.Contains("'10.0.0' is not a valid IPv4 address", error.Errors[3].Message);
        Assert.Contains("'node9' is not one of the nodes", error.Errors[4].Message);
    }

    [Fact]
    public void NoNodes_IsRefused()
    {
        var error = Assert.Throws<InvalidInputException>(() => VipPlacement.Plan([], ["10.0.0.1"]));

        Assert.Equal("nodes", Assert.Single(error.Errors).Field);
    }

    private static string Render(PlacementPlan plan, Func<string, string>? rename = null) =>
        string.Join("\n", plan.Vips.Select(v => $"{v.Vip} {string.Join(",", v.Scores.Select(s => $"{(rename ?? (n => n))(s.Node)}={s.Score}"))}"
            + $" avoids {string.Join(",", v.Avoided.Select(rename ?? (n => n)))}"));

}
