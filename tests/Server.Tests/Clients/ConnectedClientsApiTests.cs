using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Clients;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Clients;

/// <summary>
/// GET /api/clusters/{id}/clients and POST …/clients/smb/disconnect on the real console, its nodes behind the SSH
/// runner's door: everyone signed in reads who is connected, with the VIP they came through; only operators disconnect,
/// each disconnect is audited in the admin's words, and a session already gone is a 409 that says so.
/// </summary>
public sealed class ConnectedClientsApiTests : IDisposable
{
    private readonly SmbNodes _nodes = new();
    private readonly TestConsole _console;

    public ConnectedClientsApiTests() => _console = new()
    {
        TestServices = s =>
        {
            s.AddSingleton<ISshRunner>(_nodes);
            s.AddSingleton<IMonitoredClusters>(_nodes);
            // The readings' own runner (audited once per node and outcome) reaches the same nodes.
            s.AddSingleton(new ConnectedClientsCheck(new LiveNodes(_nodes, TimeProvider.System), TimeProvider.System));
        },
    };

    public void Dispose() => _console.Dispose();

    private async Task<long> ClusterAsync()
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        var id = (await (await op.PostAsJsonAsync("/api/clusters", new { name = "nas" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        (await op.PostAsJsonAsync($"/api/clusters/{id}/nodes", new { name = "node1", address = "192.0.2.11" })).EnsureSuccessStatusCode();
        (await op.PostAsJsonAsync($"/api/clusters/{id}/vips", new { address = SmbNodes.Vip, prefix = 24 })).EnsureSuccessStatusCode();
        _nodes.ClusterId = id;
        return id;
    }

    [Fact]
    public async Task AViewer_ReadsEachNodesClients_WithTheVipTheyCameThrough()
    {
        var id = await ClusterAsync();
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        var clients = await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/clients");

        Assert.Equal([SmbNodes.Vip], clients.GetProperty("virtualIps").EnumerateArray().Select(v => v.GetString()));
        var node = Assert.Single(clients.GetProperty("nodes").EnumerateArray());
        var session = Assert.Single(node.GetProperty("smb").EnumerateArray());
        Assert.Equal(("alice", "192.0.2.50", SmbNodes.Vip, 8123), (session.GetProperty("user").GetString(), session.GetProperty("clientAddress").GetString(),
            session.GetProperty("serverAddress").GetString(), session.GetProperty("serverPid").GetInt32()));
        Assert.Equal(1, clients.GetProperty("smbSessions").GetInt32());
        Assert.Equal("NFS-Ganesha is not running here (not on the system D-Bus)", node.GetProperty("nfsProblem").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _console.Anonymous().GetAsync($"/api/clusters/{id}/clients")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/clusters/999/clients")).StatusCode);
    }

    [Fact]
    public async Task AnOperator_DisconnectsASession_AuditedAsWhoEndedWhose_AViewerMayNot()
    {
        var id = await ClusterAsync();
        var viewer = await _console.ClientAsAsync(Role.Viewer);
        var op = await _console.ClientAsAsync(Role.Operator);
        await viewer.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/clients");
        var session = new { node = "node1", serverPid = 8123, clientEnd = "ipv4:192.0.2.50:41234" };

        var refused = await viewer.PostAsJsonAsync($"/api/clusters/{id}/clients/smb/disconnect", session);
        var done = await op.PostAsJsonAsync($"/api/clusters/{id}/clients/smb/disconnect", session);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var answer = await done.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Disconnect alice's SMB session from 192.0.2.50 (smbd 8123 on node1)", answer.GetProperty("summary").GetString());
        var run = Assert.Single(_nodes.Disconnects);
        Assert.Equal(["8123", "ipv4:192.0.2.50:41234"], run.Argv.Skip(4));
        var audit = await _console.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(Take: 1000));
        var entry = Assert.Single(audit, e => e.Action == ConsoleConnectedClients.DisconnectAction);
        Assert.StartsWith("operator", entry.Actor, StringComparison.Ordinal);
        Assert.Equal(("nas", 0), (entry.Target, entry.ExitCode));
        Assert.Equal("Disconnect alice's SMB session from 192.0.2.50 (smbd 8123 on node1): done", entry.Detail);
    }

    [Fact]
    public async Task ASessionAlreadyGone_Is409SayingSo_AndAudited()
    {
        var id = await ClusterAsync();
        var op = await _console.ClientAsAsync(Role.Operator);

        var gone = await op.PostAsJsonAsync($"/api/clusters/{id}/clients/smb/disconnect", new { node = "node1", serverPid = 9999, clientEnd = "ipv4:192.0.2.51:40000" });

        Assert.Equal(HttpStatusCode.Conflict, gone.StatusCode);
        Assert.Contains("has already ended", await gone.Content.ReadAsStringAsync());
        var audit = await _console.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(Take: 1000));
        Assert.Contains(audit, e => e.Action == ConsoleConnectedClients.DisconnectAction && e.Detail!.EndsWith("it had already ended", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"node":"node1","serverPid":0,"clientEnd":"ipv4:192.0.2.50:41234"}""", "serverPid")]
    [InlineData("""{"node":"node1","serverPid":8123,"clientEnd":"192.0.2.50; reboot"}""", "clientEnd")]
    [InlineData("""{"node":"node9","serverPid":8123,"clientEnd":"ipv4:192.0.2.50:41234"}""", "node")]
    public async Task ABadSession_Is400NamingTheField_AndNothingRuns(string body, string field)
    {
        var id = await ClusterAsync();
        var op = await _console.ClientAsAsync(Role.Operator);

        var answer = await op.PostAsync($"/api/clusters/{id}/clients/smb/disconnect", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(_nodes.Disconnects);
    }
}

/// <summary>One node with one SMB session (alice from 192.0.2.50 through the VIP, served by smbd 8123): any other session is gone.</summary>
internal sealed class SmbNodes : ISshRunner, IMonitoredClusters
{
    public const string Vip = "192.0.2.101";

    private const string Clients = """

        @@storageha:pnn
        0

        @@storageha:smbstatus
        exit 0
        {"timestamp": "2026-12-07T00:30:00.000000+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {"3605124463": {"session_id": "3605124463", "server_id": {"pid": "8123", "task_id": "0", "vnn": "0", "unique_id": "1"}, "uid": 1001, "gid": 1001, "username": "alice", "groupname": "alice", "remote_machine": "192.0.2.50", "hostname": "ipv4:192.0.2.50:41234", "session_dialect": "SMB3_11", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "AES-128-GMAC", "degree": "partial"}}}, "tcons": {}}

        @@storageha:nfs
        exit 1
        Error org.freedesktop.DBus.Error.ServiceUnknown: The name org.ganesha.nfsd was not provided by any .service files

        @@storageha:connections
        192.0.2.101:445 192.0.2.50:41234

        @@storageha:end
        """;

    private readonly ConcurrentQueue<(string Node, IReadOnlyList<string> Argv)> _disconnects = new();

    public long ClusterId { get; set; }

    public IReadOnlyList<(string Node, IReadOnlyList<string> Argv)> Disconnects => [.. _disconnects];

    public Task<IReadOnlyList<MonitoredCluster>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<MonitoredCluster>>([new MonitoredCluster(ClusterId, "nas", [new SshTarget("node1", "192.0.2.11", 22, "root", SshAuth.WithPassword("-"), "SHA256:pinned")])]);

    public Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
    {
        var script = argv.Count > 3 ? argv[3] : "";
        if (script == "storageha-disconnect-smb-session") _disconnects.Enqueue((target.Name, argv));
        return Task.FromResult(script switch
        {
            "storageha-connected-clients" => new CommandResult(0, Clients, "", TimeSpan.FromMilliseconds(5)),
            "storageha-disconnect-smb-session" when argv[4] == "8123" => new CommandResult(0, "", "", TimeSpan.FromMilliseconds(5)),
            "storageha-disconnect-smb-session" => new CommandResult(3, $"no SMB session of {argv[5]} is served by process {argv[4]} on this node: it has already ended\n", "", TimeSpan.FromMilliseconds(5)),
            // The monitor's crm_mon finds no cluster here.
            _ => new CommandResult(1, "", "no cluster here", TimeSpan.FromMilliseconds(5)),
        });
    }

    public Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default) =>
        throw new NotSupportedException("the clients never fetch host keys");

    public Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default) =>
        throw new NotSupportedException("the clients never upload");
}
