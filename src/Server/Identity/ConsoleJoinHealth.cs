using System.Collections.Concurrent;
using StorageHa.Server.Auth;
using StorageHa.Server.Probe;
using StorageHa.Shared.Console;
using StorageHa.Shared.Identity;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Identity;

/// <summary>The latest join health per cluster, and the check running now: shared by every caller (singleton).</summary>
public sealed class JoinHealthReports(TimeProvider time)
{
    /// <summary>A report this young is answered again instead of asking the nodes (and the DC) once more.</summary>
    public static readonly TimeSpan Reuse = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<long, Lazy<Task<JoinHealthReport>>> _latest = new();

    /// <summary>The running or recent check of the cluster, or a new one started with <paramref name="check"/>.</summary>
    public Task<JoinHealthReport> GetOrCheckAsync(long clusterId, Func<Task<JoinHealthReport>> check)
    {
        var current = _latest.GetOrAdd(clusterId, _ => new(check));
        var task = current.Value;
        if (!task.IsCompleted || task.IsCompletedSuccessfully && time.GetUtcNow() - task.Result.CheckedAt < Reuse) return task;
        // Old or failed: a new check, unless another caller has just started one.
        var next = new Lazy<Task<JoinHealthReport>>(check);
        return (_latest.TryUpdate(clusterId, next, current) ? next : _latest[clusterId]).Value;
    }
}

/// <summary>The join health as the pages and the API ask for it: viewers may, and nodes run the check only for a cluster in a domain.</summary>
public sealed class ConsoleJoinHealth(IInventory inventory, NodeAccess access, JoinHealthCheck check, JoinHealthReports reports,
    ICurrentActor actor, TimeProvider time) : IJoinHealth
{
    public async Task<JoinHealthReport> CheckAsync(long clusterId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Viewer);
        var cluster = await inventory.GetClusterAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var identity = (await inventory.GetSettingsAsync(clusterId, ct)).Identity;
        if (identity is not { Mode: IdentityMode.ActiveDirectory, ActiveDirectory: { } domain })
            return new JoinHealthReport(time.GetUtcNow(), identity.Mode, null, []);
        var nodes = await inventory.ListNodesAsync(clusterId, ct);
        var reach = await access.TargetsAsync(cluster.Name, nodes, ct);
        // Shared by every caller, so no caller's leaving cancels it: the command timeouts bound it.
        return await reports.GetOrCheckAsync(clusterId, async () =>
        {
            var answered = await check.CheckAsync(reach.Nodes, who, CancellationToken.None);
            var notAsked = nodes.Where(n => reach.Nodes.All(t => t.Name != n.Name))
                .Select(n => new NodeJoinHealth(n.Name) { Unreachable = reach.Problem ?? "the console cannot log in to it" });
            return new JoinHealthReport(time.GetUtcNow(), identity.Mode, domain.Realm,
                [.. answered.Concat(notAsked).OrderBy(n => n.Node, StringComparer.Ordinal)]);
        });
    }
}
