using StorageHa.Server.Ssh;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>One real sshd shared by the tests of a class, with a pool, a runner and an audit recorder per test.</summary>
public sealed class SshdFixture : IAsyncLifetime
{
    public TestSshd Sshd { get; private set; } = null!;

    public async Task InitializeAsync() => Sshd = await TestSshd.StartAsync();

    public async Task DisposeAsync() => await Sshd.DisposeAsync();
}

/// <summary>The SSH layer wired as the server wires it, pointed at a test sshd.</summary>
internal sealed class SshLayer : IDisposable
{
    public SshLayer(TestSshd sshd, SshSettings? settings = null)
    {
        Sshd = sshd;
        Pool = new SshConnectionPool(settings ?? new SshSettings());
        Runner = new SshRunner(Pool, Audit, TimeProvider.System);
    }

    public TestSshd Sshd { get; }
    public SshConnectionPool Pool { get; }
    public AuditRecorder Audit { get; } = new();
    public SshRunner Runner { get; }

    public static SshRunOptions As(string actor = "alice", TimeSpan? timeout = null) =>
        new() { Actor = actor, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>Not through sudo: for what the login's own session shows ($SSH_CONNECTION names the connection; sudo resets it).</summary>
    public static SshRunOptions AsLoginUser(string actor = "alice") => As(actor) with { AsLoginUser = true };

    public SshTarget PasswordTarget() => Target(SshAuth.WithPassword(Sshd.Password, "test password"));

    public SshTarget Target(SshAuth auth, string? pinned = null) =>
        new("node1", Sshd.Address, Sshd.Port, Sshd.User, auth, pinned ?? Sshd.HostKeyFingerprint);

    public void Dispose() => Pool.Dispose();
}
