using System.Runtime.CompilerServices;

namespace StorageHa.NodeHelper.Tests.Placement;

/// <summary>
/// `place` output for a few specs, byte for byte against files under Golden/: a change in the algorithm shows
/// up as a diff to review. Set STORAGEHA_UPDATE_GOLDEN=1 to rewrite the files after an intended change.
/// </summary>
public class PlaceGoldenTests
{
    public static TheoryData<string, string[]> Specs => new()
    {
        { "three-nodes-six-vips.txt", ["place", "--nodes", "node3,node1,node2", "--vips", "192.0.2.6,192.0.2.5,192.0.2.4,192.0.2.3,192.0.2.2,192.0.2.1"] },
        { "five-nodes-ten-vips.json", ["place", "--nodes", "node1,node2,node3,node4,node5", "--vips", string.Join(',', Enumerable.Range(1, 10).Select(i => $"192.0.2.{i}")), "--json"] },
        { "four-nodes-mixed-with-restricted-ipv6.txt", ["place", "--nodes", "alpha,bravo,charlie,delta", "--vips", "192.0.2.10,192.0.2.11,192.0.2.12,fd00::a,fd00::b,fd00::c", "--only", "fd00::a=alpha+charlie", "--only", "fd00::b=alpha+charlie"] },
        { "four-nodes-joined-newest-sorting-first.txt", ["place", "--join-order", "--nodes", "node2,node3,node4,node1", "--vips", string.Join(',', Enumerable.Range(1, 9).Select(i => $"192.0.2.{i}"))] },
        { "eight-nodes-thirty-two-vips.json", ["place", "--nodes", string.Join(',', Enumerable.Range(1, 8).Select(i => $"node{i}")), "--vips", string.Join(',', Enumerable.Range(1, 32).Select(i => $"192.0.2.{i}")), "--json"] },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void PlaceOutput_MatchesTheGoldenFile(string file, string[] args)
    {
        var run = CliRun.Of(args);
        Assert.Equal(0, run.ExitCode);
        var path = Path.Combine(GoldenDirectory(), file);

        if (Environment.GetEnvironmentVariable("STORAGEHA_UPDATE_GOLDEN") == "1") File.WriteAllText(path, run.Output);

        Assert.True(File.Exists(path), $"{path} is missing; run with STORAGEHA_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllBytes(path), System.Text.Encoding.UTF8.GetBytes(run.Output));
    }

    private static string GoldenDirectory([CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(source)!)!, "Golden");
}
