using System.Diagnostics;
using StorageHa.Server.Ssh;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>Every way the console logs in, against a real OpenSSH server.</summary>
public sealed class SshAuthenticationTests(SshdFixture fixture) : IClassFixture<SshdFixture>
{
    [Theory]
    [InlineData("ed25519", null, false)]
    [InlineData("ed25519", "correct horse battery", false)]
    [InlineData("rsa", null, true)]
    [InlineData("rsa", null, false)]
    [InlineData("rsa", "rsa passphrase", false)]
    [InlineData("ecdsa", null, false)]
    public async Task PrivateKey_LogsIn(string type, string? passphrase, bool pem)
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var key = await fixture.Sshd.CreateAuthorizedKeyAsync(type, passphrase, pem);

        var result = await ssh.Runner.RunAsync(ssh.Target(SshAuth.WithKey(key, passphrase, $"{type} key")), ["id", "-un"], SshLayer.AsLoginUser());

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(fixture.Sshd.User + "\n", result.StdOut);
    }

    [Fact]
    public async Task Password_LogsIn()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget(), ["id", "-un"], SshLayer.AsLoginUser());

        Assert.Equal(fixture.Sshd.User + "\n", result.StdOut);
    }

    [Fact]
    public async Task GeneratedKeyPair_LogsIn_AndIsWhatSshKeygenReads()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var pair = SshKeyPairGenerator.Generate("storageha@cluster-a");
        await fixture.Sshd.AuthorizeAsync(pair.PublicKey);

        var result = await ssh.Runner.RunAsync(ssh.Target(SshAuth.WithKey(pair.PrivateKey, label: "generated")), ["id", "-un"], SshLayer.AsLoginUser());

        Assert.Equal(fixture.Sshd.User + "\n", result.StdOut);
        Assert.StartsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA", pair.PublicKey);
        Assert.EndsWith(" storageha@cluster-a", pair.PublicKey);
        // OpenSSH itself derives the same public key and fingerprint from the private key we wrote.
        var keyFile = Path.Combine(fixture.Sshd.Directory, $"generated-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(keyFile, pair.PrivateKey);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(pair.PublicKey, await Run("ssh-keygen", "-y", "-f", keyFile));
        Assert.Equal(pair.Fingerprint, (await Run("ssh-keygen", "-l", "-E", "sha256", "-f", keyFile)).Split(' ')[1]);
    }

    [Fact]
    public void GeneratedKeyPairs_AreNeverTheSame()
    {
        var pairs = Enumerable.Range(0, 5).Select(_ => SshKeyPairGenerator.Generate("x")).ToList();

        Assert.Equal(5, pairs.Select(p => p.PrivateKey).Distinct().Count());
        Assert.Equal(5, pairs.Select(p => p.Fingerprint).Distinct().Count());
    }

    [Fact]
    public async Task WrongPassword_IsRefused_NamingUserAndCredential()
    {
        using var ssh = new SshLayer(fixture.Sshd);

        var error = await Assert.ThrowsAsync<NodeLoginFailedException>(() =>
            ssh.Runner.RunAsync(ssh.Target(SshAuth.WithPassword("not-the-password", "ops password")), ["true"], SshLayer.As()));

        Assert.Contains($"user '{fixture.Sshd.User}'", error.Message);
        Assert.Contains("password credential 'ops password'", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
    }

    [Fact]
    public async Task UnknownKey_IsRefused_NamingTheKeyFingerprint()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var stranger = SshKeyPairGenerator.Generate("stranger");

        var error = await Assert.ThrowsAsync<NodeLoginFailedException>(() =>
            ssh.Runner.RunAsync(ssh.Target(SshAuth.WithKey(stranger.PrivateKey, label: "cluster-a key")), ["true"], SshLayer.As()));

        Assert.Contains("key credential 'cluster-a key'", error.Message);
        Assert.Contains(stranger.Fingerprint, error.Message);
        Assert.Contains("authorized_keys", error.Message);
    }

    [Fact]
    public async Task WrongPassphrase_IsReported_AsUnreadableKey()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var key = await fixture.Sshd.CreateAuthorizedKeyAsync("ed25519", "right one");

        var wrong = await Assert.ThrowsAsync<PrivateKeyUnreadableException>(() =>
            ssh.Runner.RunAsync(ssh.Target(SshAuth.WithKey(key, "wrong one", "k")), ["true"], SshLayer.As()));
        var missing = await Assert.ThrowsAsync<PrivateKeyUnreadableException>(() =>
            ssh.Runner.RunAsync(ssh.Target(SshAuth.WithKey(key, null, "k")), ["true"], SshLayer.As()));

        Assert.Contains("passphrase", wrong.Message);
        Assert.Contains("passphrase", missing.Message);
    }

    [Fact]
    public async Task ClosedPort_IsReported_AsConnectionRefused()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var target = ssh.PasswordTarget() with { Port = ClosedPort() };

        var error = await Assert.ThrowsAsync<NodeUnreachableException>(() => ssh.Runner.RunAsync(target, ["true"], SshLayer.As()));

        Assert.Contains("refused the connection", error.Message);
        Assert.Contains($"127.0.0.1:{target.Port}", error.Message);
    }

    [Fact]
    public void SecretsNeverAppear_InTheTargetText()
    {
        var target = new SshTarget("node1", "192.0.2.11", 22, "root", SshAuth.WithPassword("s3cret!", "ops"), null);
        var keyed = target with { Auth = SshAuth.WithKey("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA", "pp", "k") };

        Assert.DoesNotContain("s3cret!", target.ToString());
        Assert.DoesNotContain("BEGIN", keyed.ToString());
        Assert.DoesNotContain("pp", keyed.Auth.ToString());
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<string> Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} failed: {await process.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }
}
