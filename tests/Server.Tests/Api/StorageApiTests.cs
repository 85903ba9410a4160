using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Api;

/// <summary>
/// The cluster filesystem through the API: bad storage settings are refused by field with nothing stored; with storage
/// declared, a share or export outside it is refused by field; storage declared after the shares were is stored, and the
/// plan names each share and export that lies outside it.
/// </summary>
public sealed class StorageApiTests : IAsyncLifetime
{
    private const string Storage = """{"mounting":"ByCluster","mountPoint":"/srv/cluster","type":"GlusterFs","device":"localhost:/vol"}""";
    private const string StateOnIt = """{"recoveryLock":"/srv/cluster/state/ctdb/reclock"}""";

    private readonly TestConsole _console = new();
    private HttpClient _api = null!;
    private long _cluster;

    public async Task InitializeAsync()
    {
        _api = await _console.ClientAsAsync(Role.Operator);
        _cluster = (await (await _api.PostAsJsonAsync("/api/clusters", new { name = "nas" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        (await _api.PutAsync($"/api/clusters/{_cluster}/spec", Json("""
            {"name":"nas","purpose":"Smb","nodes":[{"name":"n1","address":"192.0.2.11"},{"name":"n2","address":"192.0.2.12"}],
             "virtualIps":[{"address":"192.0.2.101","prefix":24}],"shares":[{"name":"old","path":"/srv/data"}],
             "sharedState":{"recoveryLock":"/srv/state/ctdb/reclock"},"fencing":{"noFencingAcknowledged":true}}
            """))).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() { _console.Dispose(); return Task.CompletedTask; }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> Patch(string json) =>
        _api.PatchAsync($"/api/clusters/{_cluster}/settings", new StringContent(json, Encoding.UTF8, "application/merge-patch+json"));

    private Task DeclareStorageAsync() => Ok(Patch($$"""{"storage":{{Storage}},"sharedState":{{StateOnIt}}}"""));

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> sent)
    {
        var response = await sent;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string[]> FieldsOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
    }

    private async Task<long> Count(string table)
    {
        await using var c = await _console.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
    }

    [Theory]
    [InlineData("""{"mounting":"ByCluster","mountPoint":"srv/cluster","type":"GlusterFs","device":"localhost:/vol"}""", "storage.mountPoint")]
    [InlineData("""{"mounting":"ByCluster","mountPoint":"/srv/cluster","type":"GlusterFs","device":"vol"}""", "storage.device")]
    [InlineData("""{"mounting":"ByCluster","mountPoint":"/srv/cluster","type":"GlusterFs","device":"localhost:/vol; reboot"}""", "storage.device")]
    [InlineData("""{"mounting":"ByCluster","mountPoint":"/srv/cluster","type":"Gfs2","device":"relative/disk"}""", "storage.device")]
    [InlineData("""{"mounting":"ByCluster","mountPoint":"/srv/cluster","type":"GlusterFs","device":"localhost:/vol","options":"ro,$(reboot)"}""", "storage.options")]
    [InlineData("""{"mounting":"ByCluster","mountPoint":"/srv/cluster","type":"Xfs","device":"localhost:/vol"}""", "storage.type")]
    [InlineData("""{"mounting":"ByServers","mountPoint":"/srv/cluster","device":"localhost:/vol"}""", "storage.device")]
    public async Task SettingsWithBadStorage_Are400ByField_ByPatchAndByPut_AndNothingIsStored(string storage, string field)
    {
        var before = await Ok(_api.GetAsync($"/api/clusters/{_cluster}/settings"));
        var put = before.Deserialize<Dictionary<string, JsonElement>>()!;
        put["storage"] = JsonDocument.Parse(storage).RootElement;
        put["sharedState"] = JsonDocument.Parse(StateOnIt).RootElement;

        Assert.Contains(field, await FieldsOf(await Patch($$"""{"storage":{{storage}},"sharedState":{{StateOnIt}}}""")));
        Assert.Contains(field, await FieldsOf(await _api.PutAsJsonAsync($"/api/clusters/{_cluster}/settings", put)));

        Assert.Equal(before.GetRawText(), (await Ok(_api.GetAsync($"/api/clusters/{_cluster}/settings"))).GetRawText());
    }

    [Fact]
    public async Task StorageWhoseMountPointDoesNotHoldTheRecoveryLock_Is400ForTheLock_AndNothingIsStored()
    {
        Assert.Contains("sharedState.recoveryLock", await FieldsOf(await Patch($$"""{"storage":{{Storage}}}""")));
        var stored = await Ok(_api.GetAsync($"/api/clusters/{_cluster}/settings"));
        Assert.False(stored.TryGetProperty("storage", out var storage) && storage.ValueKind != JsonValueKind.Null, stored.GetRawText());
    }

    [Fact]
    public async Task WithStorageDeclared_AShareOrExportOutsideIt_Is400NamingThePath_AndNothingIsStored()
    {
        await DeclareStorageAsync();
        var shares = await Count("shares");

        var share = await _api.PostAsync($"/api/clusters/{_cluster}/shares", Json("""{"name":"team","path":"/srv/team"}"""));
        var export = await _api.PostAsync($"/api/clusters/{_cluster}/exports", Json("""{"path":"/srv/clusterfoo","clients":"*"}"""));

        Assert.Equal(["path"], await FieldsOf(share));
        Assert.Contains("must lie on the cluster filesystem at /srv/cluster", await share.Content.ReadAsStringAsync());
        Assert.Equal(["path"], await FieldsOf(export));
        Assert.Equal(shares, await Count("shares"));
        Assert.Equal(0, await Count("exports"));
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/clusters/{_cluster}/shares", Json("""{"name":"team","path":"/srv/cluster/team"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsync($"/api/clusters/{_cluster}/exports", Json("""{"path":"/srv/cluster","clients":"*"}"""))).StatusCode);
    }

    [Fact]
    public async Task WithStorageDeclared_MovingAShareOutsideIt_Is400_AndTheShareKeepsItsPath()
    {
        await DeclareStorageAsync();
        var team = await Ok(_api.PostAsync($"/api/clusters/{_cluster}/shares", Json("""{"name":"team","path":"/srv/cluster/team"}""")));
        var id = team.GetProperty("id").GetInt64();

        var moved = await _api.PutAsync($"/api/clusters/{_cluster}/shares/{id}", Json("""{"name":"team","path":"/home/team"}"""));

        Assert.Equal(["path"], await FieldsOf(moved));
        Assert.Equal("/srv/cluster/team", (await Ok(_api.GetAsync($"/api/clusters/{_cluster}/shares/{id}"))).GetProperty("path").GetString());
    }

    [Fact]
    public async Task StorageDeclaredAfterTheShares_IsStored_AndThePlanWarnsAboutEachShareOutsideIt()
    {
        await DeclareStorageAsync();

        var settings = await Ok(_api.GetAsync($"/api/clusters/{_cluster}/settings"));
        var plan = (await Ok(_api.PostAsync($"/api/clusters/{_cluster}/plan", null))).GetProperty("plan");

        Assert.Equal("localhost:/vol", settings.GetProperty("storage").GetProperty("device").GetString());
        Assert.Contains(plan.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()),
            w => w!.StartsWith("Share old serves /srv/data, outside the cluster filesystem at /srv/cluster", StringComparison.Ordinal));
    }
}
