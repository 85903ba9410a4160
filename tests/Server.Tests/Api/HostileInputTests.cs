using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Api;

/// <summary>Hostile and malformed values at the API: each is a 400 naming its field, and nothing is stored.</summary>
public sealed class HostileInputTests(HostileInputTests.Console console) : IClassFixture<HostileInputTests.Console>
{
    public sealed class Console : IAsyncLifetime
    {
        public TestConsole Host { get; } = new();
        public HttpClient Client { get; private set; } = null!;
        public long ClusterId { get; private set; }

        public async Task InitializeAsync()
        {
            Client = await Host.ClientAsAsync(Role.Operator);
            var created = await Client.PostAsJsonAsync("/api/clusters", new { name = "target" });
            ClusterId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
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
