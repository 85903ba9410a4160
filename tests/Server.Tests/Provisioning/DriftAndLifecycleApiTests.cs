using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// Keeping the cluster's version of a drifted virtual IP goes through the inventory (validated, role-checked, audited in
/// the real SQLite store); previews of a join or teardown are built and simulated with the real pcs and crm_simulate on
/// the console machine, and start nothing.
/// </summary>
public sealed class DriftAndLifecycleApiTests : IDisposable
{
    private readonly TestConsole _console = new();

    [Fact]
    public async Task KeepingTheClustersVersion_OfAVipChangedThere_UpdatesTheInventorysVip_Audited()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client);

        var response = await client.PostAsJsonAsync($"/api/clusters/{cluster}/drift/import",
            new { resource = "vip-192.0.2.101", virtualIp = new { address = "192.0.2.101", prefix = 25, nic = "eth1" } });

        response.EnsureSuccessStatusCode();
        var vip = Assert.Single(await VipsAsync(client, cluster));
        Assert.Equal((25, "eth1"), (vip.GetProperty("prefix").GetInt32(), vip.GetProperty("nic").GetString()));
        Assert.Equal(["vip.update 192.0.2.101"], await AuditAsync("vip.%"));
    }

    [Fact]
    public async Task KeepingTheClustersVersion_OfAVipOnlyTheClusterHas_AddsItToTheInventory()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client);

        var response = await client.PostAsJsonAsync($"/api/clusters/{cluster}/drift/import",
            new { resource = "office-ip", virtualIp = new { address = "192.0.2.150", prefix = 24 } });

        response.EnsureSuccessStatusCode();
        Assert.Equal(["192.0.2.101", "192.0.2.150"], (await VipsAsync(client, cluster)).Select(v => v.GetProperty("address").GetString()));
        Assert.Equal(["vip.add 192.0.2.150"], await AuditAsync("vip.%"));
    }

    [Theory]
    [InlineData("vip-192.0.2.101", "192.0.2.300", 24, "address")]
    [InlineData("vip-192.0.2.101", "192.0.2.101", 40, "prefix")]
    [InlineData("office-ip", "not an address", 24, "address")]
    [InlineData("", "192.0.2.150", 24, "resource")]
    public async Task AVipThatFailsValidation_IsRefusedByField_AndChangesNothing(string resource, string address, int prefix, string field)
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client);

        var response = await client.PostAsJsonAsync($"/api/clusters/{cluster}/drift/import", new { resource, virtualIp = new { address, prefix } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(field, errors.EnumerateObject().Select(e => e.Name));
        var vip = Assert.Single(await VipsAsync(client, cluster));
        Assert.Equal(("192.0.2.101", 24), (vip.GetProperty("address").GetString(), vip.GetProperty("prefix").GetInt32()));
        Assert.Empty(await AuditAsync("vip.%"));
    }

    [Fact]
    public async Task AnImportWithoutTheVipsSettings_IsRefusedByField_AndChangesNothing()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client);

        var response = await client.PostAsJsonAsync($"/api/clusters/{cluster}/drift/import", new { resource = "vip-192.0.2.101" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("virtualIp", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Empty(await AuditAsync("vip.%"));
    }

    [Fact]
    public async Task AVipAtANodesAddress_IsRefusedAsAConflict_AndChangesNothing()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client);

        var response = await client.PostAsJsonAsync($"/api/clusters/{cluster}/drift/import",
            new { resource = "office-ip", virtualIp = new { address = "192.0.2.11", prefix = 24 } });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("the address of a node of this cluster", await response.Content.ReadAsStringAsync());
        Assert.Single(await VipsAsync(client, cluster));
    }

    [Fact]
    public async Task Viewer_MayNotImportNorPreview()
    {
        var cluster = await SpecAsync(await _console.ClientAsAsync(Role.Operator));
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        var import = await viewer.PostAsJsonAsync($"/api/clusters/{cluster}/drift/import",
            new { resource = "office-ip", virtualIp = new { address = "192.0.2.150", prefix = 24 } });

        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        foreach (var path in new[] { "teardown/preview", "nodes/1/join/preview", "nodes/1/remove/preview" })
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/clusters/{cluster}/{path}", null)).StatusCode);
        Assert.Empty(await AuditAsync("vip.%"));
    }

    [Fact]
    public async Task PreviewOfAJoin_OfNodesNeverProbed_AnswersThePlanWithItsBlockers_WithoutSimulating()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client, withThirdNode: true);
        var n3 = await NodeIdAsync(client, cluster, "n3");

        var preview = await client.PostAsync($"/api/clusters/{cluster}/nodes/{n3}/join/preview", null);

        preview.EnsureSuccessStatusCode();
        var body = await preview.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(body.GetProperty("plan").GetProperty("blockers").EnumerateArray(), b => b.GetString()!.StartsWith("n1 has not been probed", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("simulation").ValueKind);
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{cluster}/jobs") ?? []);
    }

    [Fact]
    public async Task PreviewOfAJoin_SimulatesTheClusterWithTheNewNode_AndStartsNothing()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client, withThirdNode: true);
        await ProbedAsync(cluster);
        var n3 = await NodeIdAsync(client, cluster, "n3");

        var preview = await client.PostAsync($"/api/clusters/{cluster}/nodes/{n3}/join/preview", null);

        Assert.True(preview.IsSuccessStatusCode, await preview.Content.ReadAsStringAsync());
        var body = await preview.Content.ReadFromJsonAsync<JsonElement>();
        var plan = body.GetProperty("plan");
        Assert.Empty(plan.GetProperty("blockers").EnumerateArray());
        Assert.StartsWith("Adds n3 as node 3", plan.GetProperty("warnings")[0].GetString());
        var simulation = body.GetProperty("simulation");
        Assert.Equal(["n1", "n2", "n3"], simulation.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        // crm_simulate placed the VIP on one of the three nodes, and every single and double failure was tried.
        var vipNodes = simulation.GetProperty("allUp").GetProperty("running").GetProperty("vip-192.0.2.101").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Single(vipNodes);
        Assert.Contains(vipNodes[0], new[] { "n1", "n2", "n3" });
        Assert.Equal(6, simulation.GetProperty("failures").GetArrayLength());
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{cluster}/jobs") ?? []);
    }

    [Fact]
    public async Task PreviewOfATeardown_OfAClusterNotRunning_LeavesNothingRunning_AndStartsNothing()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client);
        await ProbedAsync(cluster);

        var preview = await client.PostAsync($"/api/clusters/{cluster}/teardown/preview", null);

        Assert.True(preview.IsSuccessStatusCode, await preview.Content.ReadAsStringAsync());
        var body = await preview.Content.ReadFromJsonAsync<JsonElement>();
        var steps = body.GetProperty("plan").GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Contains("stop-resources", steps);
        Assert.Contains("restore-files", steps);
        var simulation = body.GetProperty("simulation");
        Assert.All(simulation.GetProperty("allUp").GetProperty("running").EnumerateObject(), r => Assert.Equal(0, r.Value.GetArrayLength()));
        Assert.Equal(0, simulation.GetProperty("failures").GetArrayLength());
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{cluster}/jobs") ?? []);
    }

    /// <summary>A two-node SMB cluster n1, n2 (and n3, added last) with the VIP 192.0.2.101, made from a whole spec document.</summary>
    private static async Task<long> SpecAsync(HttpClient client, bool withThirdNode = false)
    {
        var created = await client.PostAsJsonAsync("/api/clusters", new { name = "nas" });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var nodes = new[] { ("n1", "192.0.2.11"), ("n2", "192.0.2.12"), ("n3", "192.0.2.13") }.Take(withThirdNode ? 3 : 2)
            .Select(n => new { name = n.Item1, address = n.Item2 });
        (await client.PutAsJsonAsync($"/api/clusters/{id}/spec", new
        {
            name = "nas", purpose = "Smb", nodes,
            virtualIps = new[] { new { address = "192.0.2.101", prefix = 24 } },
            shares = new[] { new { name = "data", path = "/srv/data" } },
            sharedState = new { recoveryLock = "/srv/state/ctdb/reclock" },
            fencing = new { noFencingAcknowledged = true },
        })).EnsureSuccessStatusCode();
        return id;
    }

    /// <summary>Each node's last probe, as a probe of a lab node stores it: Debian, eth0 on its address, the cluster software installed.</summary>
    private async Task ProbedAsync(long cluster)
    {
        await using var c = await _console.Database.OpenAsync();
        foreach (var (id, address) in await c.QueryAsync<(long, string)>("SELECT id, address FROM nodes WHERE cluster_id = @cluster", new { cluster }))
        {
            var facts = new NodeFacts
            {
                ProbedAt = DateTimeOffset.UtcNow, OsId = "debian", InitProcess = "systemd",
                Interfaces = [new("eth0", null, true, [$"{address}/24"])],
                Packages = [.. NodeProbe.Packages.Select(p => new PackageState(p, "1.0"))],
            };
            await c.ExecuteAsync("UPDATE nodes SET last_probe_at = @at, last_probe_json = @json WHERE id = @id",
                new { at = facts.ProbedAt, json = JsonSerializer.Serialize(facts, new JsonSerializerOptions(JsonSerializerDefaults.Web)), id });
        }
    }

    private static async Task<long> NodeIdAsync(HttpClient client, long cluster, string name) =>
        (await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{cluster}/nodes"))!.Single(n => n.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();

    private static async Task<JsonElement[]> VipsAsync(HttpClient client, long cluster) =>
        await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{cluster}/vips") ?? [];

    /// <summary>The audit lines whose action matches, as "action target", oldest first.</summary>
    private async Task<List<string>> AuditAsync(string actions)
    {
        await using var c = await _console.Database.OpenAsync();
        return (await c.QueryAsync<string>("SELECT action || ' ' || target FROM audit_log WHERE action LIKE @actions ORDER BY id", new { actions })).ToList();
    }

    public void Dispose() => _console.Dispose();
}
