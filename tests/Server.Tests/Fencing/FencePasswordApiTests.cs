using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Fencing;

/// <summary>A fence device's password goes in through its own route and never comes out: the API says only whether one is set.</summary>
public sealed class FencePasswordApiTests : IDisposable
{
    private readonly TestConsole _console = new();
    private readonly List<string> _answers = [];

    public void Dispose() => _console.Dispose();

    private async Task<(HttpClient Operator, long Id)> ClusterWithDeviceAsync()
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        var created = await op.PostAsJsonAsync("/api/clusters", new { name = "fenced" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var device = new { name = "ipmi1", agent = "fence_ipmilan", options = new Dictionary<string, string> { ["ip"] = "192.0.2.201", ["username"] = "fence", ["lanplus"] = "1", ["cipher"] = "3" } };
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync($"/api/clusters/{id}/settings", new { fencing = new { devices = new[] { device } } })).StatusCode);
        return (op, id);
    }

    private async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, object? body = null)
    {
        var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) });
        _answers.Add(await response.Content.ReadAsStringAsync());
        return response;
    }

    [Fact]
    public async Task ThePassword_IsWriteOnly_AndAppearsInNoAnswer_LogLine_AuditEntry_NorInClearInTheDatabase()
    {
        var (op, id) = await ClusterWithDeviceAsync();
        var password = "fence-pw-" + Guid.NewGuid().ToString("N");
        var before = await op.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/fencing");
        Assert.False(before.GetProperty("devices")[0].GetProperty("passwordSet").GetBoolean());
        Assert.Equal("NoPassword", before.GetProperty("devices")[0].GetProperty("verdict").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Send(op, HttpMethod.Put, $"/api/clusters/{id}/fencing/devices/ipmi1/password", new { password })).StatusCode);

        var after = await Send(op, HttpMethod.Get, $"/api/clusters/{id}/fencing");
        var device = (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("devices")[0];
        Assert.True(device.GetProperty("passwordSet").GetBoolean());
        Assert.Equal("Untested", device.GetProperty("verdict").GetString());
        Assert.False(device.TryGetProperty("password", out _));
        var admin = await _console.ClientAsAsync(Role.Admin);
        foreach (var read in new[] { $"/api/clusters/{id}/settings", $"/api/clusters/{id}/spec", "/api/audit?take=1000", "/openapi/v1.json" })
            _answers.Add(await admin.GetStringAsync(read));
        Assert.Contains(_answers, a => a.Contains("password of fence device ipmi1 set", StringComparison.Ordinal));

        foreach (var (place, text) in new Dictionary<string, string>
                 {
                     ["answers"] = string.Join('\n', _answers), ["log"] = _console.Log.Text,
                     ["database"] = _console.DatabaseText(), ["wal"] = _console.DatabaseText("-wal"),
                 })
            Assert.False(text.Contains(password, StringComparison.Ordinal), $"the fence password is in the {place}");

        Assert.Equal(HttpStatusCode.NoContent, (await Send(op, HttpMethod.Delete, $"/api/clusters/{id}/fencing/devices/ipmi1/password")).StatusCode);
        Assert.False((await op.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/fencing")).GetProperty("devices")[0].GetProperty("passwordSet").GetBoolean());
    }

    [Fact]
    public async Task ABadPassword_AnUnknownDevice_AViewer_AndATestWithoutPassword_AreRefused_WithWhatIsWrong()
    {
        var (op, id) = await ClusterWithDeviceAsync();
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        var twoLines = await Send(op, HttpMethod.Put, $"/api/clusters/{id}/fencing/devices/ipmi1/password", new { password = "a\nb" });
        Assert.Equal(HttpStatusCode.BadRequest, twoLines.StatusCode);
        Assert.Contains("\"password\"", _answers[^1]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(op, HttpMethod.Put, $"/api/clusters/{id}/fencing/devices/ipmi1/password", new { password = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(op, HttpMethod.Put, $"/api/clusters/{id}/fencing/devices/nope/password", new { password = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(viewer, HttpMethod.Put, $"/api/clusters/{id}/fencing/devices/ipmi1/password", new { password = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(viewer, HttpMethod.Get, $"/api/clusters/{id}/fencing")).StatusCode);

        var untestable = await Send(op, HttpMethod.Post, $"/api/clusters/{id}/fencing/test", new { devices = new[] { "ipmi1" } });
        Assert.Equal(HttpStatusCode.BadRequest, untestable.StatusCode);
        Assert.Contains("ipmi1 has no password yet", _answers[^1]);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(op, HttpMethod.Post, $"/api/clusters/{id}/fencing/test", new { devices = new[] { "other" } })).StatusCode);
        Assert.Contains("is not a fence device of fenced", _answers[^1]);
    }
}
