using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Server.Tests.Shared;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Operations;

/// <summary>The operations API of the real console: who may call it, what it refuses, and what it runs and audits on a real sshd.</summary>
public sealed class OperationsApiTests(SshdFixture sshd) : IClassFixture<SshdFixture>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestConsole _console = new();

    private static readonly (string Path, string? Body)[] EveryOperation =
    [
        ("nodes/node2/standby", null), ("nodes/node2/unstandby", null), ("nodes/node2/maintenance", null), ("nodes/node2/unmaintenance", null),
        ("maintenance", null), ("unmaintenance", null),
        ("resources/vip1/move", """{"node":"node2"}"""), ("resources/vip1/clear", null), ("resources/vip1/cleanup", null),
        ("simulate-failure", """{"fail":["node2"]}"""),
        ("nodes/node2/fence", """{"action":"reboot","confirm":"node2"}"""), ("nodes/node2/acknowledge-off", """{"confirm":"node2"}"""),
    ];

    [Fact]
    public async Task Viewer_IsRefused403_ForEveryOperation_AndNothingRuns()
    {
        var cluster = await AddClusterWithStateAsync();
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        foreach (var (path, body) in EveryOperation)
        {
            var response = await viewer.PostAsync($"/api/clusters/{cluster}/{path}", Json(body));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {response.StatusCode}");
        }
        Assert.Empty(await OperationAuditAsync());
    }

    [Fact]
    public async Task Viewer_IsRefused_ByTheServiceItself_NotOnlyByTheRoute()
    {
        var cluster = await AddClusterWithStateAsync();
        using var scope = _console.Services.CreateScope();
        var operations = ActivatorUtilities.CreateInstance<ClusterOperator>(scope.ServiceProvider, new SignedIn("vera", Role.Viewer));

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            operations.RunAsync(cluster, new SetNodeStandby("node2", true)));

        Assert.Equal("This needs the Operator role; you are Viewer.", refused.Message);
        Assert.Empty(await OperationAuditAsync());
    }

    /// <summary>A signed-in page user of a given role, as the circuit would present them.</summary>
    private sealed class SignedIn(string name, Role role) : ICurrentActor
    {
        public Task<ClaimsPrincipal> GetUserAsync() => Task.FromResult(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), .. Roles.ClaimsFor(role)], "test")));
    }

    [Theory]
    [InlineData("nodes/node9/standby", null, "node", "'node9' is not a node of this cluster (its nodes: node1, node2)")]
    [InlineData("nodes/node1%3Breboot/maintenance", null, "node", "may contain only letters, digits and '-', and must start and end with a letter or digit")]
    [InlineData("resources/--all/cleanup", null, "resource", "may contain only letters, digits, '_', '-' and '.', starting with a letter or '_'")]
    [InlineData("resources/vip9/clear", null, "resource", "'vip9' is not a resource of this cluster")]
    [InlineData("resources/vip1/move", """{"node":""}""", "node", "is required")]
    [InlineData("resources/vip1/move", """{"node":"node1"}""", "node", "vip1 already runs on node1")]
    [InlineData("simulate-failure", """{"fail":[]}""", "fail", "name one or 2 nodes to fail")]
    [InlineData("simulate-failure", """{"fail":["node1","node2"]}""", "fail", "no online node would be left: every resource would stop")]
    [InlineData("nodes/node2/fence", """{"action":"reboot","confirm":"node1"}""", "confirm", "type the node's name, node2, to confirm")]
    [InlineData("nodes/node2/fence", """{"action":"halt","confirm":"node2"}""", "action", "'halt' is not a fence action: reboot or off")]
    [InlineData("nodes/node2/acknowledge-off", """{"confirm":"node2"}""", "node", "node2 is online, a running member of the cluster: it is not off, so it cannot be acknowledged as off")]
    public async Task BadInput_Is400_NamingTheField_BeforeAnythingRuns(string path, string? body, string field, string message)
    {
        var cluster = await AddClusterWithStateAsync();
        var client = await _console.ClientAsAsync(Role.Operator);

        var response = await client.PostAsync($"/api/clusters/{cluster}/{path}", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Empty(await OperationAuditAsync());
    }

    [Fact]
    public async Task MoveWithoutABody_Is400()
    {
        var cluster = await AddClusterWithStateAsync();
        var client = await _console.ClientAsAsync(Role.Operator);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/clusters/{cluster}/resources/vip1/move", null)).StatusCode);
    }

    [Fact]
    public async Task ClusterWhoseStateWasNotReadYet_Is409_SayingSo()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        var created = await client.PostAsJsonAsync("/api/clusters", new { name = "fresh" });
        var cluster = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var response = await client.PostAsync($"/api/clusters/{cluster}/nodes/node1/standby", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("has not read the state of fresh yet", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task UnknownCluster_Is404()
    {
        var client = await _console.ClientAsAsync(Role.Operator);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/clusters/999/maintenance", null)).StatusCode);
    }

    [Fact]
    public async Task Standby_RunsOnTheNextNode_WhenTheFirstCannotBeReached_AndReportsTheNodesOwnError_AuditedAsTheOperator()
    {
        var cluster = await AddClusterWithStateAsync(monitorNode: "node1");
        var client = await _console.ClientAsAsync(Role.Operator);

        var response = await client.PostAsync($"/api/clusters/{cluster}/nodes/node2/standby", null);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var title = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString();
        // The test user's PATH has no /usr/sbin, so the node's shell says "pcs: not found": its words reach the admin.
        var failed = System.Text.RegularExpressions.Regex.Match(title!, "^Put node2 in standby failed on node2: pcs node standby node2 exited with ([0-9]+): (.+)$");
        Assert.True(failed.Success, title);
        var audit = await OperationAuditAsync();
        var refused = Assert.Single(audit, a => a.Action == "operation.node-standby" && a.Target == "node1");
        Assert.Null(refused.ExitCode);
        Assert.Contains("refused the connection", refused.Detail);
        var ran = Assert.Single(audit, a => a.Action == "operation.node-standby" && a.Target == "node2");
        Assert.Equal(("pcs node standby node2", int.Parse(failed.Groups[1].Value)), (ran.Command, ran.ExitCode));
        Assert.StartsWith("operator", ran.Actor);
        var line = Assert.Single(audit, a => a.Action == ClusterOperator.AuditAction);
        Assert.Equal(("nas", ran.Actor), (line.Target, line.Actor));
        Assert.Equal($"Put node2 in standby (run on node2): {failed.Groups[2].Value}", line.Detail);
    }

    /// <summary>A cluster "nas" whose node1 refuses connections (nothing listens on its loopback port) and node2 is the test sshd, with the state the monitor would have read.</summary>
    private async Task<long> AddClusterWithStateAsync(string? monitorNode = null)
    {
        using var scope = _console.Services.CreateScope();
        var inventory = _console.AsSystem<SqliteInventory>(scope);
        var credential = await _console.AsSystem<CredentialVault>(scope).AddPasswordAsync("test-sshd", sshd.Sshd.Password);
        var cluster = await inventory.AddClusterAsync(new Cluster { Name = "nas" });
        foreach (var (name, address, port) in new[] { ("node1", "127.0.0.2", ClosedPort()), ("node2", sshd.Sshd.Address, sshd.Sshd.Port) })
        {
            var node = await inventory.AddNodeAsync(new Node
            {
                ClusterId = cluster.Id, Name = name, Address = address, SshPort = port, SshUser = sshd.Sshd.User, CredentialId = credential.Id,
            });
            await using var db = await _console.Database.OpenAsync();
            await db.ExecuteAsync("UPDATE nodes SET host_key_fingerprint = @key WHERE id = @id", new { key = sshd.Sshd.HostKeyFingerprint, id = node.Id });
            await _console.AsSystem<NodeAccess>(scope).ConfirmCredentialAsync(node.Id); // as the admin who set the node up
        }
        var feeds = _console.Services.GetRequiredService<ClusterFeeds>();
        feeds.Publish(cluster.Id, seq => new ClusterChange(cluster.Id, seq,
            new MonitorStatus(MonitorHealth.Watching, monitorNode, $"watching from {monitorNode}", T0), TwoNodes, [], null, null));
        return cluster.Id;
    }

    private static readonly ClusterState TwoNodes = new()
    {
        Summary = new ClusterSummary { HasQuorum = true, DcPresent = true, DcName = "node1" },
        Nodes = [new ClusterNode { Name = "node1", Online = true, Kind = NodeKind.Member }, new ClusterNode { Name = "node2", Online = true, Kind = NodeKind.Member }],
        Resources = [new PrimitiveResource { Id = "vip1", Agent = "ocf:heartbeat:IPaddr2", Role = ResourceRole.Started, Active = true, Nodes = ["node1"] }],
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static StringContent? Json(string? body) => body is null ? null : new StringContent(body, System.Text.Encoding.UTF8, "application/json");

    private async Task<IReadOnlyList<AuditEntry>> OperationAuditAsync()
    {
        var all = await _console.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(Take: 1000));
        return [.. all.Where(a => a.Action.StartsWith("operation.", StringComparison.Ordinal) || a.Action == ClusterOperator.AuditAction)];
    }

    public void Dispose() => _console.Dispose();
}
