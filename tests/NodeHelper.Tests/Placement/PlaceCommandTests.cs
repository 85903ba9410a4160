using System.Text.Json;
using StorageHa.Shared.Placement;

namespace StorageHa.NodeHelper.Tests.Placement;

public class PlaceCommandTests
{
    [Fact]
    public void Version_PrintsTheHelperVersion()
    {
        var run = CliRun.Of("version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^storageha-node \d+\.\d+\.\d+\n$", run.Output);
    }

    [Theory]
    [InlineData(new[] { "n1", "n2", "n3", "n4", "n5" }, false)]
    [InlineData(new[] { "n2", "n4", "n5", "n1", "n3" }, true)]
    public void Json_HasExactlyTheDocumentedShape_AndTheSharedPlan(string[] nodes, bool joinOrder)
    {
        var vips = new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7" };

        var run = CliRun.Of(["place", "--nodes", string.Join(',', nodes), .. joinOrder ? new[] { "--join-order" } : [], "--vips", string.Join(',', vips), "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(["placements"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var plan = VipPlacement.Plan(joinOrder ? nodes : nodes.Order(NaturalOrder.Instance).ToArray(), vips);
        var placements = json.RootElement.GetProperty("placements").EnumerateArray().ToArray();
        Assert.Equal(plan.Vips.Count, placements.Length);
        foreach (var (entry, expected) in placements.Zip(plan.Vips))
        {
            Assert.Equal(["vip", "preference", "scores"], entry.EnumerateObject().Select(p => p.Name));
            Assert.Equal(expected.Vip, entry.GetProperty("vip").GetString());
            Assert.Equal(expected.Nodes, entry.GetProperty("preference").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(expected.Scores.Select(s => (s.Node, s.Score)),
                entry.GetProperty("scores").EnumerateObject().Select(p => (p.Name, p.Value.GetInt32())));
        }
    }

    [Fact]
    public void WithJoinOrder_ANodeJoining_TakesOnlyItsShare_WhereverItsNameSorts()
    {
        var vips = string.Join(',', Enumerable.Range(1, 11).Select(i => $"10.0.0.{i}"));
        foreach (var newcomer in new[] { "n05", "n25", "n99" })
        {
            var before = FirstChoices(CliRun.Of("place", "--join-order", "--nodes", "n10,n20,n30", "--vips", vips, "--json"));
            var after = FirstChoices(CliRun.Of("place", "--join-order", "--nodes", $"n10,n20,n30,{newcomer}", "--vips", vips, "--json"));

            var moved = after.Where(p => before[p.Key] != p.Value).ToArray();
            Assert.All(moved, p => Assert.Equal(newcomer, p.Value));
            // 11 VIPs over 4 nodes: the newcomer takes 2 (floor) or 3 (ceil), and nothing else moves.
            Assert.InRange(moved.Length, 2, 3);
        }
    }

    [Fact]
    public void WithoutJoinOrder_NodesAreTakenInNaturalNameOrder_HoweverTheyAreListed()
    {
        var listed = CliRun.Of("place", "--nodes", "n10,n9,n1", "--vips", "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4");
        var joined = CliRun.Of("place", "--join-order", "--nodes", "n1,n9,n10", "--vips", "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4");
        var otherJoinOrder = CliRun.Of("place", "--join-order", "--nodes", "n10,n9,n1", "--vips", "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4");

        Assert.Equal(0, listed.ExitCode);
        Assert.Equal(joined.Output, listed.Output);
        Assert.NotEqual(otherJoinOrder.Output, listed.Output);
    }

    private static Dictionary<string, string> FirstChoices(CliRun run)
    {
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement.GetProperty("placements").EnumerateArray()
            .ToDictionary(p => p.GetProperty("vip").GetString()!, p => p.GetProperty("preference")[0].GetString()!);
    }

    [Fact]
    public void AVipLimitedWithOnly_ListsTheNodesItMustAvoid()
    {
        var run = CliRun.Of("place", "--nodes", "n1,n2,n3", "--vips", "10.0.0.1,fd00::1", "--only", "fd00::1=n1+n3", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var v6 = json.RootElement.GetProperty("placements")[1];
        Assert.Equal(["n1", "n3"], v6.GetProperty("preference").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.Equal(["n2"], v6.GetProperty("avoids").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("n1,bad_node", "10.0.0.1", "nodes[1]: 'bad_node' may contain only letters, digits and '-'")]
    [InlineData("n1,n1", "10.0.0.1", "nodes[1]: 'n1' is listed twice")]
    [InlineData("node9,node10,bad_node,node1", "10.0.0.1", "nodes[2]: 'bad_node' may contain only letters, digits and '-'")]
    [InlineData("node10,node1,node10", "10.0.0.1", "nodes[2]: 'node10' is listed twice")]
    [InlineData("n1,n2", "10.0.0.1,10.0.0.256", "vips[1]: '10.0.0.256' is not a valid IPv4 address")]
    [InlineData("n1,n2", "10.0.0.1,fd00::zz", "vips[1]: 'fd00::zz' is not a valid IPv6 address")]
    [InlineData("n1,n2", "10.0.0.1,10.0.0.1", "vips[1]: '10.0.0.1' is listed twice")]
    public void BadNodesOrAddresses_ExitTwo_NamingWhatIsWrong(string nodes, string vips, string message)
    {
        var run = CliRun.Of("place", "--nodes", nodes, "--vips", vips);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Contains($"storageha-node place: {message}", run.Error);
    }

    [Theory]
    [InlineData(new[] { "place", "--nodes", "n1" }, "--nodes and --vips are required")]
    [InlineData(new[] { "place", "--nodes", "n1", "--vips" }, "--vips needs a value")]
    [InlineData(new[] { "place", "--nodes", "n1", "--vips", "10.0.0.1", "--colour" }, "unknown option '--colour'")]
    [InlineData(new[] { "place", "--nodes", "n1", "--vips", "10.0.0.1", "--only", "10.0.0.2=n1" }, "--only names '10.0.0.2', which is not one of --vips")]
    [InlineData(new[] { "place", "--nodes", "n1", "--vips", "10.0.0.1", "--only", "n1" }, "--only takes IP=NODE+NODE…, got 'n1'")]
    public void BadUsage_ExitsTwo_WithTheReasonAndTheUsage(string[] args, string message)
    {
        var run = CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Contains("usage: storageha-node", run.Error);
    }

    [Fact]
    public void AnUnknownCommand_ExitsTwo_WithTheUsage()
    {
        var run = CliRun.Of("frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("usage: storageha-node", run.Error);
    }
}
