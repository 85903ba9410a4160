using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Provisioning;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// The simulation starts from the live CIB of the first node that gives it; an empty CIB stands in only when no cluster
/// runs, never for a node the console could not ask (here: one whose login is refused, against a real sshd).
/// </summary>
public sealed class LiveCibTests : IAsyncLifetime
{
    private readonly TestConsole _console = new();
    private TestSshd _sshd = null!;

    public async Task InitializeAsync() => _sshd = await TestSshd.StartAsync();

    [Fact]
    public async Task ANodeThatRefusesTheLogin_IsNotTakenForAClusterNotRunningYet_TheSimulationSaysWhichNodeAndWhy()
    {
        using var scope = _console.Services.CreateScope();
        // The console's key was never installed on the node: its login is refused.
        var key = await _console.AsSystem<CredentialVault>(scope).GenerateKeyAsync("console-key");
        var inventory = _console.AsSystem<SqliteInventory>(scope);
        var cluster = await inventory.AddClusterAsync(new Cluster { Name = "nas" });
        await _console.AsSystem<ClusterSpecs>(scope).ImportAsync(cluster.Id, new ClusterSpec
        {
            Name = "nas", Purpose = ClusterPurpose.Nfs,
            Nodes = [new NodeSpec { Name = "node1", Address = _sshd.Address, SshPort = _sshd.Port, SshUser = _sshd.User, Credential = key.Name }],
            Exports = [new ExportSpec { Path = "/srv/data" }],
            SharedState = new SharedStateSpec { GaneshaState = "/srv/state/ganesha" },
            Fencing = new FencingSpec { NoFencingAcknowledged = true },
        });
        var node = Assert.Single(await inventory.ListNodesAsync(cluster.Id));
        await _console.AsSystem<NodeAccess>(scope).AcceptHostKeyAsync(node.Id, _sshd.HostKeyFingerprint);

        var refused = await Assert.ThrowsAsync<NoLiveNodeException>(() => _console.AsSystem<ConsoleProvisioning>(scope).SimulateAsync(cluster.Id));

        Assert.Equal(NodeFailureKind.Credential, Assert.Single(refused.Failures).Kind);
        Assert.StartsWith("No node of nas answered cibadmin --query: node1: ", refused.Message);
        Assert.Contains("refused the login", refused.Message);
    }

    public async Task DisposeAsync()
    {
        await _sshd.DisposeAsync();
        _console.Dispose();
    }
}
