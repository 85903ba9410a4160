using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Shared.Console;

// The doors between the pages and the server. Pages depend only on these, so bUnit can feed them.
// Every method validates its input and throws InvalidInputException (field + message) on bad input,
// or ConflictException when the inventory already holds what would be duplicated.

public interface IInventory
{
    Task<IReadOnlyList<Cluster>> ListClustersAsync(CancellationToken ct = default);
    Task<Cluster?> GetClusterAsync(long clusterId, CancellationToken ct = default);
    Task<Cluster> AddClusterAsync(Cluster cluster, CancellationToken ct = default);
    Task<Cluster> UpdateClusterAsync(Cluster cluster, CancellationToken ct = default);
    Task DeleteClusterAsync(long clusterId, CancellationToken ct = default);
    /// <summary>The cluster's settings (VIP NIC, shared state, fencing, …); defaults when never set.</summary>
    Task<ClusterSettings> GetSettingsAsync(long clusterId, CancellationToken ct = default);
    /// <summary>Validates the settings against the cluster's nodes (every error by field) and stores them.</summary>
    Task<ClusterSettings> UpdateSettingsAsync(long clusterId, ClusterSettings settings, CancellationToken ct = default);

    Task<IReadOnlyList<Node>> ListNodesAsync(long clusterId, CancellationToken ct = default);
    Task<Node?> GetNodeAsync(long nodeId, CancellationToken ct = default);
    Task<Node> AddNodeAsync(Node node, CancellationToken ct = default);
    /// <summary>
    /// Updates name, address, port, user and credential. A changed address or port drops the pinned host key; an operator's change
    /// of where the node's credential goes leaves the node awaiting an admin's confirmation (<see cref="Node.CredentialAwaitsAdmin"/>).
    /// </summary>
    Task<Node> UpdateNodeAsync(Node node, CancellationToken ct = default);
    Task DeleteNodeAsync(long nodeId, CancellationToken ct = default);

    Task<IReadOnlyList<VirtualIp>> ListVirtualIpsAsync(long clusterId, CancellationToken ct = default);
    Task<VirtualIp> AddVirtualIpAsync(VirtualIp vip, CancellationToken ct = default);
    Task<VirtualIp> UpdateVirtualIpAsync(VirtualIp vip, CancellationToken ct = default);
    Task DeleteVirtualIpAsync(long vipId, CancellationToken ct = default);

    Task<IReadOnlyList<Share>> ListSharesAsync(long clusterId, CancellationToken ct = default);
    Task<Share> AddShareAsync(Share share, CancellationToken ct = default);
    Task<Share> UpdateShareAsync(Share share, CancellationToken ct = default);
    Task DeleteShareAsync(long shareId, CancellationToken ct = default);

    Task<IReadOnlyList<Export>> ListExportsAsync(long clusterId, CancellationToken ct = default);
    Task<Export> AddExportAsync(Export export, CancellationToken ct = default);
    Task<Export> UpdateExportAsync(Export export, CancellationToken ct = default);
    Task DeleteExportAsync(long exportId, CancellationToken ct = default);
}

/// <summary>What the console offers the admin when it meets a node's host key.</summary>
public sealed record HostKeyOffer(string Algorithm, string Fingerprint, string? PinnedFingerprint)
{
    public bool IsPinned => PinnedFingerprint == Fingerprint;
    public bool HasChanged => PinnedFingerprint is not null && PinnedFingerprint != Fingerprint;
}

public interface INodeAccess
{
    /// <summary>Connects to the node and returns the host key it shows, beside the pinned one.</summary>
    Task<HostKeyOffer> FetchHostKeyAsync(long nodeId, CancellationToken ct = default);
    /// <summary>Pins this fingerprint for the node (the admin compared it and accepted it); an admin's accept also binds the node's credential there.</summary>
    Task AcceptHostKeyAsync(long nodeId, string fingerprint, CancellationToken ct = default);
    /// <summary>
    /// Admins only: binds the node's credential to where the node points now (address, port, SSH user, accepted host key),
    /// after an operator changed one of them; until then the console does not send the credential there.
    /// </summary>
    Task ConfirmCredentialAsync(long nodeId, CancellationToken ct = default);
    /// <summary>Probes the node over SSH and stores the facts.</summary>
    Task<NodeFacts> ProbeAsync(long nodeId, CancellationToken ct = default);
    Task<NodeFacts?> GetLastProbeAsync(long nodeId, CancellationToken ct = default);
    /// <summary>Asks the node which storageha-node it runs, beside the one the console bundles.</summary>
    Task<NodeHelperStatus> GetHelperAsync(long nodeId, CancellationToken ct = default);
    /// <summary>Installs the bundled storageha-node and OCF agents on the node, unless it already has exactly these.</summary>
    Task<NodeHelperStatus> DeployHelperAsync(long nodeId, CancellationToken ct = default);
    /// <summary>
    /// Installs the public key of the node's key credential in its SSH user's authorized_keys, logging in once with
    /// <paramref name="password"/> (over the pinned host key; the password is neither stored nor logged), then checks the key logs in.
    /// </summary>
    Task InstallKeyAsync(long nodeId, string password, CancellationToken ct = default);
    /// <summary>Which of these addresses something answers at, asked from the node (for VIPs: an address in use elsewhere is not free).</summary>
    Task<IReadOnlyList<string>> AnsweringAsync(long nodeId, IReadOnlyList<string> addresses, CancellationToken ct = default);
}

/// <summary>storageha-node on one node: the version it runs (null: not installed), the bundled one, and what a deploy replaced.</summary>
/// <param name="IsCurrent">Every bundled file is on the node byte for byte (same SHA-256).</param>
/// <param name="Replaced">The paths a deploy wrote; empty when the node was already current.</param>
/// <param name="Problem">Set when the installed binary is there but does not run, with its error.</param>
public sealed record NodeHelperStatus(string? InstalledVersion, string BundledVersion, bool IsCurrent, IReadOnlyList<string> Replaced, string? Problem = null);

public interface ICredentialStore
{
    Task<IReadOnlyList<Credential>> ListAsync(CancellationToken ct = default);
    /// <summary>Creates a new key pair on the server; only the public key is ever shown.</summary>
    Task<Credential> GenerateKeyAsync(string name, CancellationToken ct = default);
    Task<Credential> AddPrivateKeyAsync(string name, string privateKey, string? passphrase, CancellationToken ct = default);
    Task<Credential> AddPasswordAsync(string name, string password, CancellationToken ct = default);
    Task DeleteAsync(long credentialId, CancellationToken ct = default);
}

public sealed record AuditQuery(int Skip = 0, int Take = 100, string? Search = null);

public interface IAuditLog
{
    Task WriteAsync(AuditEntry entry, CancellationToken ct = default);
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default);
}

public sealed record ApiToken(long Id, string Name, string UserName, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt);

public interface IUserAdmin
{
    Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default);
    Task<User> CreateAsync(string userName, string password, Role role, CancellationToken ct = default);
    Task SetRoleAsync(long userId, Role role, CancellationToken ct = default);
    Task SetPasswordAsync(long userId, string password, CancellationToken ct = default);
    Task DeleteAsync(long userId, CancellationToken ct = default);
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct = default);
    /// <summary>Creates a token for a user; the returned secret is shown once and stored only as a hash.</summary>
    Task<(ApiToken Token, string Secret)> CreateTokenAsync(long userId, string name, CancellationToken ct = default);
    Task RevokeTokenAsync(long tokenId, CancellationToken ct = default);
}
