using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Serving;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Tests.Serving;

/// <summary>The serve check at the API: everyone signed in reads the latest, operators run one, and it is kept per cluster.</summary>
public sealed class ServeCheckApiTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    private async Task<long> ClusterAsync()
    {
        var operatorClient = await _console.ClientAsAsync(Role.Operator);
        var created = await operatorClient.PostAsJsonAsync("/api/clusters", new { name = "nas" });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task BeforeAnyCheck_TheLatestIsNoContent_AndAViewerMayNotRunOne()
    {
        var id = await ClusterAsync();
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        Assert.Equal(HttpStatusCode.NoContent, (await viewer.GetAsync($"/api/clusters/{id}/serve-check")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/clusters/{id}/serve-check", null)).StatusCode);
    }

    [Fact]
    public async Task ACheckOfAClusterWithoutNodes_IsAConflictSayingSo_AndOfNoCluster_NotFound()
    {
        var id = await ClusterAsync();
        var operatorClient = await _console.ClientAsAsync(Role.Operator);

        var empty = await operatorClient.PostAsync($"/api/clusters/{id}/serve-check", null);
        Assert.Equal(HttpStatusCode.Conflict, empty.StatusCode);
        Assert.Contains("has no nodes to check", await empty.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PostAsync("/api/clusters/999/serve-check", null)).StatusCode);
    }

    [Fact]
    public async Task TheLatestCheckKept_IsWhatEveryoneReads_WithEachFailureByNode()
    {
        var id = await ClusterAsync();
        var at = new DateTimeOffset(2026, 12, 5, 21, 0, 0, TimeSpan.Zero);
        await _console.Services.GetRequiredService<ServeCheckStore>().SaveAsync(id, new ServeReport(at,
            [new("node1", ServeSubject.Share, "public", true), new("node2", ServeSubject.Share, "public", false, "its folder /srv/public does not exist on this node")]));

        var latest = await (await _console.ClientAsAsync(Role.Viewer)).GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/serve-check");

        Assert.False(latest.GetProperty("served").GetBoolean());
        Assert.Equal("Not served: node2: share public: its folder /srv/public does not exist on this node", latest.GetProperty("summary").GetString());
        Assert.Equal("Share", latest.GetProperty("results")[1].GetProperty("subject").GetString());
    }
}
