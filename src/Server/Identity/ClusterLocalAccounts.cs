using System.Collections.Concurrent;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Identity;

/// <summary>
/// The local SMB users and groups of a running cluster, changed on its nodes and then in the inventory: the Unix
/// accounts on every node (local-accounts.sh, the plan's own step), the SMB password on the first node that answers
/// (smb-password.sh; the passdb lives in CTDB). A change that fails on a node is undone on the nodes it reached and
/// nothing is stored. Passwords go only to the command's standard input.
/// </summary>
public sealed class ClusterLocalAccounts(IInventory inventory, IMonitoredClusters clusters, ISshRunner ssh, LiveNodes live,
    IAuditLog audit, ICurrentActor actor, TimeProvider time) : ILocalAccounts
{
    public const string AuditAction = "cluster.local-accounts";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    // One change at a time per cluster: two changes reading the same ids would give one uid twice.
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> Changing = new();

    public async Task<LocalAccountList> ListAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        var identity = (await inventory.GetSettingsAsync(clusterId, ct)).Identity;
        return new LocalAccountList(identity.Mode, identity.Users, identity.Groups);
    }

    public async Task<LocalUserSpec> CreateUserAsync(long clusterId, NewLocalUser user, string password, CancellationToken ct = default)
    {
        RequirePassword(password);
        var after = await ChangeAsync(clusterId, identity => LocalAccounts.AddUser(identity, user.Name, user.FullName, user.Groups ?? []),
            (_, after) => $"create local user {user.Name} (uid {LocalAccounts.User(after, user.Name).Uid})", SetPassword(user.Name, password), ct);
        return LocalAccounts.User(after, user.Name);
    }

    public async Task SetPasswordAsync(long clusterId, string user, string password, CancellationToken ct = default)
    {
        RequirePassword(password);
        await ChangeAsync(clusterId, identity => { LocalAccounts.User(identity, user); return identity; },
            (_, _) => $"change local user {user}'s SMB password", SetPassword(user, password), ct);
    }

    public async Task<LocalUserSpec> SetGroupsAsync(long clusterId, string user, IReadOnlyList<string> groups, CancellationToken ct = default)
    {
        var after = await ChangeAsync(clusterId, identity => LocalAccounts.SetGroups(identity, user, groups),
            (_, _) => $"set local user {user}'s groups to {(groups.Count == 0 ? "none" : string.Join(", ", groups))}", null, ct);
        return LocalAccounts.User(after, user);
    }

    public Task DeleteUserAsync(long clusterId, string user, CancellationToken ct = default) =>
        ChangeAsync(clusterId, identity => LocalAccounts.RemoveUser(identity, user),
            (before, _) => $"delete local user {user} (uid {LocalAccounts.User(before, user).Uid}, not given again)",
            new PasswordCommand(LocalAccountSteps.DeletePassword(user), null, "remove its SMB password"), ct);

    public async Task<LocalGroupSpec> CreateGroupAsync(long clusterId, string name, CancellationToken ct = default)
    {
        var after = await ChangeAsync(clusterId, identity => LocalAccounts.AddGroup(identity, name),
            (_, after) => $"create local group {name} (gid {after.Groups.Single(g => g.Name == name).Gid})", null, ct);
        return after.Groups.Single(g => g.Name == name);
    }

    public Task DeleteGroupAsync(long clusterId, string name, CancellationToken ct = default) =>
        ChangeAsync(clusterId, identity => LocalAccounts.RemoveGroup(identity, name),
            (before, _) => $"delete local group {name} (gid {before.Groups.Single(g => g.Name == name).Gid}, not given again)", null, ct);

    private static void RequirePassword(string password)
    {
        if (InputRules.SmbPassword(password) is { } error) throw new InvalidInputException([new("password", error)]);
    }

    private static PasswordCommand SetPassword(string user, string password) =>
        new(LocalAccountSteps.SetPassword(user), password + "\n", "set its SMB password");

    /// <summary>The passdb command of a change, run on one node; <paramref name="Stdin"/> is the secret it reads.</summary>
    private sealed record PasswordCommand(IReadOnlyList<string> Argv, string? Stdin, string What)
    {
        public override string ToString() => What;
    }

    /// <summary>
    /// Edits the identity, makes the nodes' accounts match it (every node), runs the passdb command (one node), and stores it.
    /// A deletion removes the password first, so that the user cannot log in while its account goes.
    /// </summary>
    private async Task<IdentitySpec> ChangeAsync(long clusterId, Func<IdentitySpec, IdentitySpec> edit, Func<IdentitySpec, IdentitySpec, string> summary,
        PasswordCommand? password, CancellationToken ct)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var gate = Changing.GetOrAdd(clusterId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var cluster = await inventory.GetClusterAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
            var settings = await inventory.GetSettingsAsync(clusterId, ct);
            var before = settings.Identity;
            // Bad input is a 400 whatever the cluster's identity; then a cluster without local users refuses the change.
            var after = edit(before);
            if (before.Mode != IdentityMode.LocalUsers)
                throw new ConflictException("identity.mode", $"{cluster.Name} does not use local users (its identity is {before.Mode}): choose local users in its settings first");
            var changed = settings with { Identity = after };
            var nodeSpecs = (await inventory.ListNodesAsync(clusterId, ct)).Select(n => new NodeSpec { Name = n.Name, Address = n.Address });
            if (changed.Validate(cluster.Name, nodeSpecs) is { Count: > 0 } errors) throw new InvalidInputException(errors);
            var what = summary(before, after);

            var nodes = await NodesAsync(clusterId, cluster.Name, ct);
            var deleting = password is { Stdin: null };
            var passdbNode = deleting ? await RunPasswordAsync(cluster.Name, nodes, password!, who, what, ct) : null;
            var accountsChanged = !LocalAccountSteps.Accounts(before).SequenceEqual(LocalAccountSteps.Accounts(after));
            try
            {
                if (accountsChanged) await ApplyEverywhereAsync(cluster.Name, nodes, before, after, who, what, ct);
            }
            catch (OperationFailedException failed) when (passdbNode is not null)
            {
                // The user cannot log in until the delete is done again; the message must not say "nothing changed" only.
                throw new OperationFailedException(passdbNode, failed.Message + $" Its SMB password was already removed on {passdbNode}: delete it again, or set a new password to let it log in.");
            }
            if (password is { Stdin: not null })
            {
                try { passdbNode = await RunPasswordAsync(cluster.Name, nodes, password, who, what, ct); }
                catch when (accountsChanged)
                {
                    await UndoAsync(nodes, before, who, CancellationToken.None);
                    throw;
                }
            }

            await inventory.UpdateSettingsAsync(clusterId, changed, ct);
            await audit.WriteAsync(new AuditEntry
            {
                At = time.GetUtcNow(), Actor = who, Action = AuditAction, Target = cluster.Name, ExitCode = 0,
                Detail = what + ": done" + (accountsChanged ? $"; Unix accounts on {string.Join(", ", nodes.Select(n => n.Name))}" : "") +
                         (passdbNode is null ? "" : $"; passdb on {passdbNode}"),
            }, CancellationToken.None);
            return after;
        }
        finally { gate.Release(); }
    }

    /// <summary>Every node of the cluster: an account must exist on each, so a node the console cannot log in to stops the change.</summary>
    private async Task<IReadOnlyList<SshTarget>> NodesAsync(long clusterId, string name, CancellationToken ct)
    {
        var cluster = (await clusters.ListAsync(ct)).FirstOrDefault(c => c.Id == clusterId);
        if (cluster is null || cluster.Nodes.Count == 0)
            throw new ConflictException("nodes", $"{name} has no node the console can log in to{(cluster?.Problem is { } p ? $": {p}" : "")}");
        if (cluster.Problem is { } problem)
            throw new ConflictException("nodes", $"the accounts must be the same on every node of {name}, and some cannot be reached: {problem}");
        return cluster.Nodes;
    }

    /// <summary>
    /// The accounts as <paramref name="after"/> on every node at once (each node's own useradd: seconds, not seconds per
    /// node); when one fails, back to <paramref name="before"/> on every node.
    /// </summary>
    private async Task ApplyEverywhereAsync(string cluster, IReadOnlyList<SshTarget> nodes, IdentitySpec before, IdentitySpec after, string who, string what, CancellationToken ct)
    {
        var failures = (await Task.WhenAll(nodes.Select(async node =>
        {
            try
            {
                var result = await ssh.RunAsync(node, LocalAccountSteps.Apply(after), Options(who), ct);
                return (node, Failure: result.Succeeded ? null : $"local-accounts.sh exited with {result.ExitCode}: {FirstLines(result)}");
            }
            catch (NodeSshException e) { return (node, Failure: e.Message); }
        }))).Where(r => r.Failure is not null).ToList();
        if (failures.Count == 0) return;
        var undone = await UndoAsync(nodes, before, who, CancellationToken.None);
        var failed = string.Join("; ", failures.Select(f => $"{f.node.Name}: {f.Failure}"));
        await AuditFailureAsync(who, cluster, what, string.Join(", ", failures.Select(f => f.node.Name)), failed);
        throw new OperationFailedException(failures[0].node.Display,
            $"Could not {what}: the Unix accounts failed on {failed}. Nothing was stored{undone}.");
    }

    /// <summary>Puts the accounts back as they were on these nodes (best effort: the message says where that failed too).</summary>
    private async Task<string> UndoAsync(IReadOnlyList<SshTarget> nodes, IdentitySpec before, string who, CancellationToken ct)
    {
        var failed = (await Task.WhenAll(nodes.Select(async node =>
        {
            try { return (await ssh.RunAsync(node, LocalAccountSteps.Apply(before), Options(who), ct)).Succeeded ? null : node.Name; }
            catch (NodeSshException) { return node.Name; }
        }))).OfType<string>().ToList();
        return failed.Count == 0 ? $"; the accounts were put back as they were on {string.Join(", ", nodes.Select(n => n.Name))}"
            : $"; the accounts could not be put back on {string.Join(", ", failed)} (the next apply of the cluster does)";
    }

    private async Task<string> RunPasswordAsync(string cluster, IReadOnlyList<SshTarget> nodes, PasswordCommand command, string who, string what, CancellationToken ct)
    {
        var answer = await live.FindAsync(new ClusterNodes(cluster, nodes), ClusterQueries.Operation(command.Argv) with { StandardInput = command.Stdin },
            new Asker(who, AuditAction), new LiveNodePolicy(CommandTimeout, LiveNodePolicy.Default.Total + CommandTimeout), ct);
        if (answer.Value.Succeeded) return answer.Node.Name;
        var failure = $"smb-password.sh exited with {answer.Value.ExitCode}: {FirstLines(answer.Value)}";
        await AuditFailureAsync(who, cluster, what, answer.Node.Name, failure);
        throw new OperationFailedException(answer.Node.Display, $"Could not {what}: could not {command.What} on {answer.Node.Name}: {failure}.");
    }

    private Task AuditFailureAsync(string who, string cluster, string what, string node, string failure) =>
        audit.WriteAsync(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who, Action = AuditAction, Target = cluster, ExitCode = 1,
            Detail = $"{what}: failed on {node}: {failure}; nothing was stored",
        }, CancellationToken.None);

    private static SshRunOptions Options(string who) => new() { Actor = who, AuditAction = AuditAction, Timeout = CommandTimeout };

    private static string FirstLines(CommandResult result)
    {
        var lines = (result.StdErr + "\n" + result.StdOut).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3).ToArray();
        return lines.Length == 0 ? "it printed nothing" : string.Join(" ", lines);
    }
}
