using StorageHa.Server.Ssh;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>
/// The SSH layer's own line, whatever the caller built the target from: a password reaches only a server whose host key
/// is the pinned one, and a stored credential only the place its binding names. A real sshd logs every password it gets.
/// </summary>
public sealed class CredentialNeverSentTests : IAsyncLifetime
{
    private TestSshd _sshd = null!;

    public async Task InitializeAsync() => _sshd = await TestSshd.StartAsync();

    [Fact]
    public async Task APassword_IsNotSentToAServerWhoseHostKeyIsNotThePinnedOne()
    {
        using var ssh = new SshLayer(_sshd);
        const string elsewhere = "SHA256:ohD8VZEXGWo6Ez8GSEJQ9WpafgLFsOfLOtGGQCQo6Og"; // a valid fingerprint of some other server

        await Assert.ThrowsAsync<HostKeyMismatchException>(() => ssh.Runner.RunAsync(ssh.Target(Password(), elsewhere), ["true"], SshLayer.As()));

        // SSH.NET asks HostKeyReceived during key exchange; a refusal ends the connection before any login request.
        Assert.False(_sshd.PasswordArrived(), _sshd.Log);
    }

    [Fact]
    public async Task AStoredCredentialBoundToAnotherPlace_IsNotSent_EvenToAServerThatWouldAcceptIt()
    {
        using var ssh = new SshLayer(_sshd);
        var elsewhere = new CredentialBinding(_sshd.Address, _sshd.Port + 1, _sshd.User, _sshd.HostKeyFingerprint);

        foreach (var allowedAt in new[] { elsewhere, elsewhere with { Port = _sshd.Port, User = "root" }, CredentialBinding.Nowhere })
            await Assert.ThrowsAsync<CredentialNotConfirmedException>(() =>
                ssh.Runner.RunAsync(ssh.Target(Password() with { AllowedAt = allowedAt }), ["true"], SshLayer.As()));

        Assert.False(_sshd.PasswordArrived(), _sshd.Log);
        var here = elsewhere with { Port = _sshd.Port };
        Assert.Equal(0, (await ssh.Runner.RunAsync(ssh.Target(Password() with { AllowedAt = here }), ["true"], SshLayer.As())).ExitCode);
        Assert.True(await _sshd.PasswordArrivesAsync(TimeSpan.FromSeconds(5)), _sshd.Log);
        Assert.Contains("Accepted password", _sshd.Log, StringComparison.Ordinal);
    }

    private SshAuth Password() => SshAuth.WithPassword(_sshd.Password, "node password");

    public async Task DisposeAsync() => await _sshd.DisposeAsync();
}
