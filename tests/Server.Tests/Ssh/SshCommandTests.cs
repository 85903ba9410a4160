using System.Diagnostics;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Commands;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>Running commands on a real sshd: results, quoting, stdin, timeouts, cancellation, reuse and the audit trail.</summary>
public sealed class SshCommandTests(SshdFixture fixture) : IClassFixture<SshdFixture>
{
    private static readonly string[] Words =
    [
        "it's", "\"double\"", "'single'", "$(touch /tmp/pwned)", "`id`", "${HOME}", "$HOME", "a;b", "a|b", "a && b", "a || b",
        "line1\nline2", "tab\there", "*", "~", "~root", "-n", "--help", "-", "", " ", "  leading and trailing  ", "back\\slash",
        "!event", "#comment", "a>b", "<in", "(sub)", "{a,b}", "[ab]", "x=1", "%s%d", "\\n", "ünïcødé ☃", "emoji 🚀🐧",
        "'\"'\"'", "\r\n", "\u00a0nbsp", "日本語",
    ];

    public static readonly TheoryData<string> HostileWords = new(Words);

    [Theory]
    [MemberData(nameof(HostileWords))]
    public async Task HostileWord_ComesBackByteIdentical_ThroughPrintf(string word)
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["printf", "%s", word], SshLayer.As());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(word, result.StdOut);
    }

    [Fact]
    public async Task AllHostileWords_StaySeparateWords_InOneCommand()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var words = Words;

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["printf", "[%s]", .. words], SshLayer.As());

        Assert.Equal(string.Concat(words.Select(w => $"[{w}]")), result.StdOut);
        Assert.False(File.Exists("/tmp/pwned"));
    }

    [Fact]
    public async Task Result_CarriesExitCode_StdOut_StdErr_AndDuration()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["sh", "-c", "echo out; echo err >&2; sleep 0.2; exit 3"], SshLayer.As());

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("out\n", result.StdOut);
        Assert.Equal("err\n", result.StdErr);
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task StandardInput_ReachesTheCommand_AndIsNeverAudited()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var options = SshLayer.As() with { StandardInput = "hacluster-password-Xyz\n" };

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["sh", "-c", "read secret; printf %s \"$secret\""], options);

        Assert.Equal("hacluster-password-Xyz", result.StdOut);
        var entry = Assert.Single(ssh.Audit.Entries);
        Assert.DoesNotContain("Xyz", entry.Command + entry.Detail);
        Assert.Contains("stdin (not recorded)", entry.Detail);
    }

    [Fact]
    public async Task CommandReadingStdin_WithoutInput_SeesEndOfFile()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["cat"], SshLayer.As(timeout: TimeSpan.FromSeconds(10)));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public async Task SecretArgument_IsShownAsStars_InTheAudit()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var options = SshLayer.As() with { SecretArguments = new HashSet<int> { 2 } };

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["printf", "%s", "hunter2"], options);

        Assert.Equal("hunter2", result.StdOut);
        var entry = Assert.Single(ssh.Audit.Entries);
        Assert.Equal("printf %s '***'", entry.Command);
        Assert.DoesNotContain("hunter2", entry.Command + entry.Detail);
    }

    [Fact]
    public async Task EveryCommand_IsAudited_WithActorNodeCommandLineAndExitCode()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var target = ssh.PasswordTarget();

        await ssh.Runner.RunAsync(target, ["true"], SshLayer.As("alice"));
        await ssh.Runner.RunAsync(target, ["sh", "-c", "exit 7"], SshLayer.As("bob"));
        await Assert.ThrowsAsync<CommandTimedOutException>(() =>
            ssh.Runner.RunAsync(target, ["sleep", "20"], SshLayer.As("carol", TimeSpan.FromSeconds(1))));

        var entries = ssh.Audit.Entries;
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal("ssh.run", e.Action));
        Assert.All(entries, e => Assert.Equal("node1", e.Target));
        Assert.All(entries, e => Assert.Contains($"{fixture.Sshd.User}@127.0.0.1:{fixture.Sshd.Port}", e.Detail));
        Assert.Equal(["alice", "bob", "carol"], entries.Select(e => e.Actor));
        Assert.Equal(["true", "sh -c 'exit 7'", "sleep 20"], entries.Select(e => e.Command));
        Assert.Equal([0, 7, (int?)null], entries.Select(e => e.ExitCode));
        Assert.Contains("timed out after 1 s", entries[2].Detail);
        Assert.All(entries, e => Assert.DoesNotContain(fixture.Sshd.Password, e.Command + e.Detail));
    }

    [Fact]
    public async Task SlowCommand_TimesOut_StopsWaiting_AndIsKilledOnTheNode()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var marker = $"{Random.Shared.Next(1000, 9999)}.5";
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<CommandTimedOutException>(() =>
            ssh.Runner.RunAsync(ssh.PasswordTarget(), ["sleep", marker], SshLayer.As(timeout: TimeSpan.FromSeconds(1))));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Contains("node1 (127.0.0.1:", error.Message);
        Assert.Contains("timed out after 1 s", error.Message);
        Assert.Contains($"sleep {marker}", error.Message);
        // The remote sleep got the signal: it is gone within a few seconds (anchored, so pgrep's own shell does not match).
        var stillThere = true;
        for (var i = 0; i < 50 && stillThere; i++)
        {
            var pgrep = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["pgrep", "-f", $"^sleep {marker}"], SshLayer.As());
            stillThere = pgrep.ExitCode == 0;
            if (stillThere) await Task.Delay(100);
        }
        Assert.False(stillThere, "the timed-out command still runs on the node");
    }

    [Fact]
    public async Task Cancellation_StopsWaiting_AtOnce()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ssh.Runner.RunAsync(ssh.PasswordTarget(), ["sleep", "20"], SshLayer.As(), cancel.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        Assert.Contains("cancelled", Assert.Single(ssh.Audit.Entries).Detail);
    }

    [Fact]
    public async Task SuccessiveCommands_ReuseOneConnection()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var target = ssh.PasswordTarget();
        string[] whoAmI = ["sh", "-c", "echo $SSH_CONNECTION"];

        var first = await ssh.Runner.RunAsync(target, whoAmI, SshLayer.As());
        var second = await ssh.Runner.RunAsync(target, whoAmI, SshLayer.As());
        var parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => ssh.Runner.RunAsync(target, whoAmI, SshLayer.As())));

        // SSH_CONNECTION names the client's port: the same port means the same TCP connection.
        Assert.Equal(first.StdOut, second.StdOut);
        Assert.All(parallel, r => Assert.Equal(first.StdOut, r.StdOut));
        Assert.Equal(1, ssh.Pool.OpenConnections);
    }

    [Fact]
    public void CommandLine_IsBuiltByTheOneQuotingFunction()
    {
        // The audit shows what ran: the same words, joined by ShellCommand.Join.
        Assert.Equal("printf %s 'it'\\''s'", ShellCommand.Join(["printf", "%s", "it's"]));
    }
}
