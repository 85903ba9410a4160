using StorageHa.Server.Provisioning;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>The reload and clean-up node commands run by the real sh on this machine, in a temporary directory (no daemon, no root files).</summary>
public sealed class ReloadCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-reload-").FullName;

    private Task<ToolResult> Run(IReadOnlyList<string> argv) => LocalTool.RunAsync(argv, _dir);

    [Fact]
    public async Task ARewrittenFile_IsReloadedOnce_WhileTheDaemonRuns_AndAgainOnlyAfterItChanges()
    {
        var (file, stamp, reloads) = (Path.Combine(_dir, "corosync.conf"), Path.Combine(_dir, "state", "corosync.conf.loaded"), Path.Combine(_dir, "reloads"));
        await File.WriteAllTextAsync(file, "nodelist { node1 node2 }\n");
        var reload = NodeCommands.ReloadWhenChanged(file, stamp, ("true", "running"), ["sh", "-c", "echo reload >> \"$1\"", "reload", reloads]);

        Assert.False((await Run(NodeCommands.Loaded(file, stamp))).Succeeded);
        Assert.True((await Run(reload)).Succeeded);
        Assert.True((await Run(NodeCommands.Loaded(file, stamp))).Succeeded);

        await File.WriteAllTextAsync(file, "nodelist { node1 node2 node3 }\n");
        Assert.False((await Run(NodeCommands.Loaded(file, stamp))).Succeeded);
        Assert.True((await Run(reload)).Succeeded);
        Assert.Equal("reload\nreload\n", await File.ReadAllTextAsync(reloads));
        Assert.Equal(await File.ReadAllTextAsync(file), await File.ReadAllTextAsync(stamp));
    }

    [Fact]
    public async Task AStoppedDaemon_IsNotToldToReload_ButTheFileIsRecorded_BecauseItReadsItWhenItStarts()
    {
        var (file, stamp, reloads) = (Path.Combine(_dir, "nodes"), Path.Combine(_dir, "nodes.loaded"), Path.Combine(_dir, "reloads"));
        await File.WriteAllTextAsync(file, "192.0.2.11\n");

        Assert.True((await Run(NodeCommands.ReloadWhenChanged(file, stamp, ("false", "running"), ["touch", reloads]))).Succeeded);

        Assert.False(File.Exists(reloads));
        Assert.True((await Run(NodeCommands.Loaded(file, stamp))).Succeeded);
    }

    [Fact]
    public async Task AFailedReload_LeavesTheOldStamp_SoTheNextRunTriesAgain()
    {
        var (file, stamp) = (Path.Combine(_dir, "nodes"), Path.Combine(_dir, "nodes.loaded"));
        await File.WriteAllTextAsync(file, "192.0.2.11\n");

        Assert.False((await Run(NodeCommands.ReloadWhenChanged(file, stamp, ("true", "running"), ["false"]))).Succeeded);

        Assert.False(File.Exists(stamp));
    }

    [Fact]
    public async Task RemovingTheConsolesFiles_RemovesOnlyThoseFiles()
    {
        var data = Directory.CreateDirectory(Path.Combine(_dir, "share")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "report.odt"), "data");
        string[] files = [Path.Combine(_dir, "corosync.conf"), Path.Combine(_dir, "authkey"), Path.Combine(_dir, "never-written")];
        foreach (var f in files[..2]) await File.WriteAllTextAsync(f, "x");

        Assert.False((await Run(NodeCommands.FilesAbsent(files))).Succeeded);
        Assert.True((await Run(NodeCommands.RemoveFiles(files))).Succeeded);

        Assert.True((await Run(NodeCommands.FilesAbsent(files))).Succeeded);
        Assert.True(File.Exists(Path.Combine(data, "report.odt")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
