using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using StorageHa.Server.Tests.Shared;

namespace StorageHa.Server.Tests.Api;

/// <summary>
/// A script with only the API and the admin's password, as far as it goes without nodes: sign in, a key, a cluster with
/// its nodes, settings, VIPs, a share and an export, and the plan, whose blockers say the nodes were never probed.
/// </summary>
public sealed class ApiOnlyFlowTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task FromSignInToThePlan_WithTheTokenAlone()
    {
        var api = _console.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var signIn = await Ok(api.PostAsJsonAsync("/api/auth/token", new { userName = "admin", password = TestConsole.AdminPassword, name = "build-nas1" }), HttpStatusCode.Created);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signIn.GetProperty("secret").GetString());

        var key = await Ok(api.PostAsJsonAsync("/api/credentials/generate-key", new { name = "nas1-key" }), HttpStatusCode.Created);
        var publicKey = key.GetProperty("credential").GetProperty("publicKey").GetString()!;
        Assert.StartsWith("ssh-ed25519 ", publicKey);
        Assert.Equal($"echo '{publicKey}' >> ~/.ssh/authorized_keys", key.GetProperty("installCommand").GetString());
        var keyId = key.GetProperty("credential").GetProperty("id").GetInt64();

        var cluster = (await Ok(api.PostAsJsonAsync("/api/clusters", new { name = "nas1", purpose = "Both" }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        foreach (var n in new[] { 1, 2, 3 })
            await Ok(api.PostAsJsonAsync($"/api/clusters/{cluster}/nodes", new { name = $"node{n}", address = $"192.0.2.{10 + n}", credentialId = keyId }), HttpStatusCode.Created);
        var settings = await Ok(api.PatchAsJsonAsync($"/api/clusters/{cluster}/settings", new
        {
            nic = "eth0",
            sharedState = new { recoveryLock = "/srv/cluster-state/ctdb/reclock", ganeshaState = "/srv/cluster-state/ganesha" },
            fencing = new { noFencingAcknowledged = true },
        }));
        Assert.Equal(1, settings.GetProperty("ctdbTunables").GetProperty("KeepaliveInterval").GetInt32()); // the new cluster's default, kept by the patch
        foreach (var vip in new[] { "192.0.2.101", "192.0.2.102" })
            await Ok(api.PostAsJsonAsync($"/api/clusters/{cluster}/vips", new { address = vip, prefix = 24 }), HttpStatusCode.Created);
        await Ok(api.PostAsJsonAsync($"/api/clusters/{cluster}/shares", new { name = "public", path = "/srv/cluster-state/public", guestOk = true }), HttpStatusCode.Created);
        await Ok(api.PostAsJsonAsync($"/api/clusters/{cluster}/exports", new { path = "/srv/cluster-state/nfs", clients = "192.0.2.0/24" }), HttpStatusCode.Created);

        var plan = (await Ok(api.PostAsync($"/api/clusters/{cluster}/plan", null))).GetProperty("plan");

        var blockers = plan.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()!).ToList();
        foreach (var node in new[] { "node1", "node2", "node3" })
            Assert.Contains(blockers, b => b.StartsWith($"{node} has not been probed", StringComparison.Ordinal));
        Assert.Contains(plan.GetProperty("steps").EnumerateArray(), s => s.GetProperty("id").GetString() == "ctdb-tunables");
    }

    private static async Task<JsonElement> Ok(Task<HttpResponseMessage> sending, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await sending;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
