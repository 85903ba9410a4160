using System.Diagnostics;
using StorageHa.Server.Ssh;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>
/// A node that dies while the console holds a connection to it (here: sshd and its sessions frozen with SIGSTOP, so
/// the kernel still accepts bytes but nothing answers) fails the next command fast: the pooled connection is dropped
/// after the channel-open timeout and one fresh connection is tried, bounded by the connect timeout.
/// </summary>
public sealed class FrozenNodeTests
{
    private static readonly SshSettings Short = new() { ChannelOpenTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task CommandToAFrozenNode_FailsAfterTheChannelOpenTimeoutAndOneFreshConnect_NotSshNets15Seconds_AndIsAuditedOnce()
    {
        await using var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd, Short);
        var target = ssh.PasswordTarget();
        await ssh.Runner.RunAsync(target, ["true"], SshLayer.As());

        TimeSpan took;
        NodeUnreachableException error;
        using (FrozenSshd.Freeze(sshd))
        {
            var clock = Stopwatch.StartNew();
            error = await Assert.ThrowsAsync<NodeUnreachableException>(() =>
                ssh.Runner.RunAsync(target, ["echo", "frozen"], SshLayer.As(timeout: TimeSpan.FromSeconds(30))));
            took = clock.Elapsed;
        }

        // 1 s for the pooled connection's session, 2 s for the fresh connection's answer: no third wait.
        Assert.InRange(took, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(6));
        Assert.StartsWith($"node1 (127.0.0.1:{sshd.Port}) did not answer within 2 s", error.Message);
        Assert.Contains("tried a fresh connection because the pooled one did not open a session within 1 s", error.Message);
        var audited = ssh.Audit.Entries.Single(e => e.Command == "echo frozen");
        Assert.Null(audited.ExitCode);
        Assert.Contains("did not open a session", audited.Detail);
        Assert.Equal(0, ssh.Pool.OpenConnections);
    }

    [Fact]
    public async Task CommandTimeoutShorterThanTheOpenTimeout_BoundsTheWait_AndTheNextCommandUsesANewConnection()
    {
        await using var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd, Short with { ChannelOpenTimeout = TimeSpan.FromSeconds(10) });
        var target = ssh.PasswordTarget();
        var before = await ssh.Runner.RunAsync(target, ["sh", "-c", "echo $SSH_CONNECTION"], SshLayer.AsLoginUser());

        TimeSpan took;
        using (FrozenSshd.Freeze(sshd))
        {
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<CommandTimedOutException>(() =>
                ssh.Runner.RunAsync(target, ["true"], SshLayer.As(timeout: TimeSpan.FromSeconds(0.5))));
            took = clock.Elapsed;
        }

        Assert.InRange(took, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(4));
        var after = await ssh.Runner.RunAsync(target, ["sh", "-c", "echo $SSH_CONNECTION"], SshLayer.AsLoginUser());
        Assert.NotEqual(before.StdOut, after.StdOut);
    }
}
