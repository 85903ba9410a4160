using Microsoft.AspNetCore.SignalR;
using StorageHa.Shared.Console;
using StorageHa.Server.Clients;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Storage;

namespace StorageHa.Server.Hubs;

/// <summary>
/// /hubs/clusters: a browser (or any SignalR client) joins a cluster and gets its snapshot; the cluster's changes then
/// arrive as "Change" messages. A change whose sequence is not above the snapshot's is already in it. After a
/// reconnect the client joins again and starts from the fresh snapshot. Signed-in users only (the fallback policy).
/// </summary>
public sealed class ClusterHub(ClusterFeeds feeds, StorageHealthWatch storage, ConnectedClientsWatch clients) : Hub
{
    public const string Path = "/hubs/clusters";
    public const string ChangeMessage = "Change";

    public static string GroupOf(long clusterId) => $"cluster:{clusterId}";

    public async Task<ClusterSnapshot> Join(long clusterId)
    {
        if (feeds.Snapshot(clusterId) is null)
            throw new HubException($"There is no monitored cluster with id {clusterId}.");
        // Join first, then take the snapshot: a change in between arrives twice, and its sequence tells the client.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(clusterId), Context.ConnectionAborted);
        // A joined client is a dashboard: its cluster's storage and clients are read every few seconds until it leaves.
        if (!Watches.ContainsKey(clusterId)) Watches[clusterId] = new Both(storage.Watch(clusterId), clients.Watch(clusterId));
        return feeds.Snapshot(clusterId)!;
    }

    public Task Leave(long clusterId)
    {
        if (Watches.Remove(clusterId, out var watch)) watch.Dispose();
        return Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(clusterId), Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var watch in Watches.Values) watch.Dispose();
        Watches.Clear();
        return base.OnDisconnectedAsync(exception);
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose() { first.Dispose(); second.Dispose(); }
    }

    /// <summary>This connection's storage and clients watches, by cluster (a hub instance lives for one call; the connection's items for all of them).</summary>
    private Dictionary<long, IDisposable> Watches =>
        (Dictionary<long, IDisposable>)(Context.Items.TryGetValue(nameof(Watches), out var watches) ? watches! : Context.Items[nameof(Watches)] = new Dictionary<long, IDisposable>());
}

/// <summary>Hands every published change to the hub group of its cluster.</summary>
public sealed class ClusterHubRelay(ClusterFeeds feeds, IHubContext<ClusterHub> hub, ILogger<ClusterHubRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var all = await feeds.SubscribeAllAsync(stoppingToken);
            await foreach (var change in all.Changes.WithCancellation(stoppingToken))
            {
                try
                {
                    await hub.Clients.Group(ClusterHub.GroupOf(change.ClusterId)).SendAsync(ClusterHub.ChangeMessage, change, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not send change {Sequence} of cluster {Cluster} to the hub", change.Sequence, change.ClusterId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
