using Dapper;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Probe;

/// <summary>
/// "Use the password once to install the key", against a real sshd whose user keeps its own ~/.ssh/authorized_keys
/// as a node does: the console's key goes in once, logs in at once, and the password is kept nowhere.
/// </summary>
public sealed class InstallKeyTests : IAsyncLifetime
{
    private readonly TestConsole _console = new();
    private TestSshd _sshd = null!;

    public async Task InitializeAsync() => _sshd = await TestSshd.StartAsync();

    [Fact]
    public async Task OneTimePassword_InstallsTheConsolesKeyOnce_WhichThenLogsIn_AndThePasswordIsInNoRecord()
    {
        var (access, node, key) = await NodeAsync(acceptHostKey: true);

        await access.InstallKeyAsync(node.Id, _sshd.Password);
        await access.InstallKeyAsync(node.Id, _sshd.Password);

        Assert.Equal([key.PublicKey!.Trim()], await File.ReadAllLinesAsync(UserAuthorizedKeys));
        await using var c = await _console.Database.OpenAsync();
        var audited = (await c.QueryAsync<(string Command, int? ExitCode, string? Detail)>(
            "SELECT command, exit_code, detail FROM audit_log WHERE action = 'node.install-key' ORDER BY id")).ToList();
        Assert.Equal([0, 0, 0, 0], audited.Select(a => a.ExitCode)); // install, then the key's own login, twice
        Assert.Equal("true", audited[1].Command);
        var everything = string.Join('\n', (await c.QueryAsync<string>("SELECT COALESCE(command, '') || ' ' || COALESCE(detail, '') FROM audit_log")));
        Assert.DoesNotContain(_sshd.Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(_sshd.Password, string.Concat(await File.ReadAllTextAsync(Path.Combine(_console.DataDir, "storageha.db"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_IsRefusedByTheNode_AndNothingIsInstalled()
    {
        var (access, node, _) = await NodeAsync(acceptHostKey: true);

        var refused = await Assert.ThrowsAsync<NodeLoginFailedException>(() => access.InstallKeyAsync(node.Id, "not-the-password"));

        Assert.Contains("node1", refused.Message);
        Assert.False(File.Exists(UserAuthorizedKeys));
    }

    [Fact]
    public async Task NodeWhoseHostKeyWasNotAccepted_IsRefused_BeforeThePasswordGoesAnywhere()
    {
        var (access, node, _) = await NodeAsync(acceptHostKey: false);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => access.InstallKeyAsync(node.Id, _sshd.Password));

        Assert.Equal("hostKeyFingerprint", refused.Errors.Single().Field);
        Assert.DoesNotContain("Accepted password", _sshd.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Failed password", _sshd.Log, StringComparison.Ordinal);
    }

    private string UserAuthorizedKeys => Path.Combine(_sshd.Directory, "home", ".ssh", "authorized_keys");

    private async Task<(NodeAccess Access, Node Node, Credential Key)> NodeAsync(bool acceptHostKey)
    {
        using var scope = _console.Services.CreateScope();
        var key = await _console.AsSystem<CredentialVault>(scope).GenerateKeyAsync("console-key");
        var inventory = _console.AsSystem<SqliteInventory>(scope);
        var cluster = await inventory.AddClusterAsync(new Cluster { Name = "nas" });
        var node = await inventory.AddNodeAsync(new Node
        {
            ClusterId = cluster.Id, Name = "node1", Address = _sshd.Address, SshPort = _sshd.Port, SshUser = _sshd.User, CredentialId = key.Id,
        });
        var access = _console.AsSystem<NodeAccess>(_console.Services.CreateScope());
        if (acceptHostKey) await access.AcceptHostKeyAsync(node.Id, _sshd.HostKeyFingerprint);
        return (access, (await inventory.GetNodeAsync(node.Id))!, key);
    }

    public async Task DisposeAsync()
    {
        await _sshd.DisposeAsync();
        _console.Dispose();
    }
}
