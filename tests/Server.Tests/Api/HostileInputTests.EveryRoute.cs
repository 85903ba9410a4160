using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace StorageHa.Server.Tests.Api;

/// <summary>
/// Every route that takes a name, path, address or text (src/Server/Api/*.cs, the OpenAPI document), each field attacked
/// with what would bend a config file or fool an admin's eye: a trailing newline, a carriage return, a direction override,
/// zero-width characters; then the values each kind of field must refuse by meaning. Each is a 400 naming the field, and
/// nothing is stored.
/// </summary>
public sealed partial class HostileInputTests
{
    /// <summary>A route, a body valid but for the one field attacked, and the fields in it with a value they accept.</summary>
    private sealed record Route(string Method, string Path, string Body, params (string Field, string Good)[] Fields);

    private const string Spec = """
        {"name":"target","nodes":[{"name":"node1","address":"192.0.2.11","sshUser":"root"}],"virtualIps":[{"address":"192.0.2.101","nic":"eth0"}],
         "shares":[{"name":"team","path":"/srv/team","comment":"Team files","validUsers":"alice @staff"}],"exports":[{"path":"/srv/nfs","clients":"192.0.2.0/24"}],
         "nic":"eth0","sharedState":{"recoveryLock":"/srv/state/reclock","ganeshaState":"/srv/state/ganesha"}}
        """;

    private static readonly Route[] Routes =
    [
        new("POST", "clusters", """{"name":"nas9","description":"Finance"}""", ("name", "nas9"), ("description", "Finance")),
        new("PUT", "clusters/{cluster}", """{"name":"target","description":"Finance"}""", ("name", "target"), ("description", "Finance")),
        new("PUT", "clusters/{cluster}/spec", Spec, ("name", "target"), ("description", "Finance"), ("nodes[0].name", "node1"), ("nodes[0].address", "192.0.2.11"),
            ("nodes[0].sshUser", "root"), ("virtualIps[0].address", "192.0.2.101"), ("virtualIps[0].nic", "eth0"), ("shares[0].name", "team"), ("shares[0].path", "/srv/team"),
            ("shares[0].comment", "Team files"), ("shares[0].validUsers", "alice @staff"), ("exports[0].path", "/srv/nfs"), ("exports[0].clients", "192.0.2.0/24"),
            ("nic", "eth0"), ("sharedState.recoveryLock", "/srv/state/reclock"), ("sharedState.ganeshaState", "/srv/state/ganesha")),
        new("POST", "clusters/{cluster}/nodes", """{"name":"node2","address":"192.0.2.12"}""", ("name", "node2"), ("address", "192.0.2.12"), ("sshUser", "root")),
        new("PUT", "clusters/{cluster}/nodes/{node}", """{"name":"node1","address":"192.0.2.11"}""", ("name", "node1"), ("address", "192.0.2.11"), ("sshUser", "root")),
        new("POST", "clusters/{cluster}/vips", """{"address":"192.0.2.102","prefix":24}""", ("address", "192.0.2.102"), ("nic", "eth0")),
        new("PUT", "clusters/{cluster}/vips/{vip}", """{"address":"192.0.2.101","prefix":24}""", ("address", "192.0.2.101"), ("nic", "eth0")),
        new("POST", "clusters/{cluster}/shares", """{"name":"docs","path":"/srv/docs"}""", ("name", "docs"), ("path", "/srv/docs"), ("comment", "Docs"), ("validUsers", "alice")),
        new("PUT", "clusters/{cluster}/shares/{share}", """{"name":"team","path":"/srv/team"}""", ("name", "team"), ("path", "/srv/team"), ("comment", "Docs"), ("validUsers", "alice")),
        new("POST", "clusters/{cluster}/exports", """{"path":"/srv/nfs2"}""", ("path", "/srv/nfs2"), ("clients", "192.0.2.0/24")),
        new("PUT", "clusters/{cluster}/exports/{export}", """{"path":"/srv/nfs"}""", ("path", "/srv/nfs"), ("clients", "*")),
        new("PUT", "clusters/{cluster}/settings", "{}", ("nic", "eth0"), ("sharedState.recoveryLock", "/srv/state/reclock"), ("sharedState.ganeshaState", "/srv/state/ganesha")),
        new("PATCH", "clusters/{cluster}/settings", "{}", ("nic", "eth0"), ("sharedState.recoveryLock", "/srv/state/reclock")),
        new("POST", "credentials/generate-key", """{"name":"k"}""", ("name", "k")),
        new("POST", "credentials/password", """{"name":"p","password":"secret"}""", ("name", "p")),
        new("POST", "users", """{"userName":"bob","password":"a long enough password","role":"Viewer"}""", ("userName", "bob")),
        new("POST", "tokens", """{"userId":1,"name":"script"}""", ("name", "script")),
        new("POST", "auth/token", """{"userName":"admin","password":"x","name":"script"}""", ("name", "script")),
        new("POST", "clusters/{cluster}/nodes/{node}/answering", """{"addresses":["192.0.2.50"]}""", ("addresses[0]", "192.0.2.50")),
        new("POST", "clusters/{cluster}/resources/vip1/move", """{"node":"node2"}""", ("node", "node2")),
        new("POST", "clusters/{cluster}/resources/vip1/cleanup", """{"node":"node2"}""", ("node", "node2")),
        new("POST", "clusters/{cluster}/simulate-failure", """{"fail":["node2"]}""", ("fail[0]", "node2")),
        new("POST", "clusters/{cluster}/drills", """{"vip":"192.0.2.101"}""", ("vip", "192.0.2.101")),
        new("POST", "clusters/{cluster}/users", """{"name":"alice","password":"an SMB password"}""", ("name", "alice"), ("fullName", "Alice Martin")),
        new("POST", "clusters/{cluster}/groups", """{"name":"team"}""", ("name", "team")),
    ];

    // Each bends a config file (a line that goes on) or what an admin reads (text shown otherwise than it is).
    private static readonly (string Name, Func<string, string> Bend)[] Bends =
    [
        ("trailing newline", good => good + "\n"), ("trailing CR LF", good => good + "\r\n"), ("right-to-left override", good => good + "\u202E"),
        ("zero-width space", good => good[..1] + "\u200B" + good[1..]), ("byte order mark", good => "\uFEFF" + good),
    ];

    public static TheoryData<string, string, string, string> EveryRouteCases()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var route in Routes)
            foreach (var (field, good) in route.Fields)
                foreach (var (_, bend) in Bends)
                    data.Add(route.Method, route.Path, With(route.Body, field, bend(good)), field);
        return data;
    }

    /// <summary>Values each kind of field must refuse for what they mean, not for how they are written.</summary>
    public static TheoryData<string, string, string, string> MeaningCases()
    {
        var data = new TheoryData<string, string, string, string>();
        string[] notVips = ["0.0.0.0", "255.255.255.255", "224.0.0.1", "239.1.2.3", "::", "127.0.0.1", "::1", "ff02::1", "::ffff:127.0.0.1"];
        string[] notNodes = ["0x7f.0.0.1", "0177.0.0.1", "127.1", "2130706433", "node.0x7f", "0.0.0.0", "255.255.255.255", "224.0.0.5", "::"];
        string[] notServed = ["/", "/etc", "/etc/samba", "/root/.ssh", "/proc", "/sys/kernel", "/dev", "/boot", "/usr/bin", "/var/lib", "/lib64", "//etc", "/./etc", "/srv/a/"];
        foreach (var (method, path) in new[] { ("POST", "clusters/{cluster}/vips"), ("PUT", "clusters/{cluster}/vips/{vip}") })
            foreach (var vip in notVips) data.Add(method, path, $$"""{"address":"{{vip}}","prefix":24}""", "address");
        foreach (var (method, path, name) in new[] { ("POST", "clusters/{cluster}/nodes", "node2"), ("PUT", "clusters/{cluster}/nodes/{node}", "node1") })
            foreach (var node in notNodes) data.Add(method, path, $$"""{"name":"{{name}}","address":"{{node}}"}""", "address");
        foreach (var (method, path, name) in new[] { ("POST", "clusters/{cluster}/shares", "docs"), ("PUT", "clusters/{cluster}/shares/{share}", "team") })
        {
            foreach (var dir in notServed) data.Add(method, path, $$"""{"name":"{{name}}","path":"{{dir}}"}""", "path");
            foreach (var comment in new[] { @"Team files\\", @"Team files \\", " Team files", "Team files " })
                data.Add(method, path, $$"""{"name":"{{name}}","path":"/srv/x","comment":"{{comment}}"}""", "comment");
            foreach (var users in new[] { @"alice\\", @"alice @staff \\", @"\\alice" })
                data.Add(method, path, $$"""{"name":"{{name}}","path":"/srv/x","validUsers":"{{users}}"}""", "validUsers");
        }
        foreach (var (method, path, good) in new[] { ("POST", "clusters/{cluster}/exports", "/srv/nfs2"), ("PUT", "clusters/{cluster}/exports/{export}", "/srv/nfs") })
        {
            foreach (var dir in notServed) data.Add(method, path, $$"""{"path":"{{dir}}"}""", "path");
            foreach (var clients in new[] { "0x7f.0.0.1", "\\n*", "192.0.2.0/24,\\n192.0.3.0/24", "a\\\"b" })
                data.Add(method, path, $$"""{"path":"{{good}}","clients":"{{clients}}"}""", "clients");
        }
        foreach (var vip in notVips.Take(4))
            data.Add("PUT", "clusters/{cluster}/spec", With(Spec, "virtualIps[0].address", vip), "virtualIps[0].address");
        data.Add("PUT", "clusters/{cluster}/spec", With(Spec, "nodes[0].address", "0x7f.0.0.1"), "nodes[0].address");
        data.Add("PUT", "clusters/{cluster}/spec", With(Spec, "shares[0].path", "/etc"), "shares[0].path");
        data.Add("PUT", "clusters/{cluster}/spec", With(Spec, "exports[0].path", "/root"), "exports[0].path");
        data.Add("PUT", "clusters/{cluster}/spec", With(Spec, "shares[0].comment", @"Team\"), "shares[0].comment");
        // A private key that is only its BEGIN and END lines around garbage.
        foreach (var fake in new[]
        {
            "-----BEGIN OPENSSH PRIVATE KEY-----\\ngarbage\\n-----END OPENSSH PRIVATE KEY-----\\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\n-----END OPENSSH PRIVATE KEY-----\\n",
            "-----BEGIN RSA PRIVATE KEY-----\\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\\n-----END RSA PRIVATE KEY-----\\n",
            "-----BEGIN EC PRIVATE KEY-----\\nbm90IGEga2V5\\n-----END EC PRIVATE KEY-----\\n",
            "-----BEGIN PRIVATE KEY-----\\n-----END PRIVATE KEY-----\\n",
            "-----BEGIN OPENSSH PRIVATE KEY-----\\n-----END OPENSSH PRIVATE KEY-----",
        })
            data.Add("POST", "credentials/private-key", $$"""{"name":"fake","privateKey":"{{fake}}"}""", "privateKey");
        foreach (var fingerprint in new[] { "MD5:16:27:ac:a5:76", "sha1:abc", "", "SHA256:" + new string('a', 200) })
            data.Add("POST", "clusters/{cluster}/nodes/{node}/hostkey", $$"""{"fingerprint":"{{fingerprint}}"}""", "fingerprint");
        data.Add("POST", "clusters/{cluster}/nodes/{node}/install-key", """{"password":""}""", "password");
        data.Add("POST", "clusters/{cluster}/nodes/{node}/answering", """{"addresses":[]}""", "addresses");
        data.Add("POST", "clusters/{cluster}/resources/vip1/move", """{"node":5}""", "node");
        data.Add("POST", "clusters/{cluster}/resources/vip1/move", """{"node":"node2","force":true}""", "force");
        data.Add("POST", "clusters/{cluster}/resources/vip1/move", """{"node":""", "node");
        data.Add("POST", "clusters/{cluster}/resources/--all/clear", "", "resource");
        data.Add("POST", "clusters/{cluster}/resources/vip1/move", "", "body");
        data.Add("POST", "clusters/{cluster}/simulate-failure", "", "body");
        data.Add("POST", "clusters/{cluster}/nodes/node1%0A/standby", "", "node");
        data.Add("POST", "clusters/{cluster}/nodes/node1%E2%80%AE/maintenance", "", "node");
        data.Add("POST", "clusters/{cluster}/simulate-failure", """{"fail":"node2"}""", "fail");
        data.Add("POST", "clusters/{cluster}/simulate-failure", """{"fail":["node1","node2","node3"]}""", "fail");
        data.Add("POST", "clusters/{cluster}/drift/import", """{"resource":"","virtualIp":{"address":"192.0.2.103"}}""", "resource");
        data.Add("POST", "clusters/{cluster}/drift/import", """{"resource":"vip-x","virtualIp":{"address":"127.0.0.1"}}""", "address");
        data.Add("PUT", "users/{user}/role", """{"role":"Root"}""", "role");
        data.Add("PUT", "users/{user}/role", """{"role":"Admin\n"}""", "role");
        data.Add("PUT", "users/{user}/role", """{"role":" Admin"}""", "role");
        data.Add("PUT", "users/{user}/role", """{"role":"Viewer, Admin"}""", "role");
        data.Add("POST", "clusters/{cluster}/exports", """{"path":"/srv/nfs3","access":"ReadOnly\n"}""", "access");
        data.Add("POST", "clusters", """{"name":"nas8","purpose":"Smb, Nfs"}""", "purpose");
        data.Add("PUT", "users/{user}/password", """{"password":""}""", "password");
        return data;
    }

    /// <summary>Query values that do not fit their parameter: a 400 that names the parameter.</summary>
    public static TheoryData<string, string, string, string> QueryCases() => new()
    {
        { "GET", "audit?take=many", "", "take" },
        { "GET", "audit?skip=-x", "", "skip" },
        { "GET", "audit?take=1.5", "", "take" },
        { "GET", "clusters/{cluster}/events?since=yesterday", "", "since" },
        { "GET", "clusters/{cluster}/events?take=ten", "", "take" },
        { "GET", "clusters/{cluster}/failovers?take=99999999999", "", "take" },
    };

    [Theory]
    [MemberData(nameof(EveryRouteCases))]
    [MemberData(nameof(MeaningCases))]
    [MemberData(nameof(QueryCases))]
    public async Task HostileValue_OnEveryRoute_Is400_NamingTheField_AndNothingIsStored(string method, string route, string json, string field)
    {
        var before = await Everything();
        var url = "/api/" + route.Replace("{cluster}", console.ClusterId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (name, id) in console.Ids) url = url.Replace($"{{{name}}}", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET") request.Content = new StringContent(json, Encoding.UTF8, "application/json");

        var response = await console.Admin.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {url} {json}: {(int)response.StatusCode} {body}");
        var fields = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.True(fields.Contains(field), $"{method} {url} {json}: expected {field} among {string.Join(", ", fields)}");
        Assert.Equal(before, await Everything());
    }

    /// <summary>The body with the field at <paramref name="path"/> (e.g. "nodes[0].address") set to <paramref name="value"/>.</summary>
    private static string With(string body, string path, string value)
    {
        var root = JsonNode.Parse(body)!;
        var parts = path.Split('.');
        JsonNode parent = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var (name, index) = parts[i].IndexOf('[') is var at and > 0 ? (parts[i][..at], int.Parse(parts[i][(at + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)) : (parts[i], -1);
            var last = i == parts.Length - 1;
            if (index < 0)
            {
                if (last) parent[name] = value;
                else parent = parent[name] ??= new JsonObject();
            }
            else
            {
                var list = (parent[name] ??= new JsonArray()).AsArray();
                while (list.Count <= index) list.Add(last ? null : new JsonObject());
                if (last) list[index] = value;
                else parent = list[index]!;
            }
        }
        return root.ToJsonString();
    }

    // Everything a request could store: the inventory, settings, credentials, users and tokens, as they are.
    private async Task<string> Everything()
    {
        await using var c = await console.Host.Database.OpenAsync();
        return string.Join('|', await c.QueryAsync<string>("""
            SELECT 'c' || id || name || purpose || coalesce(description, '') || coalesce(settings, '') FROM clusters
            UNION ALL SELECT 'n' || id || name || address || ssh_user || coalesce(host_key_fingerprint, '') FROM nodes
            UNION ALL SELECT 'v' || id || address || prefix || coalesce(nic, '') FROM virtual_ips
            UNION ALL SELECT 's' || id || name || path || coalesce(comment, '') || coalesce(valid_users, '') FROM shares
            UNION ALL SELECT 'e' || id || path || clients || access FROM exports
            UNION ALL SELECT 'k' || id || name || secret FROM credentials
            UNION ALL SELECT 'u' || id || user_name || password_hash || role FROM users
            UNION ALL SELECT 't' || id || token_hash FROM api_tokens
            UNION ALL SELECT 'a' || count(*) FROM audit_log WHERE action LIKE 'ssh.%' OR action LIKE 'cluster.operation%'
            ORDER BY 1
            """));
    }
}
