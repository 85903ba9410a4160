using System.Text.Json;
using Dapper;
using StorageHa.Shared.Console;
using StorageHa.Server.Audit;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Deployment;
using StorageHa.Server.Inventory;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Probe;

/// <summary>Inventory nodes meet the SSH layer here: host-key pinning and probes, as the signed-in admin.</summary>
public sealed class NodeAccess(IInventory inventory, INodeSecrets secrets, ICredentialStore credentials, ISshRunner ssh, NodeProber prober,
    NodeHelperDeployer helper, Database db, ICurrentActor actor, TimeProvider time) : INodeAccess
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<HostKeyOffer> FetchHostKeyAsync(long nodeId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Operator);
        var node = await NodeAsync(nodeId, ct);
        var key = await ssh.FetchHostKeyAsync(node.Name, node.Address, node.SshPort, ct);
        return new HostKeyOffer(key.Algorithm, key.Fingerprint, node.HostKeyFingerprint);
    }

    public async Task AcceptHostKeyAsync(long nodeId, string fingerprint, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        if (string.IsNullOrEmpty(fingerprint) || !fingerprint.StartsWith("SHA256:", StringComparison.Ordinal) || fingerprint.Length > 100)
            throw new InvalidInputException("fingerprint", "must be a SHA256 fingerprint as the console showed it (SHA256:…)");
        var node = await NodeAsync(nodeId, ct);
        // Accept only what the node shows right now: a fingerprint typed from elsewhere cannot pin a stranger's key.
        var shown = await ssh.FetchHostKeyAsync(node.Name, node.Address, node.SshPort, ct);
        if (shown.Fingerprint != fingerprint)
            throw new ConflictException("fingerprint", $"{node.Name} now shows {shown.Fingerprint}, not {fingerprint}; fetch the key again and compare it.");
        // An admin who accepts the key confirms in the same step that the node's credential may go there; an operator's leaves it waiting.
        var admin = await CredentialBindings.AdminAsync(actor);
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync("UPDATE nodes SET host_key_fingerprint = @fingerprint WHERE id = @nodeId", new { fingerprint, nodeId }, tx);
            var bound = admin is not null && await CredentialBindings.ConfirmAsync(c, tx, [nodeId], admin, time.GetUtcNow()) > 0;
            await AuditTrail.WriteAsync(c, tx, new AuditEntry
            {
                At = time.GetUtcNow(), Actor = who, Action = "node.accept-host-key", Target = node.Name,
                Detail = (node.HostKeyFingerprint is null ? fingerprint : $"{node.HostKeyFingerprint} → {fingerprint}") +
                    (bound ? $"; credential bound to {node.SshUser}@{node.Address}:{node.SshPort}" : ""),
            });
            return 0;
        }, ct);
    }

    public async Task ConfirmCredentialAsync(long nodeId, CancellationToken ct = default)
    {
        var admin = await actor.RequireAsync(Role.Admin);
        var node = await NodeAsync(nodeId, ct);
        if (node.CredentialId is null)
            throw new InvalidInputException("credentialId", $"{node.Name} has no credential to confirm.");
        if (node.HostKeyFingerprint is null)
            throw new InvalidInputException("hostKeyFingerprint", $"Accept the host key of {node.Name} first: the credential is bound to it.");
        await db.InTransactionAsync(async (c, tx) =>
        {
            await CredentialBindings.ConfirmAsync(c, tx, [nodeId], admin, time.GetUtcNow());
            await AuditTrail.WriteAsync(c, tx, new AuditEntry
            {
                At = time.GetUtcNow(), Actor = admin, Action = "node.confirm-credential", Target = node.Name,
                Detail = $"credential {node.CredentialId} bound to {node.SshUser}@{node.Address}:{node.SshPort}, host key {node.HostKeyFingerprint}",
            });
            return 0;
        }, ct);
    }

    public async Task<NodeFacts> ProbeAsync(long nodeId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var node = await NodeAsync(nodeId, ct);
        // Judged for what the node's cluster serves: an SMB cluster's node does not need NFS-Ganesha.
        var purpose = (await inventory.GetClusterAsync(node.ClusterId, ct))?.Purpose ?? ClusterPurpose.Both;
        // A cluster that joins Active Directory: the probe also looks up the domain's DC and its clock from the node.
        var identity = (await inventory.GetSettingsAsync(node.ClusterId, ct)).Identity;
        var realm = purpose != ClusterPurpose.Nfs && identity.Mode == IdentityMode.ActiveDirectory ? identity.ActiveDirectory?.Realm : null;
        var facts = await prober.ProbeAsync(await TargetAsync(node, ct), who, purpose, ct, realm);
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE nodes SET last_probe_at = @at, last_probe_json = @json WHERE id = @nodeId",
            new { at = facts.ProbedAt, json = JsonSerializer.Serialize(facts, Json), nodeId });
        return facts;
    }

    public async Task<NodeFacts?> GetLastProbeAsync(long nodeId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var json = await c.QuerySingleOrDefaultAsync<string?>("SELECT last_probe_json FROM nodes WHERE id = @nodeId", new { nodeId });
        return json is null ? null : JsonSerializer.Deserialize<NodeFacts>(json, Json);
    }

    public async Task<NodeHelperStatus> GetHelperAsync(long nodeId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        return await helper.CheckAsync(await TargetAsync(await NodeAsync(nodeId, ct), ct), who, ct);
    }

    public async Task<NodeHelperStatus> DeployHelperAsync(long nodeId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        return await helper.DeployAsync(await TargetAsync(await NodeAsync(nodeId, ct), ct), who, ct);
    }

    public async Task InstallKeyAsync(long nodeId, string password, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        if (string.IsNullOrEmpty(password) || password.Length > 1024)
            throw new InvalidInputException("password", "the node's password for its SSH user is required (at most 1024 characters)");
        var node = await NodeAsync(nodeId, ct);
        var key = (await credentials.ListAsync(ct)).FirstOrDefault(c => c.Id == node.CredentialId);
        if (key?.PublicKey is not { Length: > 0 } publicKey)
            throw new InvalidInputException("credentialId", $"{node.Name} does not log in with an SSH key of the console: choose or generate one first.");
        // The password goes only to the host whose key the admin accepted (TargetAsync refuses the others).
        var withKey = await TargetAsync(node, ct);
        var once = withKey with { Auth = SshAuth.WithPassword(password, "one-time password") };
        // The key goes into the SSH user's own authorized_keys: as that user, not through sudo (root's home is not the user's).
        var options = new SshRunOptions { Actor = who, Timeout = TimeSpan.FromSeconds(30), AuditAction = "node.install-key", AsLoginUser = true };
        var installed = await ssh.RunAsync(once, AuthorizedKey.Install(publicKey), options, ct);
        if (!installed.Succeeded)
            throw new InvalidOperationException($"Could not add the key to {node.SshUser}'s authorized_keys on {node.Name}: exit {installed.ExitCode} {installed.StdErr.Trim()}");
        var proof = await ssh.RunAsync(withKey, ["true"], options, ct);
        if (!proof.Succeeded)
            throw new InvalidOperationException($"The key was added on {node.Name}, but logging in with it failed (exit {proof.ExitCode}).");
    }

    public async Task<IReadOnlyList<string>> AnsweringAsync(long nodeId, IReadOnlyList<string> addresses, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var command = AddressCheck.Command(addresses);
        var target = await TargetAsync(await NodeAsync(nodeId, ct), ct);
        var result = await ssh.RunAsync(target, command, new SshRunOptions
        {
            Actor = who, Timeout = TimeSpan.FromSeconds(10 + 3 * AddressCheck.MaxAddresses), AuditAction = "node.address-check",
        }, ct);
        return result.Succeeded ? AddressCheck.Answering(result.StdOut)
            : throw new InvalidOperationException($"Could not check the addresses from {target.Name}: exit {result.ExitCode} {result.StdErr.Trim()}");
    }

    /// <summary>How the SSH layer reaches an inventory node: refused early, in words, when something is missing.</summary>
    public async Task<SshTarget> TargetAsync(Node node, CancellationToken ct)
    {
        if (node.CredentialId is not { } credentialId)
            throw new InvalidInputException("credentialId", $"{node.Name} has no credential: choose how the console logs in to it.");
        if (node.HostKeyFingerprint is null)
            throw new InvalidInputException("hostKeyFingerprint", $"The host key of {node.Name} has not been accepted yet: fetch it, compare it, accept it.");
        var target = new SshTarget(node.Name, node.Address, node.SshPort, node.SshUser, await secrets.GetAuthAsync(node.Id, credentialId, ct), node.HostKeyFingerprint);
        // Refused here already, in words, before a plan or monitor starts; the connector holds the same line.
        if (target.Auth.AllowedAt?.Allows(target) != true) throw CredentialNotConfirmedException.At(target);
        return target;
    }

    /// <summary>The nodes the console may log in to, in the order given, and why the others may not be (the one place that sorts them).</summary>
    public async Task<ClusterNodes> TargetsAsync(string cluster, IEnumerable<Node> nodes, CancellationToken ct)
    {
        var targets = new List<SshTarget>();
        var problems = new List<string>();
        foreach (var node in nodes)
        {
            try { targets.Add(await TargetAsync(node, ct)); }
            catch (Exception e) when (e is InvalidInputException or KeyNotFoundException or CredentialNotConfirmedException) { problems.Add(e.Message); }
        }
        return new ClusterNodes(cluster, targets, problems.Count == 0 ? null : string.Join(" ", problems));
    }

    private async Task<Node> NodeAsync(long nodeId, CancellationToken ct) =>
        await inventory.GetNodeAsync(nodeId, ct) ?? throw new KeyNotFoundException($"There is no node with id {nodeId}.");
}
