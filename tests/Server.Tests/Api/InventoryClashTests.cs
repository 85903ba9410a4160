using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Api;

/// <summary>Clashes in the inventory are answered by name (409 or 400), never a 500, and change nothing.</summary>
public sealed class InventoryClashTests : IAsyncLifetime
{
    private readonly TestConsole _console = new();
    private HttpClient _api = null!;

    public async Task InitializeAsync() => _api = await _console.ClientAsAsync(Role.Operator);

    public Task DisposeAsync() { _console.Dispose(); return Task.CompletedTask; }

    private async Task<long> NewCluster(string name) =>
        (await (await _api.PostAsJsonAsync("/api/clusters", new { name })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

    private Task<HttpResponseMessage> Import(long cluster, string json) =>
        _api.PutAsync($"/api/clusters/{cluster}/spec", new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<string> Everything()
    {
        await using var c = await _console.Database.OpenAsync();
        return string.Join('|', await c.QueryAsync<string>(
            "SELECT 'c' || id || name || purpose || coalesce(settings, '') FROM clusters UNION ALL SELECT 'n' || id || name || address || number || coalesce(host_key_fingerprint, '') FROM nodes " +
            "UNION ALL SELECT 'v' || id || address FROM virtual_ips UNION ALL SELECT 's' || id || name FROM shares UNION ALL SELECT 'e' || id || path FROM exports ORDER BY 1"));
    }

    private static async Task<string[]> FieldsOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();

    [Fact]
    public async Task RenamingAClusterOntoAnExistingName_ByImport_IsA409_AndChangesNothing()
    {
        await NewCluster("nas1");
        var other = await NewCluster("nas2");
        Assert.Equal(HttpStatusCode.OK, (await Import(other, """{"name":"nas2","nodes":[{"name":"node1","address":"192.0.2.11"}]}""")).StatusCode);
        var before = await Everything();

        var response = await Import(other, """{"name":"NAS1","purpose":"Nfs","nodes":[{"name":"node9","address":"192.0.2.19"}],"virtualIps":[{"address":"192.0.2.101"}]}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("name", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("NAS1", problem.GetProperty("title").GetString());
        Assert.Equal(before, await Everything());
    }

    [Fact]
    public async Task SwappingTwoNodesAddresses_InOneImport_Works_AndBothMustAcceptTheirHostKeysAgain()
    {
        var cluster = await NewCluster("nas1");
        Assert.Equal(HttpStatusCode.OK, (await Import(cluster, """{"name":"nas1","nodes":[{"name":"node1","address":"192.0.2.11"},{"name":"node2","address":"192.0.2.12"},{"name":"node3","address":"192.0.2.13"}]}""")).StatusCode);
        await using (var c = await _console.Database.OpenAsync())
            await c.ExecuteAsync("UPDATE nodes SET host_key_fingerprint = 'SHA256:pinned'");

        var response = await Import(cluster, """{"name":"nas1","nodes":[{"name":"node1","address":"192.0.2.12"},{"name":"node2","address":"192.0.2.11"},{"name":"node3","address":"192.0.2.13"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var after = await _console.Database.OpenAsync();
        var nodes = (await after.QueryAsync<(string Name, string Address, string? Pinned)>("SELECT name, address, host_key_fingerprint FROM nodes ORDER BY name")).ToList();
        Assert.Equal([("node1", "192.0.2.12", null), ("node2", "192.0.2.11", null), ("node3", "192.0.2.13", "SHA256:pinned")], nodes);
    }

    [Fact]
    public async Task ANodeTakingTheAddressOfOneThatLeaves_InOneImport_Works()
    {
        var cluster = await NewCluster("nas1");
        await Import(cluster, """{"name":"nas1","nodes":[{"name":"node1","address":"192.0.2.11"},{"name":"node2","address":"192.0.2.12"}]}""");
        var response = await Import(cluster, """{"name":"nas1","nodes":[{"name":"node1","address":"192.0.2.12"}]}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TwoNodesAtOneAddress_WrittenTwoWays_IsA400_AndChangesNothing()
    {
        var cluster = await NewCluster("nas1");
        var before = await Everything();
        var response = await Import(cluster, """{"name":"nas1","nodes":[{"name":"node1","address":"fd00::11"},{"name":"node2","address":"fd00:0::11"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nodes[1].address", await FieldsOf(response));
        Assert.Equal(before, await Everything());
    }

    [Theory]
    [InlineData("10.0.0.5", "::ffff:10.0.0.5")]
    [InlineData("2001:db8::5", "2001:db8:0::5")]
    [InlineData("fd00::101", "FD00:0000::101")]
    public async Task TheSameVip_UnderAnotherSpelling_IsADuplicate(string first, string second)
    {
        var cluster = await NewCluster("nas1");
        var stored = await _api.PostAsJsonAsync($"/api/clusters/{cluster}/vips", new { address = first, prefix = 24 });
        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        var before = await Everything();

        var again = await _api.PostAsJsonAsync($"/api/clusters/{cluster}/vips", new { address = second, prefix = 24 });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("address", await FieldsOf(again));
        Assert.Equal(before, await Everything());
    }

    [Fact]
    public async Task AVipIsStored_InItsOneSpelling()
    {
        var cluster = await NewCluster("nas1");
        var stored = await (await _api.PostAsJsonAsync($"/api/clusters/{cluster}/vips", new { address = "::ffff:10.0.0.5", prefix = 24 })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("10.0.0.5", stored.GetProperty("address").GetString());
        var node = await (await _api.PostAsJsonAsync($"/api/clusters/{cluster}/nodes", new { name = "node1", address = "2001:DB8:0::11" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("2001:db8::11", node.GetProperty("address").GetString());
    }

    [Fact]
    public async Task ANodeAddress_WrittenAsTheVipAnotherWay_IsRefused()
    {
        var cluster = await NewCluster("nas1");
        await _api.PostAsJsonAsync($"/api/clusters/{cluster}/vips", new { address = "10.0.0.5", prefix = 24 });
        var node = await _api.PostAsJsonAsync($"/api/clusters/{cluster}/nodes", new { name = "node1", address = "::ffff:10.0.0.5" });
        Assert.Equal(HttpStatusCode.Conflict, node.StatusCode);
    }

    [Fact]
    public async Task SrvA_AndSrvCapitalA_MayBothBeExported()
    {
        var cluster = await NewCluster("nas1");
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsJsonAsync($"/api/clusters/{cluster}/exports", new { path = "/srv/a" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _api.PostAsJsonAsync($"/api/clusters/{cluster}/exports", new { path = "/srv/A" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Import(cluster, """{"name":"nas1","exports":[{"path":"/srv/a"},{"path":"/srv/A"}]}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _api.PostAsJsonAsync($"/api/clusters/{cluster}/exports", new { path = "/srv/a" })).StatusCode);
    }
}
