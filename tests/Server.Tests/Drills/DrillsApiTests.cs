using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Drills;
using StorageHa.Server.Inventory;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Drills;

/// <summary>The drills API of the real console, with the cluster behind the runner in memory: who may do what, refusals with their reasons, 404s, bad input.</summary>
public sealed class DrillsApiTests : IAsyncLifetime
{
    private FakeDrillCluster? _cluster;
    private readonly TestConsole _console;
    private long _id;

    public DrillsApiTests()
    {
        _console = new TestConsole
        {
            TestServices = services => services.AddSingleton<IDrillCluster>(s => _cluster = new FakeDrillCluster(s.GetRequiredService<ClusterFeeds>())),
        };
    }

    public async Task InitializeAsync()
    {
        using var scope = _console.Services.CreateScope();
        _id = (await _console.AsSystem<SqliteInventory>(scope).AddClusterAsync(new Cluster { Name = "nas" })).Id;
        _console.Services.GetRequiredService<ClusterFeeds>().Track(_id, "nas");
        _console.Services.GetRequiredService<IDrillCluster>();
        _cluster!.ClusterId = _id;
        _cluster.Publish();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task AnOperatorStartsADrill_202WithItsId_AndAViewerFollowsItToItsReport_AndExportsIt()
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        var response = await op.PostAsync($"/api/clusters/{_id}/drills", Json("""{"vip":"10.99.0.100"}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var drillId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal($"/api/clusters/{_id}/drills/{drillId}", response.Headers.Location!.OriginalString);

        var viewer = await _console.ClientAsAsync(Role.Viewer);
        JsonElement report = default;
        for (var i = 0; i < 400 && (report = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{_id}/drills/{drillId}")).GetProperty("outcome").GetString() == "Running"; i++)
            await Task.Delay(50);
        Assert.Equal("Completed", report.GetProperty("outcome").GetString());
        Assert.Equal("Vip", report.GetProperty("target").GetProperty("kind").GetString());

        var history = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{_id}/drills");
        Assert.Equal(drillId, Assert.Single(history.EnumerateArray()).GetProperty("id").GetInt64());

        var csv = await viewer.GetAsync($"/api/clusters/{_id}/drills/{drillId}/export?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"drill-{drillId}-nas.csv", csv.Content.Headers.ContentDisposition!.FileName);
        Assert.Equal(9, (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // header + 2 VIPs × 2 phases × 2 services
        var json = await viewer.GetAsync($"/api/clusters/{_id}/drills/{drillId}/export?format=json");
        Assert.Equal(drillId, (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task AViewer_MayReadButNotStartADrill_AndNobodyUnsignedMayDoEither()
    {
        var viewer = await _console.ClientAsAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync($"/api/clusters/{_id}/drills", Json("""{"vip":"10.99.0.100"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/clusters/{_id}/drills")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/clusters/{_id}/drills/readiness")).StatusCode);
        var anonymous = _console.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/clusters/{_id}/drills")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/clusters/{_id}/drills", Json("""{"vip":"10.99.0.100"}"""))).StatusCode);
        Assert.Empty(_cluster!.Ran);
    }

    [Fact]
    public async Task ADrillOnADegradedCluster_Is409_ListingEveryReason_AndReadinessSaysTheSame()
    {
        _cluster!.Publish(degrade: s => s with
        {
            Nodes = [.. s.Nodes.Select(n => n.Name == "node3" ? n with { Standby = true } : n)],
            Failures = [new ResourceFailure { OperationKey = "smbd_monitor_10000", Resource = "smbd", Node = "node1", Task = "monitor" }],
        });
        var op = await _console.ClientAsAsync(Role.Operator);

        var response = await op.PostAsync($"/api/clusters/{_id}/drills", Json("""{"node":"node2"}"""));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        string[] reasons = ["node3 is standby: a drill needs every node online.", "smbd has a failed monitor on node1: clean it up first."];
        Assert.Equal(reasons, problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal(reasons, problem.GetProperty("errors").GetProperty("readiness").EnumerateArray().Select(r => r.GetString()));
        var readiness = await op.GetFromJsonAsync<JsonElement>($"/api/clusters/{_id}/drills/readiness");
        Assert.False(readiness.GetProperty("ready").GetBoolean());
        Assert.Equal(reasons, readiness.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("reason").GetString()));
        Assert.Empty(_cluster.Ran);
    }

    [Theory]
    [InlineData("/api/clusters/999/drills")]
    [InlineData("/api/clusters/999/drills/readiness")]
    [InlineData("/api/clusters/{id}/drills/12345")]
    [InlineData("/api/clusters/{id}/drills/12345/export?format=csv")]
    public async Task AnUnknownClusterOrDrill_Is404(string path)
    {
        var viewer = await _console.ClientAsAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync(path.Replace("{id}", _id.ToString(), StringComparison.Ordinal))).StatusCode);
    }

    [Fact]
    public async Task ADrillOfAnUnknownCluster_Is404()
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsync("/api/clusters/999/drills", Json("""{"vip":"10.99.0.100"}"""))).StatusCode);
    }

    [Theory]
    [InlineData("{}", "vip")]
    [InlineData("""{"vip":"10.99.0.100","node":"node1"}""", "node")]
    [InlineData("""{"vip":"10.99.0.999"}""", "vip")]
    [InlineData("""{"node":"node1;reboot"}""", "node")]
    [InlineData("""{"vip":"10.99.0.100","force":true}""", "force")]
    public async Task BadInput_Is400_NamingTheField_AndNothingRuns(string body, string field)
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        var response = await op.PostAsync($"/api/clusters/{_id}/drills", Json(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
        Assert.Empty(_cluster!.Ran);
    }

    [Fact]
    public async Task AnExportInAnUnknownFormat_Is400()
    {
        var viewer = await _console.ClientAsAsync(Role.Viewer);
        var response = await viewer.GetAsync($"/api/clusters/{_id}/drills/1/export?format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'xml' is not an export format: csv or json",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("format")[0].GetString());
    }

    [Fact]
    public async Task TheDrillRoutes_AreInTheOpenApiDocument()
    {
        var doc = await (await _console.ClientAsAsync(Role.Viewer)).GetStringAsync("/openapi/v1.json");
        foreach (var route in new[] { "/api/clusters/{id}/drills", "/api/clusters/{id}/drills/readiness", "/api/clusters/{id}/drills/{drillId}", "/api/clusters/{id}/drills/{drillId}/export" })
            Assert.Contains($"\"{route}\"", doc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADrillAStoppedConsoleLeftRunning_ShowsAsFailed_WithTheReason()
    {
        var store = _console.Services.GetRequiredService<DrillStore>();
        var left = await store.AddAsync(new DrillReport { ClusterId = _id, ClusterName = "nas", Target = DrillTarget.Vip(FakeDrillCluster.Vip1), StartedBy = "olga",
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-3) });

        await _console.Services.GetRequiredService<InterruptedDrills>().EndAllAsync(CancellationToken.None);

        var viewer = await _console.ClientAsAsync(Role.Viewer);
        var report = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{_id}/drills/{left.Id}");
        Assert.Equal("Failed", report.GetProperty("outcome").GetString());
        Assert.StartsWith("the console stopped during the drill", report.GetProperty("failure").GetProperty("why").GetString(), StringComparison.Ordinal);
        var listed = Assert.Single((await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{_id}/drills")).EnumerateArray());
        Assert.Equal("Failed", listed.GetProperty("outcome").GetString());
    }

    public async Task DisposeAsync() => await _console.DisposeAsync();
}
