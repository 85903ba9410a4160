using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Identity;

/// <summary>
/// /api/clusters/{id}/users and /groups on the real console: viewers list, operators change; bad input is a 400 naming
/// the field with nothing stored; an SMB password reaches only a node command's standard input — never an answer, the
/// audit log, the console's log or the SQLite file.
/// </summary>
public sealed class LocalAccountsApiTests : IDisposable
{
    private readonly RecordingNodes _nodes = new();
    private readonly TestConsole _console;

    public LocalAccountsApiTests() => _console = new()
    {
        TestServices = s =>
        {
            s.AddSingleton<ISshRunner>(_nodes);
            s.AddSingleton<IMonitoredClusters>(_nodes);
        },
    };

    public void Dispose() => _console.Dispose();

    private async Task<(HttpClient Operator, long Cluster)> LocalUsersClusterAsync(TestConsole console)
    {
        var op = await console.ClientAsAsync(Role.Operator);
        var cluster = await (await op.PostAsJsonAsync("/api/clusters", new { name = "nas1", purpose = "Smb" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = cluster.GetProperty("id").GetInt64();
        var patched = await op.PatchAsync($"/api/clusters/{id}/settings", JsonContent.Create(new { identity = new { mode = "LocalUsers" } }));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        return (op, id);
    }

    [Fact]
    public async Task Viewers_ListUsersAndGroups_ButOnlyOperatorsChangeThem()
    {
        var (_, id) = await LocalUsersClusterAsync(_console);
        var viewer = await _console.ClientAsAsync(Role.Viewer);

        Assert.Equal("[]", await viewer.GetStringAsync($"/api/clusters/{id}/users"));
        Assert.Equal("[]", await viewer.GetStringAsync($"/api/clusters/{id}/groups"));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/clusters/{id}/users", new { name = "alice", password = "pw" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/clusters/{id}/groups", new { name = "staff" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/api/clusters/{id}/users/alice/password", new { password = "pw" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync($"/api/clusters/{id}/users/alice/groups", new { groups = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/clusters/{id}/users/alice")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.DeleteAsync($"/api/clusters/{id}/groups/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _console.Anonymous().GetAsync($"/api/clusters/{id}/users")).StatusCode);
    }

    [Fact]
    public async Task SettingsSentBackWithoutTheUsers_KeepTheUsersGroupsAndTheHighestId()
    {
        var (op, id) = await LocalUsersClusterAsync(_console);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/api/clusters/{id}/groups", new { name = "team" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/api/clusters/{id}/users", new { name = "alice", password = "a good password", groups = new[] { "team" } })).StatusCode);

        // An old form's settings: the identity without users or groups, the counter back at zero.
        var patched = await op.PatchAsync($"/api/clusters/{id}/settings", JsonContent.Create(new { identity = new { mode = "LocalUsers", users = Array.Empty<object>(), groups = Array.Empty<object>(), highestLocalId = 0 } }));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var put = await op.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/settings");
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsync($"/api/clusters/{id}/settings", JsonContent.Create(new { identity = new { mode = "LocalUsers" } }))).StatusCode);

        var identity = (await op.GetFromJsonAsync<JsonElement>($"/api/clusters/{id}/settings")).GetProperty("identity");
        Assert.Equal(["alice"], identity.GetProperty("users").EnumerateArray().Select(u => u.GetProperty("name").GetString()));
        Assert.Equal(["team"], identity.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(put.GetProperty("identity").GetProperty("highestLocalId").GetInt64(), identity.GetProperty("highestLocalId").GetInt64());
        Assert.True(identity.GetProperty("highestLocalId").GetInt64() >= 20_001);
    }

    [Theory]
    [InlineData("""{"name":"Alice","password":"a good password"}""", "name")]
    [InlineData("""{"name":"root","password":"a good password"}""", "name")]
    [InlineData("""{"name":"alice;reboot","password":"a good password"}""", "name")]
    [InlineData("""{"name":"alice\n","password":"a good password"}""", "name")]
    [InlineData("""{"name":"a23456789012345678901234567890123","password":"a good password"}""", "name")]
    [InlineData("""{"name":"alice","password":""}""", "password")]
    [InlineData("""{"name":"alice","password":"two\nlines"}""", "password")]
    [InlineData("""{"name":"alice","password":"a good password","groups":["nosuch"]}""", "groups[0]")]
    [InlineData("""{"name":"alice","password":"a good password","fullName":"Alice: admin"}""", "fullName")]
    public async Task BadInput_Is400NamingTheField_AndNothingIsStored(string body, string field)
    {
        var (op, id) = await LocalUsersClusterAsync(_console);

        var answer = await op.PostAsync($"/api/clusters/{id}/users", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var errors = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        Assert.Equal("[]", await op.GetStringAsync($"/api/clusters/{id}/users"));
        Assert.Empty(_nodes.Runs);
    }

    [Fact]
    public async Task WithoutLocalUsersChosen_ACreateIs409_NamingTheIdentityMode()
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        var cluster = await (await op.PostAsJsonAsync("/api/clusters", new { name = "nas2" })).Content.ReadFromJsonAsync<JsonElement>();

        var answer = await op.PostAsJsonAsync($"/api/clusters/{cluster.GetProperty("id").GetInt64()}/groups", new { name = "team" });

        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains("identity.mode", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserMadeAndChanged_ReachesTheNodes_WithItsPasswordOnlyOnStandardInput_AndNowhereElse()
    {
        var console = _console;
        var (op, id) = await LocalUsersClusterAsync(console);
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        var answers = new List<string>();

        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/api/clusters/{id}/groups", new { name = "team" })).StatusCode);
        var created = await op.PostAsJsonAsync($"/api/clusters/{id}/users", new { name = "alice", fullName = "Alice Martin", groups = new[] { "team" }, password = first });
        answers.Add(await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await op.PutAsJsonAsync($"/api/clusters/{id}/users/alice/password", new { password = second })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync($"/api/clusters/{id}/users/alice/groups", new { groups = Array.Empty<string>() })).StatusCode);
        foreach (var read in new[] { $"/api/clusters/{id}/users", $"/api/clusters/{id}/groups", "/api/audit?take=1000" })
            answers.Add(await (await console.ClientAsAsync(Role.Admin)).GetStringAsync(read));

        Assert.Contains("""{"name":"alice","uid":20001,"groups":[],"fullName":"Alice Martin"}""", answers[^3], StringComparison.Ordinal);
        Assert.Contains("""{"name":"team","gid":20000}""", answers[^2], StringComparison.Ordinal);
        // Every node got the accounts; the password went to one node's smb-password.sh, on its standard input only.
        Assert.Equal(["node1", "node2"], _nodes.Runs.Where(r => r.Argv[3] == "storageha-local-accounts" && r.Argv.Contains("user:alice:20001:team")).Select(r => r.Node).Order());
        Assert.Equal([first + "\n", second + "\n"], _nodes.Runs.Where(r => r.Argv[3] == "storageha-smb-password").Select(r => r.Stdin));
        Assert.Contains("create local user alice (uid 20001): done; Unix accounts on node1, node2; passdb on node1", answers[^1], StringComparison.Ordinal);
        var everywhere = new Dictionary<string, string>
        {
            ["answers"] = string.Join('\n', answers),
            ["argv"] = string.Join('\n', _nodes.Runs.SelectMany(r => r.Argv)),
            ["log"] = console.Log.Text,
            ["database"] = console.DatabaseText(),
            ["wal"] = console.DatabaseText("-wal"),
        };
        foreach (var (place, text) in everywhere)
            foreach (var secret in new[] { first, second })
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a password is in the {place}");
    }

    [Fact]
    public async Task ANodeThatRefuses_LeavesTheInventoryAndTheOtherNodesAsTheyWere_AndSaysWhichNodeAndWhy()
    {
        var console = _console;
        var (op, id) = await LocalUsersClusterAsync(console);
        _nodes.Fail("node2", "storageha-local-accounts", "local-accounts: uid 20000 is user carol's, not alice's; the console changes no existing account's id");

        var answer = await op.PostAsJsonAsync($"/api/clusters/{id}/users", new { name = "alice", password = "a good password" });

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        var problem = await answer.Content.ReadAsStringAsync();
        Assert.Contains("the Unix accounts failed on node2", problem, StringComparison.Ordinal);
        Assert.Contains("uid 20000 is user carol's", problem, StringComparison.Ordinal);
        Assert.Contains("put back as they were on node1, node2", problem, StringComparison.Ordinal);
        Assert.Equal("[]", await op.GetStringAsync($"/api/clusters/{id}/users"));
        // node1 made the account, then was given back its accounts without it; no password was set anywhere.
        Assert.Equal(["user:alice:20000:", null],
            _nodes.Runs.Where(r => r.Node == "node1").Select(r => r.Argv.FirstOrDefault(a => a.StartsWith("user:", StringComparison.Ordinal))));
        Assert.DoesNotContain(_nodes.Runs, r => r.Argv[3] == "storageha-smb-password");
    }

    [Fact]
    public async Task ADeleteThatFailsOnANode_KeepsTheUser_AndSaysItsPasswordIsAlreadyGone()
    {
        var (op, id) = await LocalUsersClusterAsync(_console);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync($"/api/clusters/{id}/users", new { name = "alice", password = "a good password" })).StatusCode);
        _nodes.Fail("node1", "storageha-local-accounts", "userdel: user alice is currently used by process 4242");

        var answer = await op.DeleteAsync($"/api/clusters/{id}/users/alice");

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        var problem = await answer.Content.ReadAsStringAsync();
        Assert.Contains("the Unix accounts failed on node1", problem, StringComparison.Ordinal);
        Assert.Contains("Its SMB password was already removed on node1", problem, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"alice\"", await op.GetStringAsync($"/api/clusters/{id}/users"), StringComparison.Ordinal);
    }
}

/// <summary>
/// Nodes node1 and node2 of every cluster, behind the SSH runner's door: each command is recorded (node, argv, standard
/// input) and succeeds, unless the test made one script fail on one node.
/// </summary>
internal sealed class RecordingNodes : ISshRunner, IMonitoredClusters
{
    private readonly ConcurrentQueue<(string Node, IReadOnlyList<string> Argv, string? Stdin)> _runs = new();
    private readonly ConcurrentDictionary<(string Node, string Script), string> _failures = new();

    public IReadOnlyList<(string Node, IReadOnlyList<string> Argv, string? Stdin)> Runs =>
        [.. _runs.Where(r => r.Argv.Count > 3 && r.Argv[3].StartsWith("storageha-", StringComparison.Ordinal))];

    /// <summary>The next run of SCRIPT on NODE fails with STDERR (once: putting things back there works).</summary>
    public void Fail(string node, string script, string stderr) => _failures[(node, script)] = stderr;

    public Task<IReadOnlyList<MonitoredCluster>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<MonitoredCluster>>([new MonitoredCluster(1, "nas1", [Target("node1"), Target("node2")])]);

    private static SshTarget Target(string name) => new(name, "192.0.2.1", 22, "root", SshAuth.WithPassword("-"), "SHA256:pinned");

    public Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
    {
        _runs.Enqueue((target.Name, argv, options.StandardInput));
        var failure = argv.Count > 3 && _failures.TryRemove((target.Name, argv[3]), out var stderr) ? stderr : null;
        // Anything else the console asks (the monitor's crm_mon) finds no cluster here.
        var known = argv.Count > 3 && argv[3].StartsWith("storageha-", StringComparison.Ordinal);
        return Task.FromResult(failure is not null ? new CommandResult(3, "", failure, TimeSpan.FromMilliseconds(5))
            : known ? new CommandResult(0, "", "", TimeSpan.FromMilliseconds(5)) : new CommandResult(1, "", "no cluster here", TimeSpan.FromMilliseconds(5)));
    }

    public Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default) =>
        throw new NotSupportedException("local accounts never fetch host keys");

    public Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default) =>
        throw new NotSupportedException("local accounts never upload");
}
