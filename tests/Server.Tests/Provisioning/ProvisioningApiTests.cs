using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// The provisioning API as the console wires it: a bad spec is refused before anything runs, every error by field; a plan
/// with blockers cannot be applied; jobs are read by everyone and started or stopped only by operators.
/// </summary>
public sealed class ProvisioningApiTests : IDisposable
{
    private readonly TestConsole _console = new();

    [Fact]
    public async Task BadSpec_IsRefusedBeforeAnythingRuns_WithEveryErrorByField()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client, new
        {
            name = "nas", purpose = "Smb",
            nodes = new[] { new { name = "n1", address = "192.0.2.11" } },
            virtualIps = new[] { new { address = "198.51.100.7", prefix = 24 } },
        });

        var response = await client.PostAsync($"/api/clusters/{cluster}/plan", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains("nodes", fields);                 // one node cannot serve SMB highly available
        Assert.Contains("virtualIps[0].address", fields); // outside every node's subnet
        Assert.Contains("sharedState.recoveryLock", fields);
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{cluster}/jobs") ?? []);
    }

    [Fact]
    public async Task PlanOfNodesNeverProbed_HasABlockerPerNode_AndApplyIsRefused_StartingNoJob()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client, ValidSpec());

        var plan = await client.PostAsync($"/api/clusters/{cluster}/plan", null);
        var apply = await client.PostAsync($"/api/clusters/{cluster}/apply", null);

        plan.EnsureSuccessStatusCode();
        var view = await plan.Content.ReadFromJsonAsync<JsonElement>();
        var blockers = view.GetProperty("plan").GetProperty("blockers").EnumerateArray().Select(b => b.GetString()).ToList();
        Assert.Contains(blockers, b => b!.StartsWith("n1 has not been probed", StringComparison.Ordinal));
        Assert.Contains(blockers, b => b!.StartsWith("n2 has not been probed", StringComparison.Ordinal));
        Assert.Contains("CIB_file=cib.xml cibadmin --modify", view.GetProperty("script").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, apply.StatusCode);
        Assert.Contains("has not been probed", await apply.Content.ReadAsStringAsync());
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{cluster}/jobs") ?? []);
    }

    [Fact]
    public async Task Viewer_ReadsPlansAndJobs_ButMayNotSimulateApplyCancelChangeMembersOrTearDown()
    {
        var operatorClient = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(operatorClient, ValidSpec());
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        Assert.Equal(HttpStatusCode.OK, (await viewer.PostAsync($"/api/clusters/{cluster}/plan", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/clusters/{cluster}/jobs")).StatusCode);
        foreach (var path in new[] { "simulate", "apply", "teardown", "nodes/1/join", "nodes/1/remove" })
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/clusters/{cluster}/{path}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync($"/api/clusters/{cluster}/drift")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync("/api/jobs/1/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task UnknownJob_Is404_AndANodeOfAnotherCluster_CannotBeRemoved()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var cluster = await SpecAsync(client, ValidSpec());
        var other = await SpecAsync(client, ValidSpec("other"));
        var node = (await client.GetFromJsonAsync<JsonElement[]>($"/api/clusters/{other}/nodes"))![0].GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/jobs/4242")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/jobs/4242/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/clusters/{cluster}/nodes/{node}/remove", null)).StatusCode);
    }

    private static object ValidSpec(string name = "nas") => new
    {
        name, purpose = "Smb",
        nodes = new[] { new { name = "n1", address = "192.0.2.11" }, new { name = "n2", address = "192.0.2.12" } },
        virtualIps = new[] { new { address = "192.0.2.101", prefix = 24 } },
        shares = new[] { new { name = "data", path = "/srv/data" } },
        sharedState = new { recoveryLock = "/srv/state/ctdb/reclock" },
        fencing = new { noFencingAcknowledged = true },
    };

    /// <summary>A cluster made from a whole spec document, as an admin would import it.</summary>
    private static async Task<long> SpecAsync(HttpClient client, object spec)
    {
        var name = JsonSerializer.SerializeToElement(spec).GetProperty("name").GetString();
        var created = await client.PostAsJsonAsync("/api/clusters", new { name });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        (await client.PutAsJsonAsync($"/api/clusters/{id}/spec", spec)).EnsureSuccessStatusCode();
        return id;
    }

    public void Dispose() => _console.Dispose();
}
