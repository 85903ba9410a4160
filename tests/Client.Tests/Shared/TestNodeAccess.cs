using StorageHa.Shared.Console;
using StorageHa.Shared.Probe;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// Node access as pages see it: the test decides which host key a node offers and when a probe finishes.
/// Real SSH and probing are tested against a real sshd in Server.Tests.
/// </summary>
public sealed class TestNodeAccess(InMemoryInventory inventory) : INodeAccess
{
    private readonly Dictionary<long, NodeFacts> _lastProbe = [];

    /// <summary>The host key each node shows, by node id.</summary>
    public Dictionary<long, (string Algorithm, string Fingerprint)> HostKeys { get; } = [];

    /// <summary>Completes the running probe; until then the page shows its progress.</summary>
    public TaskCompletionSource<NodeFacts> ProbeResult { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<HostKeyOffer> FetchHostKeyAsync(long nodeId, CancellationToken ct = default)
    {
        var node = inventory.Nodes.Single(n => n.Id == nodeId);
        var (algorithm, fingerprint) = HostKeys[nodeId];
        return Task.FromResult(new HostKeyOffer(algorithm, fingerprint, node.HostKeyFingerprint));
    }

    public Task AcceptHostKeyAsync(long nodeId, string fingerprint, CancellationToken ct = default)
    {
        var index = inventory.Nodes.FindIndex(n => n.Id == nodeId);
        inventory.Nodes[index] = inventory.Nodes[index] with { HostKeyFingerprint = fingerprint };
        return Task.CompletedTask;
    }

    public Task ConfirmCredentialAsync(long nodeId, CancellationToken ct = default)
    {
        var index = inventory.Nodes.FindIndex(n => n.Id == nodeId);
        inventory.Nodes[index] = inventory.Nodes[index] with { CredentialAwaitsAdmin = false };
        return Task.CompletedTask;
    }

    public async Task<NodeFacts> ProbeAsync(long nodeId, CancellationToken ct = default)
    {
        var facts = await ProbeResult.Task;
        ProbeResult = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _lastProbe[nodeId] = facts;
        var index = inventory.Nodes.FindIndex(n => n.Id == nodeId);
        inventory.Nodes[index] = inventory.Nodes[index] with { LastProbeAt = facts.ProbedAt };
        return facts;
    }

    /// <summary>What each node runs, by node id; a deploy installs <see cref="BundledHelperVersion"/>.</summary>
    public Dictionary<long, string?> HelperVersions { get; } = [];
    public string BundledHelperVersion { get; set; } = "0.1.0";

    public Task<NodeHelperStatus> GetHelperAsync(long nodeId, CancellationToken ct = default) =>
        Task.FromResult(HelperStatus(nodeId, []));

    public Task<NodeHelperStatus> DeployHelperAsync(long nodeId, CancellationToken ct = default)
    {
        var replaced = HelperVersions.GetValueOrDefault(nodeId) == BundledHelperVersion ? [] : new[] { "/usr/local/sbin/storageha-node" };
        HelperVersions[nodeId] = BundledHelperVersion;
        return Task.FromResult(HelperStatus(nodeId, replaced));
    }

    /// <summary>The nodes whose key was installed with a password, by node id, with the password used.</summary>
    public Dictionary<long, string> KeyInstalledWith { get; } = [];

    public Task InstallKeyAsync(long nodeId, string password, CancellationToken ct = default)
    {
        KeyInstalledWith[nodeId] = password;
        return Task.CompletedTask;
    }

    /// <summary>The addresses something answers at, as the nodes would find them.</summary>
    public HashSet<string> Answering { get; } = [];

    public Task<IReadOnlyList<string>> AnsweringAsync(long nodeId, IReadOnlyList<string> addresses, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>(addresses.Where(Answering.Contains).ToArray());

    private NodeHelperStatus HelperStatus(long nodeId, IReadOnlyList<string> replaced)
    {
        var installed = HelperVersions.GetValueOrDefault(nodeId);
        return new NodeHelperStatus(installed, BundledHelperVersion, installed == BundledHelperVersion, replaced);
    }

    public Task<NodeFacts?> GetLastProbeAsync(long nodeId, CancellationToken ct = default)
        => Task.FromResult(_lastProbe.GetValueOrDefault(nodeId));
}
