using System.Diagnostics;
using StorageHa.Server.Probe;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.Probe;

namespace StorageHa.Server.Tests.Probe;

/// <summary>The probe as a user with passwordless sudo sees the node as root does: it runs through sudo like every command.</summary>
public sealed class SudoProbeTests(SshdFixture fixture) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task Probe_AsASudoUser_SeesWhatRootSees()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var remote = await new NodeProber(ssh.Runner, TimeProvider.System).ProbeAsync(ssh.PasswordTarget(), "alice");
        var root = ProbeReport.Parse(await RootProbeAsync(), remote.ProbedAt);

        Assert.Equal((root.Hostname, root.OsId, root.Kernel, root.InitProcess), (remote.Hostname, remote.OsId, remote.Kernel, remote.InitProcess));
        Assert.Equal(root.Packages, remote.Packages);
        Assert.Equal(root.Services, remote.Services);
        Assert.Equal(root.Interfaces.Select(i => (i.Name, i.Mac, i.Up, string.Join(' ', i.Addresses))),
            remote.Interfaces.Select(i => (i.Name, i.Mac, i.Up, string.Join(' ', i.Addresses))));
        Assert.Equal(root.SambaVfsModules, remote.SambaVfsModules);
        Assert.Equal(root.Filesystems.Select(f => f.MountPoint), remote.Filesystems.Select(f => f.MountPoint));
        Assert.DoesNotContain(remote.Findings, f => f.Message.Contains("sudo", StringComparison.Ordinal));
        Assert.Contains("(sudo)", Assert.Single(ssh.Audit.Entries).Detail);
    }

    /// <summary>The same script, run here as root (the tests run as root), without SSH or sudo.</summary>
    private static async Task<string> RootProbeAsync()
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true };
        foreach (var arg in NodeProbe.Command.Skip(1)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}

/// <summary>The probe as a user whose sudo wants a password: the node's facts as far as the user sees them, and a blocker that says how to fix it.</summary>
public sealed class PasswordSudoProbeTests(PasswordSudoSshdFixture fixture) : IClassFixture<PasswordSudoSshdFixture>
{
    [Fact]
    public async Task Probe_ReportsABlocker_WithTheSudoersLine_AndStillTheFactsTheUserCanSee()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var facts = await new NodeProber(ssh.Runner, TimeProvider.System).ProbeAsync(ssh.PasswordTarget(), "alice");

        var blocker = facts.Findings[0];
        Assert.Equal(FindingSeverity.Blocker, blocker.Severity);
        Assert.Contains($"sudo on node1 (127.0.0.1:{fixture.Sshd.Port}) asks '{fixture.Sshd.User}' for a password", blocker.Message);
        Assert.Contains($"'{fixture.Sshd.User} ALL=(ALL) NOPASSWD: ALL'", blocker.FixCommand);
        Assert.Contains("/etc/sudoers.d/", blocker.FixCommand);
        Assert.Equal(Environment.MachineName, facts.Hostname);
        Assert.Equal(2, ssh.Audit.Entries.Count); // the refused one through sudo, then the user's own
    }
}
