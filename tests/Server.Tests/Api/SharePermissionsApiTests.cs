using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Api;

/// <summary>Share permissions through the API: typed lists in, 400 naming the field for what the identity has not, pickers for viewers.</summary>
public sealed class SharePermissionsApiTests : IAsyncLifetime
{
    private const string LocalIdentity =
        """{"mode":"LocalUsers","users":[{"name":"alice","uid":20003,"groups":["crew"]}],"groups":[{"name":"crew","gid":20001},{"name":"finance","gid":20002}],"highestLocalId":20003}""";

    private readonly TestConsole _console = new();
    private HttpClient _api = null!;
    private long _cluster;

    public async Task InitializeAsync()
    {
        _api = await _console.ClientAsAsync(Role.Operator);
        _cluster = (await (await _api.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public Task DisposeAsync() { _console.Dispose(); return Task.CompletedTask; }

    private Task<HttpResponseMessage> Import(string shares, string identity = LocalIdentity) =>
        _api.PutAsync($"/api/clusters/{_cluster}/spec", Json($$"""{"name":"nas1","identity":{{identity}},"shares":[{{shares}}]}"""));

    private Task<HttpResponseMessage> AddShare(string json) => _api.PostAsync($"/api/clusters/{_cluster}/shares", Json(json));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string[]> FieldsOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();

    private async Task<long> ShareRows()
    {
        await using var c = await _console.Database.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM shares");
    }

    [Fact]
    public async Task AShareNamingLocalUsersAndGroups_IsStored_AndReadBackTyped()
    {
        Assert.Equal(HttpStatusCode.OK, (await Import("")).StatusCode);
        var response = await AddShare("""
            {"name":"team","path":"/srv/team","validUsers":["alice","@crew"],"writeList":["@crew"],"readList":"@finance",
             "adminUsers":["alice"],"accessBasedEnumeration":true,"owner":"alice","group":"crew","mode":"2770"}
            """);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var share = Assert.Single((await _api.GetFromJsonAsync<JsonElement>($"/api/clusters/{_cluster}/shares")).EnumerateArray());
        Assert.Equal("""["alice","@crew"]""", share.GetProperty("validUsers").GetRawText());
        Assert.Equal("""["@finance"]""", share.GetProperty("readList").GetRawText());
        Assert.Equal(("alice", "@crew", "2770", true),
            (share.GetProperty("owner").GetString(), share.GetProperty("group").GetString(), share.GetProperty("mode").GetString(), share.GetProperty("accessBasedEnumeration").GetBoolean()));
    }

    [Fact]
    public async Task ASpecWithValidUsersAsOneString_AsBeforeItWasTyped_StillImports()
    {
        var response = await Import("""{"name":"team","path":"/srv/team","validUsers":"alice @crew"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var share = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("shares")[0];
        Assert.Equal("""["alice","@crew"]""", share.GetProperty("validUsers").GetRawText());
    }

    [Theory]
    [InlineData("""{"name":"team","path":"/srv/team","writeList":["bob"]}""", "writeList[0]")]
    [InlineData("""{"name":"team","path":"/srv/team","validUsers":["alice","@nobody"]}""", "validUsers[1]")]
    [InlineData("""{"name":"team","path":"/srv/team","adminUsers":["LAB\\alice"]}""", "adminUsers[0]")]
    [InlineData("""{"name":"team","path":"/srv/team","owner":"@crew"}""", "owner")]
    [InlineData("""{"name":"team","path":"/srv/team","mode":"0999"}""", "mode")]
    [InlineData("""{"name":"team","path":"/srv/team","validUsers":["alice;reboot"]}""", "validUsers")]
    [InlineData("""{"name":"team","path":"/srv/team","writeList":["alice\n[evil]"]}""", "writeList")]
    [InlineData("""{"name":"team","path":"/srv/team","readList":"alice \"@crew"}""", "readList")]
    [InlineData("""{"name":"team","path":"/srv/team","group":"%U"}""", "group")]
    public async Task ABadOrUnknownPrincipal_IsA400NamingTheField_AndNothingIsStored(string share, string field)
    {
        Assert.Equal(HttpStatusCode.OK, (await Import("")).StatusCode);

        var response = await AddShare(share);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = await FieldsOf(response);
        Assert.True(fields.Contains(field), $"{field} not in {string.Join(", ", fields)}");
        Assert.Equal(0, await ShareRows());
    }

    [Fact]
    public async Task ADomainUserInAnImportedSpec_OfALocalUsersCluster_IsA400NamingTheShareField()
    {
        var response = await Import("""{"name":"team","path":"/srv/team","writeList":["@\"LAB\\domain users\""]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("shares[0].writeList[0]", await FieldsOf(response));
        Assert.Equal(0, await ShareRows());
    }

    [Fact]
    public async Task ThePicker_ListsTheLocalUsersAndGroups_ForViewers()
    {
        Assert.Equal(HttpStatusCode.OK, (await Import("")).StatusCode);
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        var groups = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{_cluster}/principals?kind=groups&search=FIN");
        var users = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{_cluster}/principals?kind=users");

        Assert.Equal("""["@finance"]""", groups.GetProperty("principals").GetRawText());
        Assert.Equal("""["alice"]""", users.GetProperty("principals").GetRawText());
    }

    [Fact]
    public async Task ThePicker_OfAGuestCluster_IsEmpty_AndSaysWhy()
    {
        var answer = await _api.GetFromJsonAsync<JsonElement>($"/api/clusters/{_cluster}/principals?kind=users");

        Assert.Equal(0, answer.GetProperty("principals").GetArrayLength());
        Assert.Contains("Guest", answer.GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("kind=people", "kind")]
    [InlineData("kind=users&search=a%3Breboot", "search")]
    public async Task ThePicker_RefusesABadKindOrSearch_NamingIt(string query, string field)
    {
        var response = await _api.GetAsync($"/api/clusters/{_cluster}/principals?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await FieldsOf(response));
    }
}
