using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Shared.Console;
using StorageHa.Server.Hubs;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Monitoring;

/// <summary>The hub and the state API of the real console (in-process), fed by publishing to its real feeds.</summary>
public sealed class ClusterHubTests : IAsyncLifetime
{
    private long Cluster; // in the inventory (the dashboard reads its settings); the test publishes to the feed its monitor would use
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestConsole _console = new();
    private ClusterFeeds Feeds => _console.Services.GetRequiredService<ClusterFeeds>();

    public async Task InitializeAsync()
    {
        _ = _console.Server; // starts the host
        using var scope = _console.Services.CreateScope();
        Cluster = (await _console.AsSystem<StorageHa.Server.Inventory.SqliteInventory>(scope).AddClusterAsync(new Cluster { Name = "hubtest" })).Id;
        Feeds.Track(Cluster, "hubtest");
        Feeds.Publish(Cluster, seq => Change(seq, vipOn: "node1"));
    }

    [Fact]
    public async Task Browser_JoinsACluster_GetsTheSnapshot_ThenItsChanges_AndAFreshSnapshotAfterReconnecting()
    {
        var token = await TokenAsync(Role.Viewer);
        var changes = Channel.CreateUnbounded<JsonElement>();
        await using (var hub = Connect(token))
        {
            hub.On<JsonElement>(ClusterHub.ChangeMessage, change => changes.Writer.TryWrite(change));
            await hub.StartAsync();

            var snapshot = await hub.InvokeAsync<JsonElement>("Join", Cluster);
            Assert.Equal("hubtest", snapshot.GetProperty("clusterName").GetString());
            Assert.Equal(1, snapshot.GetProperty("sequence").GetInt64());
            Assert.Equal("node1", VipNode(snapshot.GetProperty("state")));

            Feeds.Publish(Cluster, seq => Change(seq, vipOn: "node2"));

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var change = await changes.Reader.ReadAsync(patience.Token);
            Assert.Equal(2, change.GetProperty("sequence").GetInt64());
            Assert.Equal("node2", VipNode(change.GetProperty("state")));
            var moved = change.GetProperty("events")[0];
            Assert.Equal("ResourceMoved", moved.GetProperty("kind").GetString());
            Assert.Equal(("vip1", "node2", "vip1 moved node1 → node2", true),
                (moved.GetProperty("resource").GetString(), moved.GetProperty("to").GetString(), moved.GetProperty("description").GetString(), moved.GetProperty("isVirtualIp").GetBoolean()));
        }

        Feeds.Publish(Cluster, seq => Change(seq, vipOn: "node3")); // while the browser was away

        await using var again = Connect(token);
        await again.StartAsync();
        var fresh = await again.InvokeAsync<JsonElement>("Join", Cluster);
        Assert.Equal(3, fresh.GetProperty("sequence").GetInt64());
        Assert.Equal("node3", VipNode(fresh.GetProperty("state")));
    }

    [Fact]
    public async Task Hub_RefusesAnonymousBrowsers()
    {
        await using var hub = Connect(token: null);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task StateApi_GivesTheParsedState_WithEachResourcesKind_AndRefusesUnknownClusters()
    {
        using var client = await _console.ClientAsAsync(Role.Viewer);

        var state = JsonDocument.Parse(await client.GetStringAsync($"/api/clusters/{Cluster}/state")).RootElement;
        Assert.Equal("Watching", state.GetProperty("monitor").GetProperty("health").GetString());
        var vip = state.GetProperty("state").GetProperty("resources")[0];
        Assert.Equal("primitive", vip.GetProperty("kind").GetString());
        Assert.Equal("ocf:heartbeat:IPaddr2", vip.GetProperty("agent").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/clusters/999999/state")).StatusCode);
        using var anonymous = _console.CreateClient(new() { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/clusters/{Cluster}/state")).StatusCode);
    }

    [Fact]
    public async Task EventsAndFailoversApi_ReadTheStoredHistory()
    {
        using var scope = _console.Services.CreateScope();
        var cluster = await _console.AsSystem<StorageHa.Server.Inventory.SqliteInventory>(scope).AddClusterAsync(new Cluster { Name = "history" });
        var left = new ClusterEventRecord { At = T0, Kind = nameof(NodeLeft), Description = "node1 left the cluster", Node = "node1" };
        var started = new ClusterEventRecord { At = T0.AddSeconds(8), Kind = nameof(ResourceStarted), Description = "vip1 started on node2", Node = "node2", Resource = "vip1", IsVirtualIp = true };
        await _console.Services.GetRequiredService<ClusterHistoryStore>().AppendAsync(cluster.Id, [left, started],
            new FailoverSummary(T0, T0.AddSeconds(8), left.Description, "node1", [new VipOutage("vip1", "node1", "node2", T0, T0.AddSeconds(8))], [left, started]));
        using var client = await _console.ClientAsAsync(Role.Viewer);

        var since = Uri.EscapeDataString(T0.AddSeconds(1).ToString("O"));
        var events = JsonDocument.Parse(await client.GetStringAsync($"/api/clusters/{cluster.Id}/events?since={since}")).RootElement;
        var failovers = JsonDocument.Parse(await client.GetStringAsync($"/api/clusters/{cluster.Id}/failovers")).RootElement;

        Assert.Equal("vip1 started on node2", Assert.Single(events.EnumerateArray()).GetProperty("description").GetString());
        var failover = Assert.Single(failovers.EnumerateArray());
        Assert.Equal("node1", failover.GetProperty("triggerNode").GetString());
        Assert.Equal("00:00:08", failover.GetProperty("duration").GetString());
        Assert.Equal("node2", failover.GetProperty("outages")[0].GetProperty("toNode").GetString());
    }

    [Fact]
    public async Task DashboardPages_RenderFromTheSameFeeds_ForASignedInViewer()
    {
        using var client = await _console.ClientAsAsync(Role.Viewer);

        var overview = await client.GetStringAsync("/dashboard");
        var live = await client.GetStringAsync($"/dashboard/{Cluster}");

        Assert.Contains("hubtest", overview);
        Assert.Contains("1 of 1 VIPs running", overview);
        Assert.Contains("data-vip=\"vip1\"", live);
        Assert.Contains("watching from node1", live);
    }

    private HubConnection Connect(string? token) => new HubConnectionBuilder()
        .WithUrl(new Uri(_console.Server.BaseAddress, ClusterHub.Path), o =>
        {
            o.HttpMessageHandlerFactory = _ => _console.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            if (token is not null) o.Headers["Authorization"] = "Bearer " + token;
        })
        .Build();

    private async Task<string> TokenAsync(Role role)
    {
        using var client = await _console.ClientAsAsync(role);
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    private static string? VipNode(JsonElement state) =>
        state.GetProperty("instances").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "vip1").GetProperty("node").GetString();

    private ClusterChange Change(long sequence, string vipOn)
    {
        var state = new ClusterState
        {
            Summary = new ClusterSummary { HasQuorum = true, DcName = "node1" },
            Nodes = [new ClusterNode { Name = "node1", Online = true }, new ClusterNode { Name = "node2", Online = true }, new ClusterNode { Name = "node3", Online = true }],
            Resources = [new PrimitiveResource { Id = "vip1", Agent = "ocf:heartbeat:IPaddr2", Role = ResourceRole.Started, Active = true, Nodes = [vipOn] }],
        };
        IReadOnlyList<ClusterEvent> events = sequence == 1 ? [] : [new ResourceMoved(T0, "vip1", "ocf:heartbeat:IPaddr2", "node1", vipOn)];
        return new ClusterChange(Cluster, sequence, new MonitorStatus(MonitorHealth.Watching, "node1", "watching from node1", T0), state, events, null, null);
    }

    public async Task DisposeAsync() => await _console.DisposeAsync();
}
