using System.Diagnostics;
using StorageHa.Server.Ssh;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>A connection that breaks mid-command is reported as dropped, and the next command reconnects.</summary>
public sealed class DroppedConnectionTests
{
    [Fact]
    public async Task KilledSession_MidCommand_IsReportedAsDropped_AndTheNextCommandReconnects()
    {
        await using var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd);
        var target = ssh.PasswordTarget();
        var before = await ssh.Runner.RunAsync(target, ["sh", "-c", "echo $SSH_CONNECTION"], SshLayer.AsLoginUser());

        var running = ssh.Runner.RunAsync(target, ["sleep", "30.25"], SshLayer.As());
        await WaitUntilRunningAsync("^sleep 30.25");
        var clock = Stopwatch.StartNew();
        sshd.DropConnections();
        var error = await Assert.ThrowsAsync<ConnectionDroppedException>(() => running);

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Contains($"The connection to node1 (127.0.0.1:{sshd.Port}) dropped", error.Message);
        Assert.Contains("sleep 30.25", error.Message);
        var after = await ssh.Runner.RunAsync(target, ["sh", "-c", "echo $SSH_CONNECTION"], SshLayer.AsLoginUser());
        Assert.NotEqual(before.StdOut, after.StdOut);
        var audited = ssh.Audit.Entries.Single(e => e.Command == "sleep 30.25");
        Assert.Null(audited.ExitCode);
        Assert.Contains("dropped", audited.Detail);
    }

    /// <summary>The test shares the machine with the node, so it can see the command start there.</summary>
    internal static async Task WaitUntilRunningAsync(string pattern)
    {
        for (var i = 0; i < 100; i++)
        {
            using var pgrep = Process.Start(new ProcessStartInfo("pgrep", ["-f", pattern]) { RedirectStandardOutput = true })!;
            await pgrep.WaitForExitAsync();
            if (pgrep.ExitCode == 0) return;
            await Task.Delay(100);
        }
        Assert.Fail($"no process matching {pattern} started within 10 s");
    }

    [Fact]
    public async Task StoppedServer_IsReported_AsRefused_OnTheNextCommand()
    {
        var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd);
        var target = ssh.PasswordTarget();
        await ssh.Runner.RunAsync(target, ["true"], SshLayer.As());

        await sshd.DisposeAsync();
        var error = await Assert.ThrowsAnyAsync<NodeSshException>(async () =>
        {
            try { await ssh.Runner.RunAsync(target, ["true"], SshLayer.As()); }
            catch (ConnectionDroppedException) { }
            await ssh.Runner.RunAsync(target, ["true"], SshLayer.As());
        });

        Assert.IsType<NodeUnreachableException>(error);
        Assert.Contains("refused the connection", error.Message);
    }
}
