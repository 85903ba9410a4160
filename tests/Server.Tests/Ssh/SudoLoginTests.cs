using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Probe;
using StorageHa.Shared.Commands;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>
/// A node that refuses root login, reached as a real user with passwordless sudo (the test sshd's user, a sudoers.d file
/// of its own): every command runs as root through `sudo -n --`, uploads land root-owned, and the audit says so.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SudoLoginTests(SshdFixture fixture) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task Command_RunsAsRoot_ThroughSudo_AndItsSecretArrivesOnStdin()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["sh", "-c", "id -u; echo \"$SUDO_USER\"; cat"],
            SshLayer.As() with { StandardInput = "s3cret password\nsecond line\n" });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"0\n{fixture.Sshd.User}\ns3cret password\nsecond line\n", result.StdOut);
    }

    [Fact]
    public async Task Argv_WithQuotesSpacesAndNewlines_ArrivesWordForWord_ThroughSudo()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        string[] words = ["two words", "it's", "line one\nline two", "$HOME", "*", "`id`", "-n", ""];

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["printf", "[%s]\\n", .. words], SshLayer.As());

        Assert.Equal(string.Concat(words.Select(w => $"[{w}]\n")), result.StdOut);
    }

    [Fact]
    public async Task Audit_ShowsTheLoginUser_AndThatTheCommandRanThroughSudo()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["id", "-u"], SshLayer.As("carol"));

        var entry = Assert.Single(ssh.Audit.Entries);
        Assert.Equal(("carol", "node1", "id -u", 0), (entry.Actor, entry.Target, entry.Command, entry.ExitCode));
        Assert.StartsWith($"{fixture.Sshd.User}@127.0.0.1:{fixture.Sshd.Port} (sudo);", entry.Detail);
    }

    [Fact]
    public async Task TheUsersOwnCommand_RunsAsTheUser_AndIsAuditedWithoutSudo()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["id", "-un"], SshLayer.AsLoginUser());

        Assert.Equal(fixture.Sshd.User + "\n", result.StdOut);
        Assert.StartsWith($"{fixture.Sshd.User}@127.0.0.1:{fixture.Sshd.Port};", Assert.Single(ssh.Audit.Entries).Detail);
    }

    [Fact]
    public async Task Upload_LandsRootOwned_WhereOnlyRootMayWrite_AndNoTemporaryDirectoryRemains()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var rootOnly = RootOnlyDirectory();
        var destination = Path.Combine(rootOnly, "helper.bin");
        var content = Encoding.UTF8.GetBytes("#!/bin/sh\necho installed\n");

        var uploaded = await ssh.Runner.UploadAsync(ssh.PasswordTarget(), new MemoryStream(content), destination, new SshUploadOptions { Actor = "alice" });

        Assert.Equal(content, await File.ReadAllBytesAsync(destination));
        Assert.Equal("0 0 644", await Stat("%u %g %a", destination));
        Assert.Equal(content.Length, uploaded.Bytes);
        Assert.Empty(await UploadDirectoriesOfAsync(fixture.Sshd.User));
        var audit = Assert.Single(ssh.Audit.Entries, e => e.Action == "sftp.upload" && e.Command == destination);
        Assert.StartsWith($"{fixture.Sshd.User}@127.0.0.1:{fixture.Sshd.Port} (sudo);", audit.Detail);
    }

    [Fact]
    public async Task FailedInstall_ReportsIt_AndStillRemovesTheTemporaryDirectory()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var nowhere = Path.Combine(RootOnlyDirectory(), "no-such-directory", "helper.bin");

        var error = await Assert.ThrowsAsync<UploadFailedException>(() =>
            ssh.Runner.UploadAsync(ssh.PasswordTarget(), new MemoryStream([1, 2, 3]), nowhere, new SshUploadOptions { Actor = "alice" }));

        Assert.Contains(nowhere, error.Message);
        Assert.Contains("sudo", error.Message);
        Assert.Empty(await UploadDirectoriesOfAsync(fixture.Sshd.User));
    }

    /// <summary>A directory in the test sshd's folder that only root may write: the user needs sudo to put anything there.</summary>
    private string RootOnlyDirectory()
    {
        var path = Path.Combine(fixture.Sshd.Directory, $"root-only-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    /// <summary>The upload directories in /tmp that belong to this user (other test runs may be uploading as their own users).</summary>
    internal static async Task<IReadOnlyList<string>> UploadDirectoriesOfAsync(string user)
    {
        var uid = await NodeProberTests.Local("id", "-u", user);
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/tmp", "storageha-upload.*"))
            if (await Stat("%u", directory) == uid) found.Add(directory);
        return found;
    }

    internal static Task<string> Stat(string format, string path) => NodeProberTests.Local("stat", "-c", format, path);
}

/// <summary>One real sshd whose user's sudo asks for a password.</summary>
public sealed class PasswordSudoSshdFixture : IAsyncLifetime
{
    public TestSshd Sshd { get; private set; } = null!;

    public async Task InitializeAsync() => Sshd = await TestSshd.StartAsync(sudo: TestSudo.PasswordRequired);

    public async Task DisposeAsync() => await Sshd.DisposeAsync();
}

/// <summary>A user whose sudo wants a password: refused at once, in words that name the node, the user and the fix; never a hang.</summary>
[SupportedOSPlatform("linux")]
public sealed class PasswordSudoTests(PasswordSudoSshdFixture fixture) : IClassFixture<PasswordSudoSshdFixture>
{
    [Fact]
    public async Task Command_IsRefusedAtOnce_NamingTheNode_TheUser_AndTheSudoersLine()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<SudoRefusedException>(() =>
            ssh.Runner.RunAsync(ssh.PasswordTarget(), ["cat"], SshLayer.As(timeout: TimeSpan.FromSeconds(60)) with { StandardInput = "secret\n" }));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}: sudo must fail, not wait for a password");
        Assert.Equal(SudoRefusal.PasswordRequired, error.Refusal);
        Assert.Contains($"node1 (127.0.0.1:{fixture.Sshd.Port})", error.Message);
        Assert.Contains($"'{fixture.Sshd.User}'", error.Message);
        Assert.Contains($"{fixture.Sshd.User} ALL=(ALL) NOPASSWD: ALL", error.Message);
        Assert.Contains("log in as root", error.Message);
        var audit = Assert.Single(ssh.Audit.Entries);
        Assert.Equal(("cat", 1), (audit.Command, audit.ExitCode));
        Assert.Contains("(sudo)", audit.Detail);
        Assert.Contains("refused by sudo: sudo: a password is required", audit.Detail);
        Assert.DoesNotContain("secret", audit.Detail);
    }

    [Fact]
    public async Task Upload_IsRefused_AndLeavesNoTemporaryDirectory()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var destination = Path.Combine(fixture.Sshd.Directory, $"never-{Guid.NewGuid():N}");

        await Assert.ThrowsAsync<SudoRefusedException>(() =>
            ssh.Runner.UploadAsync(ssh.PasswordTarget(), new MemoryStream([1, 2, 3]), destination, new SshUploadOptions { Actor = "alice" }));

        Assert.False(File.Exists(destination));
        Assert.Empty(await SudoLoginTests.UploadDirectoriesOfAsync(fixture.Sshd.User));
    }
}
