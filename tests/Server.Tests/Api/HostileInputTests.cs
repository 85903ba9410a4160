using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Api;

/// <summary>Hostile and malformed values at the API: each is a 400 naming its field, and nothing is stored.</summary>
public sealed partial class HostileInputTests(HostileInputTests.Console console) : IClassFixture<HostileInputTests.Console>
{
    public sealed class Console : IAsyncLifetime
    {
        public TestConsole Host { get; } = new();
        public HttpClient Client { get; private set; } = null!;
        public HttpClient Admin { get; private set; } = null!;
        public long ClusterId { get; private set; }
        /// <summary>The ids of one node, VIP, share, export and user of the fixture, for the routes that change one.</summary>
        public IReadOnlyDictionary<string, long> Ids { get; private set; } = new Dictionary<string, long>();

        public async Task InitializeAsync()
        {
            Admin = await Host.ClientAsAsync(Role.Admin);
            Client = await Host.ClientAsAsync(Role.Operator);
            var created = await Client.PostAsJsonAsync("/api/clusters", new { name = "target" });
            ClusterId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            async Task<long> Add(string route, object body) =>
                (await (await Admin.PostAsJsonAsync(route, body)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            Ids = new Dictionary<string, long>
            {
                ["node"] = await Add($"/api/clusters/{ClusterId}/nodes", new { name = "node1", address = "192.0.2.11" }),
                ["vip"] = await Add($"/api/clusters/{ClusterId}/vips", new { address = "192.0.2.101", prefix = 24 }),
                ["share"] = await Add($"/api/clusters/{ClusterId}/shares", new { name = "team", path = "/srv/team" }),
                ["export"] = await Add($"/api/clusters/{ClusterId}/exports", new { path = "/srv/nfs" }),
                ["user"] = await Add("/api/users", new { userName = "alice", password = "a long enough password", role = "Operator" }),
            };
        }

        public Task DisposeAsync() { Host.Dispose(); return Task.CompletedTask; }
    }

    private static readonly string Huge = new('a', 10 * 1024 * 1024);

    public static TheoryData<string, string, string> Cases() => new()
    {
        // clusters
        { "clusters", """{"name":"a;rm -rf /"}""", "name" },
        { "clusters", """{"name":"$(reboot)"}""", "name" },
        { "clusters", """{"name":"`id`"}""", "name" },
        { "clusters", """{"name":""}""", "name" },
        { "clusters", $$"""{"name":"{{new string('x', 64)}}"}""", "name" },
        { "clusters", $$"""{"name":"{{Huge}}"}""", "name" },
        { "clusters", """{"name":"ok","bogus":1}""", "bogus" },
        { "clusters", """{"name":123}""", "name" },
        { "clusters", """{"name":"ok","purpose":"Tape"}""", "purpose" },
        { "clusters", """{"name":"ok","purpose":5}""", "purpose" },
        { "clusters", """{}""", "name" },
        { "clusters", """{"name":"ok","description":"line\nbreak"}""", "description" },
        { "clusters", """{"name":null}""", "name" },
        { "clusters", """{"name":"nas\u0000"}""", "name" },
        { "clusters", """{"name":"ünïcode"}""", "name" },
        // nodes
        { "nodes", """{"name":"n1","address":"10.0.0.256"}""", "address" },
        { "nodes", """{"name":"n1","address":"::g"}""", "address" },
        { "nodes", """{"name":"n1","address":"1.2.3"}""", "address" },
        { "nodes", """{"name":"n1","address":"10.0.0.1; reboot"}""", "address" },
        { "nodes", """{"name":"n1","address":"$(curl evil)"}""", "address" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshPort":0}""", "sshPort" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshPort":70000}""", "sshPort" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshPort":-1}""", "sshPort" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshPort":"22"}""", "sshPort" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshPort":1.5}""", "sshPort" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshUser":"root;id"}""", "sshUser" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshUser":""}""", "sshUser" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","sshUser":"Root"}""", "sshUser" },
        { "nodes", """{"name":"node 1","address":"10.0.0.1"}""", "name" },
        { "nodes", """{"name":"-node","address":"10.0.0.1"}""", "name" },
        { "nodes", """{"name":"node'1","address":"10.0.0.1"}""", "name" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","credentialId":"abc"}""", "credentialId" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","credentialId":999}""", "credentialId" },
        { "nodes", $$"""{"name":"n1","address":"{{Huge}}"}""", "address" },
        { "nodes", """{"name":"n1","address":"10.0.0.1","hostKey":"SHA256:x"}""", "hostKey" },
        { "nodes", """{"name":"n1","address":""}""", "address" },
        { "nodes", """{"name":"n1"}""", "address" },
        // virtual IPs
        { "vips", """{"address":"10.0.0.256"}""", "address" },
        { "vips", """{"address":"::g"}""", "address" },
        { "vips", """{"address":"10.0.0.10","prefix":33}""", "prefix" },
        { "vips", """{"address":"10.0.0.10","prefix":0}""", "prefix" },
        { "vips", """{"address":"fd00::10","prefix":129}""", "prefix" },
        { "vips", """{"address":"10.0.0.10","nic":"eth0; reboot"}""", "nic" },
        { "vips", """{"address":"10.0.0.10","nic":"averyveryverylongnicname"}""", "nic" },
        { "vips", """{"address":"example.com"}""", "address" },
        { "vips", """{"address":"10.0.0.10","prefix":"24"}""", "prefix" },
        { "vips", """{"address":"fe80::1%eth0"}""", "address" },
        // shares
        { "shares", """{"name":"global","path":"/srv/a"}""", "name" },
        { "shares", """{"name":"a/b","path":"/srv/a"}""", "name" },
        { "shares", """{"name":"docs","path":"relative/path"}""", "path" },
        { "shares", """{"name":"docs","path":"/srv/../etc"}""", "path" },
        { "shares", """{"name":"docs","path":"/srv/$(reboot)"}""", "path" },
        { "shares", """{"name":"docs","path":"/srv/`id`"}""", "path" },
        { "shares", """{"name":"docs","path":"/srv/a","comment":"multi\nline"}""", "comment" },
        { "shares", $$"""{"name":"docs","path":"/srv/a","comment":"{{Huge}}"}""", "comment" },
        { "shares", """{"name":"docs","path":"/srv/a","validUsers":"alice;bob"}""", "validUsers" },
        { "shares", """{"name":"docs","path":"/srv/a","readOnly":"yes"}""", "readOnly" },
        // exports
        { "exports", """{"path":"/srv/nfs","clients":"10.0.0.0/33"}""", "clients" },
        { "exports", """{"path":"/srv/nfs","clients":"a;b"}""", "clients" },
        { "exports", """{"path":"/exp\nort","clients":"*"}""", "path" },
        { "exports", """{"path":"/srv/nfs","access":"Write"}""", "access" },
        { "exports", """{"path":"/srv/nfs","clients":""}""", "clients" },
        // not JSON at all
        { "shares", """{"name":"docs",""", "body" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileValue_Is400_NamingTheField_AndNothingIsStored(string collection, string json, string field)
    {
        var before = await CountRows();
        var url = collection == "clusters" ? "/api/clusters" : $"/api/clusters/{console.ClusterId}/{collection}";
        var response = await console.Client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains(field, fields);
        Assert.Equal(before, await CountRows());
    }

    private const string DamagedKey = "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAA\\n-----END OPENSSH PRIVATE KEY-----\\n";

    /// <summary>The routes of the Credentials, Users and Settings pages, and the sign-in: (method, route, body, the field named).</summary>
    public static TheoryData<string, string, string, string> AdminCases() => new()
    {
        // credentials
        { "POST", "credentials/private-key", $$"""{"name":"k","privateKey":"{{DamagedKey}}"}""", "privateKey" },
        { "POST", "credentials/private-key", """{"name":"k","privateKey":"ssh-ed25519 AAAAC3Nza public key, not private"}""", "privateKey" },
        { "POST", "credentials/private-key", $$"""{"name":"k","privateKey":"{{Huge}}"}""", "privateKey" },
        { "POST", "credentials/private-key", """{"name":"k","privateKey":123}""", "privateKey" },
        { "POST", "credentials/private-key", """{"name":"k"}""", "privateKey" },
        { "POST", "credentials/private-key", $$"""{"name":"k","privateKey":"{{DamagedKey}}","passphrase":"{{Huge}}"}""", "passphrase" },
        { "POST", "credentials/private-key", $$"""{"name":"k","privateKey":"{{DamagedKey}}","publicKey":"x"}""", "publicKey" },
        { "POST", "credentials/password", """{"name":"p","password":""}""", "password" },
        { "POST", "credentials/password", $$"""{"name":"p","password":"{{Huge}}"}""", "password" },
        { "POST", "credentials/password", """{"name":"p","password":5}""", "password" },
        { "POST", "credentials/password", """{"name":"a;reboot","password":"x"}""", "name" },
        { "POST", "credentials/password", """{"name":"p","password":"x","kind":"PrivateKey"}""", "kind" },
        { "POST", "credentials/generate-key", """{"name":""}""", "name" },
        { "POST", "credentials/generate-key", """{"name":"$(id)"}""", "name" },
        { "POST", "credentials/generate-key", """{}""", "name" },
        { "POST", "credentials/generate-key", """{"name":"k","type":"rsa"}""", "type" },
        // users and tokens
        { "POST", "users", """{"userName":"Bob","password":"a long enough password","role":"Viewer"}""", "userName" },
        { "POST", "users", """{"userName":"bob","password":"short","role":"Viewer"}""", "password" },
        { "POST", "users", $$"""{"userName":"bob","password":"{{Huge}}","role":"Viewer"}""", "password" },
        { "POST", "users", """{"userName":"bob","password":"a long enough password","role":"Root"}""", "role" },
        { "POST", "users", """{"userName":"bob","password":"a long enough password","role":2}""", "role" },
        { "POST", "users", """{"userName":"bob","password":"a long enough password"}""", "role" },
        { "POST", "users", """{"userName":"bob","password":"a long enough password","role":"Viewer","isAdmin":true}""", "isAdmin" },
        { "PUT", "users/1/role", """{"role":"God"}""", "role" },
        { "PUT", "users/1/password", """{"password":"short"}""", "password" },
        { "PUT", "users/1/password", """{"password":["a long enough password"]}""", "password" },
        { "POST", "tokens", """{"userId":1,"name":""}""", "name" },
        { "POST", "tokens", """{"userId":"1","name":"x"}""", "userId" },
        { "POST", "tokens", """{"userId":1,"name":"a\nb"}""", "name" },
        { "POST", "tokens", $$"""{"userId":1,"name":"{{Huge}}"}""", "name" },
        { "POST", "tokens", """{"userId":1,"name":"x","secret":"sha_chosen"}""", "secret" },
        { "POST", "auth/token", """{"userName":"admin","password":"x","name":""}""", "name" },
        { "POST", "auth/token", $$"""{"userName":"{{Huge}}","password":"x","name":"t"}""", "userName" },
        { "POST", "auth/token", $$"""{"userName":"admin","password":"{{Huge}}","name":"t"}""", "password" },
        { "POST", "auth/token", """{"userName":"admin","password":"x","name":"t","role":"Admin"}""", "role" },
        { "POST", "auth/token", """{"userName":"admin","name":"t"}""", "password" },
        // settings
        { "PUT", "clusters/{cluster}/settings", """{"nic":"eth0; reboot"}""", "nic" },
        { "PUT", "clusters/{cluster}/settings", """{"ctdbTunables":{"Bad Name":1}}""", "ctdbTunables.Bad Name" },
        { "PUT", "clusters/{cluster}/settings", """{"ctdbTunables":{"KeepaliveInterval":"1"}}""", "ctdbTunables.KeepaliveInterval" },
        { "PUT", "clusters/{cluster}/settings", """{"sharedState":{"recoveryLock":"relative/reclock"}}""", "sharedState.recoveryLock" },
        { "PUT", "clusters/{cluster}/settings", $$$"""{"sharedState":{"ganeshaState":"/srv/{{{Huge}}}"}}""", "sharedState.ganeshaState" },
        { "PUT", "clusters/{cluster}/settings", """{"corosync":{"tokenMs":5}}""", "corosync.tokenMs" },
        { "PUT", "clusters/{cluster}/settings", """{"fencing":{"devices":[{"name":"f1","agent":"rm -rf /"}]}}""", "fencing.devices[0].agent" },
        { "PUT", "clusters/{cluster}/settings", """{"fencing":{"devices":[{"name":"f1","agent":"fence_ipmilan","nodes":["elsewhere"]}]}}""", "fencing.devices[0].nodes" },
        { "PUT", "clusters/{cluster}/settings", """{"netBios":"yes"}""", "netBios" },
        { "PUT", "clusters/{cluster}/settings", """{"bogus":1}""", "bogus" },
        { "PATCH", "clusters/{cluster}/settings", """{"nic":"eth0; reboot"}""", "nic" },
        { "PATCH", "clusters/{cluster}/settings", """{"bogus":1}""", "bogus" },
        { "PATCH", "clusters/{cluster}/settings", """{"sharedState":{"recoveryLock":"/srv/../etc/x"}}""", "sharedState.recoveryLock" },
        { "PATCH", "clusters/{cluster}/settings", """{"ctdbTunables":{"KeepaliveInterval":1.5}}""", "ctdbTunables.KeepaliveInterval" },
        { "PATCH", "clusters/{cluster}/settings", """[1,2]""", "body" },
    };

    [Theory]
    [MemberData(nameof(AdminCases))]
    public async Task HostileValue_OnAdminAndSettingsRoutes_Is400_NamingTheField_AndNothingIsStored(string method, string route, string json, string field)
    {
        var before = await Snapshot();
        var url = "/api/" + route.Replace("{cluster}", console.ClusterId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var response = await console.Admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(field, problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(before, await Snapshot());
    }

    // Credentials, users, tokens and every cluster's settings, as they are stored.
    private async Task<string> Snapshot()
    {
        await using var c = await console.Host.Database.OpenAsync();
        return string.Join('|', await c.QueryAsync<string>(
            "SELECT 'c' || id || name || secret FROM credentials UNION ALL SELECT 'u' || id || user_name || password_hash || role FROM users " +
            "UNION ALL SELECT 't' || id || token_hash FROM api_tokens UNION ALL SELECT 's' || id || coalesce(settings, '') FROM clusters ORDER BY 1"));
    }

    [Fact]
    public async Task A17MbBody_IsA413_AndNothingIsStored()
    {
        var before = await CountRows();
        var body = new ByteArrayContent(new byte[17 * 1024 * 1024]);
        body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await console.Client.PostAsync("/api/clusters", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountRows());
    }

    [Fact]
    public async Task NonJsonBody_IsRefused_AsUnsupported()
    {
        var before = await CountRows();
        var response = await console.Client.PostAsync("/api/clusters", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await CountRows());
    }

    private async Task<long> CountRows()
    {
        await using var c = await console.Host.Database.OpenAsync();
        // Everything the inventory holds, plus any command that might have reached a node.
        return await c.ExecuteScalarAsync<long>(
            "SELECT (SELECT count(*) FROM clusters) + (SELECT count(*) FROM nodes) + (SELECT count(*) FROM virtual_ips) + (SELECT count(*) FROM shares) + (SELECT count(*) FROM exports) + (SELECT count(*) FROM audit_log WHERE action LIKE 'ssh.%')");
    }
}
