using System.Diagnostics;
using StorageHa.Server.Probe;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.Probe;

namespace StorageHa.Server.Tests.Probe;

/// <summary>The probe over SSH against a real sshd on this Debian 12 machine, checked against what the machine says itself.</summary>
public sealed class NodeProberTests(SshdFixture fixture) : IClassFixture<SshdFixture>
{
    [Fact]
    public async Task Probe_OverSsh_ReportsThisMachine()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var prober = new NodeProber(ssh.Runner, TimeProvider.System);
        var before = DateTimeOffset.UtcNow;

        var facts = await prober.ProbeAsync(ssh.PasswordTarget(), "alice");

        Assert.InRange(facts.ProbedAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(Environment.MachineName, facts.Hostname);
        Assert.Equal(await Local("uname", "-r"), facts.Kernel);
        Assert.Equal("debian", facts.OsId);
        Assert.StartsWith("Debian GNU/Linux", facts.OsName);
        var lo = Assert.Single(facts.Interfaces, i => i.Name == "lo");
        Assert.Contains("127.0.0.1/8", lo.Addresses);
        Assert.Equal(NodeProbe.Packages, facts.Packages.Select(p => p.Name));
        // The machine's own package database agrees with what came over SSH.
        foreach (var package in facts.Packages)
            Assert.Equal(await InstalledVersion(package.Name), package.Version);
        Assert.Contains(facts.Filesystems, f => f.MountPoint == "/" && f.SizeBytes > 0 && f.FreeBytes > 0);
        Assert.DoesNotContain(facts.Findings, f => f.Message.Contains("ended early"));
    }

    [Fact]
    public async Task Probe_IsAudited_AsOneCommand()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        await new NodeProber(ssh.Runner, TimeProvider.System).ProbeAsync(ssh.PasswordTarget(), "bob");

        var entry = Assert.Single(ssh.Audit.Entries);
        Assert.Equal(("bob", "node.probe", "node1", 0), (entry.Actor, entry.Action, entry.Target, entry.ExitCode));
        Assert.StartsWith("sh -c 'set -eu\nexport LC_ALL=C", entry.Command);
    }

    [Fact]
    public async Task ProbeScript_RunsTheSameLocally_AsOverSsh()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var remote = await new NodeProber(ssh.Runner, TimeProvider.System).ProbeAsync(ssh.PasswordTarget(), "alice");

        var local = ProbeReport.Parse(await Local("/bin/sh", [.. NodeProbe.Command.Skip(1)]), remote.ProbedAt);

        Assert.Equal(local.Packages, remote.Packages);
        Assert.Equal(local.Hostname, remote.Hostname);
        Assert.Equal(local.Interfaces.Select(i => i.Name), remote.Interfaces.Select(i => i.Name));
    }

    private static async Task<string?> InstalledVersion(string package)
    {
        var status = await Local("sh", "-c", $"dpkg-query -W -f='${{Status}} ${{Version}}' {package} 2>/dev/null || true");
        const string installed = "install ok installed ";
        return status.StartsWith(installed, StringComparison.Ordinal) ? status[installed.Length..] : null;
    }

    internal static async Task<string> Local(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Trim();
    }
}
