using StorageHa.Server.Provisioning;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// The seed CIB written by the plan's node command and read by Pacemaker's own crm_verify, in a temporary directory. The node
/// scripts themselves run in Shared.Tests (NodeCommandScriptTests); this is what needs Pacemaker's tools.
/// </summary>
public sealed class NodeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-nodecmd-").FullName;

    private Task<ToolResult> Run(IReadOnlyList<string> argv, string? input = null) => LocalTool.RunAsync(argv, _dir, input: input);

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
