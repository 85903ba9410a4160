using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Identity;

/// <summary>GET /api/clusters/{id}/identity/health: everyone may ask; nothing runs for a cluster outside a domain, and nodes the console cannot log in to are said so.</summary>
public sealed class JoinHealthApiTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    private async Task<long> ClusterAsync(HttpClient operatorClient)
    {
        var created = await operatorClient.PostAsJsonAsync("/api/clusters", new { name = "nas" });
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task AGuestCluster_AnswersItsModeAndNoNodes_ToAViewer()
    {
        var id = await ClusterAsync(await _console.ClientAsAsync(Role.Operator));

        var report = await (await _console.ClientAsAsync(Role.Viewer)).GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/identity/health");

        Assert.Equal("Guest", report.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("realm").ValueKind);
        Assert.Equal(0, report.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task ADomainClusterWithANodeTheConsoleCannotLogInTo_SaysWhy_ForThatNode()
    {
        var operatorClient = await _console.ClientAsAsync(Role.Operator);
        var id = await ClusterAsync(operatorClient);
        (await operatorClient.PostAsJsonAsync($"/api/clusters/{id}/nodes", new { name = "node1", address = "192.0.2.11" })).EnsureSuccessStatusCode();
        (await operatorClient.PatchAsync($"/api/clusters/{id}/settings", JsonContent.Create(new
        {
            identity = new { mode = "ActiveDirectory", activeDirectory = new { realm = "LAB.TEST", workgroup = "LAB" } },
        }))).EnsureSuccessStatusCode();

        var report = await (await _console.ClientAsAsync(Role.Viewer)).GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/identity/health");

        Assert.Equal(("ActiveDirectory", "LAB.TEST"), (report.GetProperty("mode").GetString(), report.GetProperty("realm").GetString()));
        var node = Assert.Single(report.GetProperty("nodes").EnumerateArray());
        Assert.Equal("node1", node.GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.Null, node.GetProperty("joined").ValueKind);
        Assert.Contains("node1 has no credential", node.GetProperty("unreachable").GetString());
        Assert.False(report.GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public async Task NoSuchCluster_IsNotFound()
    {
        var response = await (await _console.ClientAsAsync(Role.Viewer)).GetAsync("/api/clusters/999/identity/health");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
