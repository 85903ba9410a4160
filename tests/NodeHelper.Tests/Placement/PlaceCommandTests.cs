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

    [Fact]
    public void Json_HasExactlyTheDocumentedShape_AndTheSharedPlan()
    {
        var nodes = new[] { "n1", "n2", "n3", "n4", "n5" };
        var vips = new[] { "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7" };

        var run = CliRun.Of("place", "--nodes", string.Join(',', nodes), "--vips", string.Join(',', vips), "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(["placements"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var plan = VipPlacement.Plan(nodes, vips);
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
