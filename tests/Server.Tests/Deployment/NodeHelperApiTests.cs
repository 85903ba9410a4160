using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Deployment;

/// <summary>The helper endpoints as the console wires them: who may call them, and how a node that cannot be reached yet is answered.</summary>
public sealed class NodeHelperApiTests : IDisposable
{
    private readonly TestConsole _console = new();

    [Fact]
    public async Task NodeWithoutCredential_IsRefusedWith400_NamingTheField_BeforeAnyConnection()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var (cluster, node) = await AddNodeAsync(client);

        var response = await client.PostAsync($"/api/clusters/{cluster}/nodes/{node}/helper", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("no credential", problem.GetProperty("errors").GetProperty("credentialId")[0].GetString());
    }

    [Fact]
    public async Task ClusterWideCheck_AnswersPerNode_WithTheErrorOfANodeThatCannotBeReached()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var (cluster, node) = await AddNodeAsync(client);

        var nodes = await client.GetFromJsonAsync<JsonElement>($"/api/clusters/{cluster}/helper");

        var only = Assert.Single(nodes.EnumerateArray());
        Assert.Equal(node, only.GetProperty("nodeId").GetInt64());
        Assert.Equal("n1", only.GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("status").ValueKind);
        Assert.Contains("no credential", only.GetProperty("error").GetString());
    }

    [Fact]
    public async Task NodeOfAnotherCluster_Is404()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var (_, node) = await AddNodeAsync(client);
        var other = await AddClusterAsync(client, "other");

        var response = await client.GetAsync($"/api/clusters/{other}/nodes/{node}/helper");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Viewer_MayNeitherCheckNorDeploy()
    {
        var operatorClient = await _console.ClientAsAsync(Role.Operator);
        var (cluster, node) = await AddNodeAsync(operatorClient);
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/clusters/{cluster}/nodes/{node}/helper")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/clusters/{cluster}/helper", null)).StatusCode);
    }

    [Fact]
    public async Task AddressCheck_WithAnAddressThatIsNotOne_IsRefusedWith400_NamingIt_BeforeAnyConnection_AndViewersMayNotAsk()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var (cluster, node) = await AddNodeAsync(client);

        var response = await client.PostAsJsonAsync($"/api/clusters/{cluster}/nodes/{node}/answering", new { addresses = new[] { "192.0.2.50", "192.0.2.50; reboot" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("not a valid IPv4 address", errors.GetProperty("addresses[1]")[0].GetString());
        Assert.False(errors.TryGetProperty("credentialId", out _));
        var viewer = await _console.ClientAsAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await viewer.PostAsJsonAsync($"/api/clusters/{cluster}/nodes/{node}/answering", new { addresses = new[] { "192.0.2.50" } })).StatusCode);
    }

    private static async Task<(long Cluster, long Node)> AddNodeAsync(HttpClient client)
    {
        var cluster = await AddClusterAsync(client, "nas");
        var created = await client.PostAsJsonAsync($"/api/clusters/{cluster}/nodes", new { name = "n1", address = "192.0.2.11" });
        created.EnsureSuccessStatusCode();
        return (cluster, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }

    private static async Task<long> AddClusterAsync(HttpClient client, string name)
    {
        var created = await client.PostAsJsonAsync("/api/clusters", new { name });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public void Dispose() => _console.Dispose();
}
