using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Api;

/// <summary>A new cluster's defaults come from the domain, so one made through the API starts as the wizard's does.</summary>
public sealed class NewClusterDefaultsTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task ClusterCreatedThroughTheApi_HasTheCtdbTunablesTheWizardGivesOne()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var created = await (await client.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt64();

        var settings = await client.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/settings");
        var spec = await client.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/spec");

        Assert.Equal(CtdbFailover.Tunables, Tunables(settings));
        Assert.Equal(CtdbFailover.Tunables, Tunables(spec));
    }

    [Fact]
    public async Task ClusterStoredBeforeWithoutSettings_KeepsCtdbsOwnDefaults()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        await using (var c = await _console.Database.OpenAsync())
            await c.ExecuteAsync("INSERT INTO clusters (name, purpose, created_at) VALUES ('old', 'Both', '2024-01-01T00:00:00+00:00')");
        var id = (await client.GetFromJsonAsync<JsonElement>("/api/clusters")).EnumerateArray().Single().GetProperty("id").GetInt64();

        var settings = await client.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/settings");

        Assert.Empty(Tunables(settings));
    }

    private static Dictionary<string, int> Tunables(JsonElement settings) =>
        settings.GetProperty("ctdbTunables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
}
