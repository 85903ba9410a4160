using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Storage;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Storage;

/// <summary>
/// GET /api/clusters/{id}/storage/health and the watch behind the dashboard: everyone may ask; each check reaches the
/// cluster's live stream with its changes as events, which the history keeps; a cluster without storage has none.
/// </summary>
public sealed class StorageHealthApiTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    /// <summary>A cluster whose one node has no credential (the console cannot log in to it), with storage the servers mount at /srv/data.</summary>
    private async Task<long> ClusterWithStorageAsync()
    {
        var operatorClient = await _console.ClientAsAsync(Role.Operator);
        var created = await operatorClient.PostAsJsonAsync("/api/clusters", new { name = "nas" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        (await operatorClient.PostAsJsonAsync($"/api/clusters/{id}/nodes", new { name = "node1", address = "192.0.2.11" })).EnsureSuccessStatusCode();
        (await operatorClient.PatchAsync($"/api/clusters/{id}/settings", JsonContent.Create(new
        {
            storage = new { mounting = "ByServers", mountPoint = "/srv/data" },
            sharedState = new { recoveryLock = "/srv/data/ctdb/reclock", ganeshaState = "/srv/data/ganesha" },
        }))).EnsureSuccessStatusCode();
        return id;
    }

    [Fact]
    public async Task AViewer_GetsEachNodesStorage_ANodeTheConsoleCannotReachIsUnknown_AndTheChangeIsOnTheTimeline()
    {
        var id = await ClusterWithStorageAsync();
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        var report = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/storage/health");
        var again = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/storage/health");

        Assert.Equal(("/srv/data", "ByServers", "Warning"), (report.GetProperty("mountPoint").GetString(), report.GetProperty("mounting").GetString(), report.GetProperty("level").GetString()));
        var node = Assert.Single(report.GetProperty("nodes").EnumerateArray());
        Assert.Equal("node1", node.GetProperty("node").GetString());
        Assert.Contains("node1 has no credential", node.GetProperty("unreachable").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("volume").ValueKind);
        Assert.Equal(report.GetProperty("checkedAt").GetString(), again.GetProperty("checkedAt").GetString());

        var snapshot = _console.Services.GetRequiredService<ClusterFeeds>().Snapshot(id)!;
        Assert.Equal("/srv/data", snapshot.Storage!.MountPoint);
        var changed = Assert.Single(snapshot.RecentEvents, e => e.Kind == nameof(StorageHealthChanged));
        Assert.StartsWith("Storage at /srv/data is degraded: node1: unknown (", changed.Description);
        var stored = await _console.Services.GetRequiredService<IClusterHistory>().ListEventsAsync(id);
        Assert.Contains(stored, e => e.Kind == nameof(StorageHealthChanged));
    }

    [Fact]
    public async Task AWatchedCluster_IsCheckedEveryFewSeconds_UntilTheLastWatchEnds()
    {
        var id = await ClusterWithStorageAsync();
        var watch = _console.Services.GetRequiredService<StorageHealthWatch>();
        var feeds = _console.Services.GetRequiredService<ClusterFeeds>();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var subscription = await feeds.SubscribeAsync(id, reading.Token);

        var reports = new List<DateTimeOffset>();
        using (watch.Watch(id))
        using (watch.Watch(id))
        {
            await foreach (var change in subscription.Changes.WithCancellation(reading.Token))
            {
                if (change.Storage is not { } report) continue;
                reports.Add(report.CheckedAt);
                if (reports.Count == 2) break;
            }
        }

        // Two watches, one check at a time: the second report comes one interval (plus the check) after the first.
        Assert.InRange(reports[1] - reports[0], StorageHealthWatch.Interval, StorageHealthWatch.Interval * 3);
        Assert.NotNull(watch.Latest(id));
    }

    [Fact]
    public async Task AClusterWithoutStorage_OrNoSuchCluster_IsNotFound()
    {
        var operatorClient = await _console.ClientAsAsync(Role.Operator);
        var created = await operatorClient.PostAsJsonAsync("/api/clusters", new { name = "plain" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        var none = await viewer.GetAsync($"/api/clusters/{id}/storage/health");
        var missing = await viewer.GetAsync("/api/clusters/999/storage/health");

        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Contains("declares no cluster filesystem", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
