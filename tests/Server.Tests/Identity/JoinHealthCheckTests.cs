using System.Net;
using System.Net.Sockets;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Identity;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Ssh;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Identity;

/// <summary>
/// The join health check over a real sshd, through sudo, with Samba's real net and wbinfo on a machine in no domain: its
/// smb.conf (SMB_CONF_PATH) names a realm whose private directory holds no machine account, and no winbindd listens on
/// its socket directory. The healthy answers need a real DC: the AD lab test checks them; JoinCheckTests reads Samba's words for them.
/// </summary>
public sealed class JoinHealthCheckTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-join-").FullName;
    private TestSshd _sshd = null!;

    public async Task InitializeAsync()
    {
        RequiredTool.Require(new RequiredTool("net", "samba-common-bin"), new RequiredTool("wbinfo", "winbind"));
        foreach (var sub in new[] { "private", "lock", "state", "cache", "pid", "winbindd" }) Directory.CreateDirectory(Path.Combine(_dir, sub));
        await File.WriteAllTextAsync(Path.Combine(_dir, "smb.conf"), $"""
            [global]
              workgroup = LAB
              realm = LAB.TEST
              security = ads
              private dir = {_dir}/private
              lock directory = {_dir}/lock
              state directory = {_dir}/state
              cache directory = {_dir}/cache
              pid directory = {_dir}/pid

            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
        _sshd = await TestSshd.StartAsync(new Dictionary<string, string>
        {
            ["SMB_CONF_PATH"] = Path.Combine(_dir, "smb.conf"),
            ["WINBINDD_SOCKET_DIR"] = Path.Combine(_dir, "winbindd"),
        });
    }

    [Fact]
    public async Task ANodeInNoDomain_IsNotJoined_AndItsTrustFails_InTheToolsOwnWords_AuditedAsTheAsker()
    {
        using var ssh = new SshLayer(_sshd);

        var health = Assert.Single(await Check(ssh).CheckAsync([ssh.PasswordTarget()], "vera", CancellationToken.None));

        Assert.Equal(("node1", false, false), (health.Node, health.Joined, health.TrustOk));
        Assert.False(string.IsNullOrWhiteSpace(health.JoinMessage));
        Assert.StartsWith("not joined (", health.Summary);
        Assert.Equal("failed to call wbcCheckTrustCredentials: WBC_ERR_WINBIND_NOT_AVAILABLE", health.TrustMessage);
        Assert.Null(health.Unreachable);
        Assert.Equal(["net ads testjoin", "wbinfo -t"], ssh.Audit.Entries.Select(e => e.Command));
        Assert.All(ssh.Audit.Entries, e => Assert.Equal(("vera", JoinHealthCheck.AuditAction), (e.Actor, e.Action)));
        Assert.All(ssh.Audit.Entries, e => Assert.Contains("(sudo)", e.Detail));
    }

    [Fact]
    public async Task ANodeThatDoesNotAnswer_IsUnknown_SayingWhy_AndTheOthersAreStillChecked()
    {
        using var ssh = new SshLayer(_sshd);
        var dead = new SshTarget("node2", "127.0.0.1", ClosedPort(), _sshd.User, SshAuth.WithPassword(_sshd.Password, "test password"), _sshd.HostKeyFingerprint);

        var report = await Check(ssh).CheckAsync([ssh.PasswordTarget(), dead], "vera", CancellationToken.None);

        Assert.Equal(["node1", "node2"], report.Select(n => n.Node));
        Assert.False(report[0].Joined);
        Assert.Equal((null, null), (report[1].Joined, report[1].TrustOk));
        Assert.Contains("node2", report[1].Unreachable);
        Assert.StartsWith("unknown (", report[1].Summary);
    }

    private static JoinHealthCheck Check(SshLayer ssh) => new(new LiveNodes(ssh.Runner, TimeProvider.System));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        await _sshd.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
