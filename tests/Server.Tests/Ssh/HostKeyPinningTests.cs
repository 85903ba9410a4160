using StorageHa.Server.Ssh;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>Host keys are pinned: first contact shows the fingerprint, a changed key is refused.</summary>
public sealed class HostKeyPinningTests
{
    [Fact]
    public async Task FirstContact_ShowsTheFingerprint_ExactlyAsSshKeygenPrintsIt()
    {
        await using var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd);

        var key = await ssh.Runner.FetchHostKeyAsync("node1", sshd.Address, sshd.Port);

        Assert.Equal("ssh-ed25519", key.Algorithm);
        Assert.Equal(sshd.HostKeyFingerprint, key.Fingerprint);
        Assert.Matches("^SHA256:[A-Za-z0-9+/]{43}$", key.Fingerprint);
        Assert.Empty(ssh.Audit.Entries);
    }

    [Fact]
    public async Task PinnedKey_IsAccepted()
    {
        await using var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd);
        var key = await ssh.Runner.FetchHostKeyAsync("node1", sshd.Address, sshd.Port);

        var result = await ssh.Runner.RunAsync(ssh.PasswordTarget() with { PinnedFingerprint = key.Fingerprint }, ["true"], SshLayer.As());

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task NoPinnedKey_IsRefused_BeforeConnecting()
    {
        await using var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd);

        var error = await Assert.ThrowsAsync<HostKeyNotPinnedException>(() =>
            ssh.Runner.RunAsync(ssh.PasswordTarget() with { PinnedFingerprint = null }, ["true"], SshLayer.As()));

        Assert.Contains("No host key has been accepted for node1", error.Message);
    }

    [Fact]
    public async Task ChangedHostKey_IsRefused_NamingBothFingerprints()
    {
        await using var sshd = await TestSshd.StartAsync();
        using var ssh = new SshLayer(sshd);
        var target = ssh.PasswordTarget();
        await ssh.Runner.RunAsync(target, ["true"], SshLayer.As());
        var pinned = sshd.HostKeyFingerprint;

        await sshd.RegenerateHostKeyAsync();
        var error = await Assert.ThrowsAnyAsync<NodeSshException>(async () =>
        {
            // The first try may still meet the pooled connection as it drops; the next one must connect anew.
            try { await ssh.Runner.RunAsync(target, ["true"], SshLayer.As()); }
            catch (ConnectionDroppedException) { }
            await ssh.Runner.RunAsync(target, ["true"], SshLayer.As());
        });

        var mismatch = Assert.IsType<HostKeyMismatchException>(error);
        Assert.NotEqual(pinned, sshd.HostKeyFingerprint);
        Assert.Equal(pinned, mismatch.PinnedFingerprint);
        Assert.Equal(sshd.HostKeyFingerprint, mismatch.OfferedFingerprint);
        Assert.Contains($"The host key of node1 (127.0.0.1:{sshd.Port}) has changed: pinned {pinned}, offered {sshd.HostKeyFingerprint}", mismatch.Message);
        Assert.Contains("man-in-the-middle", mismatch.Message);
    }

    [Theory]
    [InlineData("SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og", "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")]
    [InlineData("ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og", "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")]
    [InlineData(" sha256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og= ", "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og")]
    [InlineData("MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", null)]
    [InlineData("SHA256:short", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Fingerprint_IsNormalised_ToOpenSshForm(string? given, string? expected) =>
        Assert.Equal(expected, SshFingerprint.Normalize(given));
}
