using System.Text;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.NodeHelper.Tests.Cluster;

/// <summary>cluster-files writes what the console writes on a new cluster's nodes, at the nodes' paths: the lab forms from these.</summary>
public sealed class ClusterFilesCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("storageha-cluster-files-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Files_AreTheConsolesFilesForTheSameNewCluster_ByteForByte_AtTheirPathsOnANode()
    {
        var run = CliRun.Of("cluster-files", "--cluster", "lab", "--token-ms", "3000",
            "--node", "node1=192.0.2.11", "--node", "node2=192.0.2.12", "--node", "node3=192.0.2.13", "--root", _root);

        Assert.Equal(0, run.ExitCode);
        // The spec the console makes for these nodes: a new cluster's settings, the token the lab asks for.
        var spec = (ClusterSettings.ForNewCluster with { Corosync = new CorosyncSpec { TokenMs = 3000 } }).ApplyTo(new ClusterSpec
        {
            Name = "lab",
            Nodes = [new() { Name = "node1", Address = "192.0.2.11" }, new() { Name = "node2", Address = "192.0.2.12" }, new() { Name = "node3", Address = "192.0.2.13" }],
        });
        (string Path, string Text)[] console =
        [
            (ConfigFiles.CorosyncConfPath, ConfigFiles.CorosyncConf(spec)),
            (ConfigFiles.CibPath, ConfigFiles.SeedCib),
            (ConfigFiles.CtdbNodesPath, ConfigFiles.CtdbNodes(spec)),
            (ConfigFiles.CtdbTunablesPath, ConfigFiles.CtdbTunables(spec)),
        ];
        Assert.Equal(console.Select(f => _root + f.Path), run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        foreach (var (path, text) in console)
            Assert.Equal(Encoding.UTF8.GetBytes(text), File.ReadAllBytes(_root + path));
        Assert.Equal(Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Order(), console.Select(f => _root + f.Path).Order());
    }

    [Fact]
    public void Nodes_AreNumberedInTheOrderGiven_AsCorosyncIdsAndCtdbLines()
    {
        var run = CliRun.Of("cluster-files", "--cluster", "c", "--node", "b=10.0.0.2", "--node", "a=10.0.0.1", "--root", _root);

        Assert.Equal(0, run.ExitCode);
        var corosync = File.ReadAllText(_root + ConfigFiles.CorosyncConfPath);
        Assert.Contains("ring0_addr: 10.0.0.2\n        name: b\n        nodeid: 1\n", corosync);
        Assert.Contains("ring0_addr: 10.0.0.1\n        name: a\n        nodeid: 2\n", corosync);
        Assert.Contains("two_node: 1", corosync);
        Assert.DoesNotContain("token:", corosync);
        Assert.Equal("10.0.0.2\n10.0.0.1\n", File.ReadAllText(_root + ConfigFiles.CtdbNodesPath));
    }

    [Theory]
    [InlineData("--node n1=10.0.0.1 --root /tmp", "--cluster, --node and --root are required")]
    [InlineData("--cluster c --node n1=10.0.0.1", "--cluster, --node and --root are required")]
    [InlineData("--cluster c --node n1 --root /tmp", "--node takes NAME=ADDRESS, got 'n1'")]
    [InlineData("--cluster c --node n1= --root /tmp", "--node takes NAME=ADDRESS, got 'n1='")]
    [InlineData("--cluster c --node n1=10.0.0.1 --root files", "--root: 'files' is not an absolute path")]
    [InlineData("--cluster c --node n1=10.0.0.1 --root /tmp --token-ms soon", "--token-ms: 'soon' is not a number of milliseconds")]
    [InlineData("--cluster c --node n1=10.0.0.1 --root /tmp --nodes 3", "unknown option '--nodes'")]
    [InlineData("--cluster c --node n1=10.0.0.1 --root", "--root needs a value")]
    public void BadArguments_AreRefusedWithExit2_NamingTheOption(string arguments, string message)
    {
        var run = CliRun.Of(["cluster-files", .. arguments.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"storageha-node cluster-files: {message}", run.Error);
        Assert.Contains("usage: storageha-node cluster-files", run.Error);
    }

    [Fact]
    public void AClusterTheConsoleWouldRefuse_IsRefused_WithItsErrorsAndNoFiles()
    {
        var run = CliRun.Of("cluster-files", "--cluster", "c", "--node", "n1=10.0.0.1", "--node", "n2=10.0.0.1", "--token-ms", "50", "--root", _root);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("storageha-node cluster-files: corosync.tokenMs: 50 is not a corosync token timeout", run.Error);
        Assert.Contains("storageha-node cluster-files: nodes[1].address: another node has this address", run.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }
}
