using StorageHa.Server.Provisioning;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>The plan's node commands run by the real sh on this machine, in a temporary directory (no node, no root files).</summary>
public sealed class NodeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-nodecmd-").FullName;

    private Task<ToolResult> Run(IReadOnlyList<string> argv, string? input = null) => LocalTool.RunAsync(argv, _dir, input: input);

    [Fact]
    public async Task WriteFile_WritesStdinAtomicallyWithItsMode_AndTheCheckThenSaysDone_UntilContentOrModeDiffers()
    {
        var path = Path.Combine(_dir, "etc", "ctdb", "nodes");
        const string content = "192.0.2.11\n192.0.2.12\n";

        Assert.False((await Run(NodeCommands.FileIs(path, "644"), content)).Succeeded);
        Assert.True((await Run(NodeCommands.WriteFile(path, "644"), content)).Succeeded);

        Assert.Equal(content, await File.ReadAllTextAsync(path));
        Assert.Equal("644", (await Run(["stat", "-c", "%a", path])).Output.Trim());
        Assert.True((await Run(NodeCommands.FileIs(path, "644"), content)).Succeeded);
        Assert.False((await Run(NodeCommands.FileIs(path, "644"), content + "192.0.2.13\n")).Succeeded);
        Assert.False((await Run(NodeCommands.FileIs(path, "400"), content)).Succeeded);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task WriteFile_TakesPathsWithSpacesAndQuotesAsTheyAre()
    {
        var path = Path.Combine(_dir, "it's a dir", "$(touch pwned)");
        Assert.True((await Run(NodeCommands.WriteFile(path, "600"), "x\n")).Succeeded);
        Assert.Equal("x\n", await File.ReadAllTextAsync(path));
        Assert.False(File.Exists(Path.Combine(_dir, "pwned")));
    }

    [Fact]
    public async Task SoftwareCheck_NamesEveryMissingCommand()
    {
        var result = await Run(NodeCommands.CommandsPresent(["sh", "no-such-tool-1", "cat", "no-such-tool-2"]));
        Assert.False(result.Succeeded);
        Assert.Equal("missing: no-such-tool-1 no-such-tool-2", result.Error.Trim());
        Assert.True((await Run(NodeCommands.CommandsPresent(["sh", "cat"]))).Succeeded);
    }

    [Fact]
    public async Task StateDirectories_AreMadeOnce_AndTheCheckSeesThem()
    {
        string[] dirs = [Path.Combine(_dir, "state", "ctdb"), Path.Combine(_dir, "state", "ganesha", "node1")];
        Assert.False((await Run(NodeCommands.DirectoriesExist(dirs))).Succeeded);
        Assert.True((await Run(NodeCommands.MakeDirectories(dirs))).Succeeded);
        Assert.True((await Run(NodeCommands.DirectoriesExist(dirs))).Succeeded);
    }

    [Fact]
    public async Task SeededCib_IsWrittenOnlyWhereNoCibExists_PrivateToItsOwner_AndIsAValidCib()
    {
        var path = Path.Combine(_dir, "var", "lib", "pacemaker", "cib", "cib.xml");

        Assert.False((await Run(NodeCommands.Exists(path))).Succeeded);
        Assert.True((await Run(NodeCommands.SeedFile(path, "root:root"), ConfigFiles.SeedCib)).Succeeded);
        Assert.True((await Run(NodeCommands.SeedFile(path, "root:root"), "<cib a running cluster wrote/>")).Succeeded);

        Assert.Equal(ConfigFiles.SeedCib, await File.ReadAllTextAsync(path));
        Assert.Equal("600 root", (await Run(["stat", "-c", "%a %U", path])).Output.Trim());
        Assert.True((await Run(NodeCommands.Exists(path))).Succeeded);
        var verified = await Run(["crm_verify", "--verbose", "--xml-file", path]);
        // An empty configuration only lacks fencing, which the plan's batch turns on or off.
        Assert.DoesNotContain(verified.Error.Split('\n'), line => line.Contains("error", StringComparison.Ordinal) && !line.Contains("STONITH", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
