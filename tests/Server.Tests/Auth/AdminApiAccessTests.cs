using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Auth;

/// <summary>
/// Who may use the credential, user, token and settings routes: the role the page asks for, 403 below it, 401 without a
/// login. Credentials are read by everyone and changed by admins only, users and tokens are admins' alone, settings
/// are read by everyone and changed by operators.
/// </summary>
public sealed class AdminApiAccessTests(AdminApiAccessTests.Console console) : IClassFixture<AdminApiAccessTests.Console>
{
    public sealed class Console : IAsyncLifetime
    {
        public TestConsole Host { get; } = new();
        public Dictionary<Role, HttpClient> Clients { get; } = [];
        public long ClusterId { get; private set; }

        public async Task InitializeAsync()
        {
            foreach (var role in Enum.GetValues<Role>()) Clients[role] = await Host.ClientAsAsync(role);
            var created = await Clients[Role.Operator].PostAsJsonAsync("/api/clusters", new { name = "roles" });
            ClusterId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }

        public Task DisposeAsync() { Host.Dispose(); return Task.CompletedTask; }
    }

    public static TheoryData<string, string, string?, Role> Routes() => new()
    {
        { "GET", "/api/credentials", null, Role.Viewer },
        { "POST", "/api/credentials/generate-key", """{"name":"k-{n}"}""", Role.Admin },
        { "POST", "/api/credentials/private-key", """{"name":"k-{n}","privateKey":"-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----"}""", Role.Admin },
        { "POST", "/api/credentials/password", """{"name":"p-{n}","password":"a node password"}""", Role.Admin },
        { "DELETE", "/api/credentials/999", null, Role.Admin },
        { "POST", "/api/clusters/{cluster}/nodes/999/confirm-credential", null, Role.Admin },
        { "GET", "/api/users", null, Role.Admin },
        { "POST", "/api/users", """{"userName":"u{n}","password":"a long enough password","role":"Viewer"}""", Role.Admin },
        { "PUT", "/api/users/999/role", """{"role":"Admin"}""", Role.Admin },
        { "PUT", "/api/users/999/password", """{"password":"a long enough password"}""", Role.Admin },
        { "DELETE", "/api/users/999", null, Role.Admin },
        { "GET", "/api/tokens", null, Role.Admin },
        { "POST", "/api/tokens", """{"userId":1,"name":"t{n}"}""", Role.Admin },
        { "DELETE", "/api/tokens/999", null, Role.Admin },
        { "GET", "/api/clusters/{cluster}/settings", null, Role.Viewer },
        { "PUT", "/api/clusters/{cluster}/settings", """{"nic":"eth0"}""", Role.Operator },
        { "PATCH", "/api/clusters/{cluster}/settings", """{"nic":"eth1"}""", Role.Operator },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_IsOpenFromItsRole_Refused403Below_And401Anonymous(string method, string url, string? body, Role needed)
    {
        var anonymous = console.Host.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Request(method, url, body))).StatusCode);
        foreach (var role in Enum.GetValues<Role>())
        {
            var status = (await console.Clients[role].SendAsync(Request(method, url, body))).StatusCode;
            if (role < needed) Assert.True(status == HttpStatusCode.Forbidden, $"{role}: {status}");
            else Assert.True(status is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{role}: {status}");
        }
    }

    [Fact]
    public async Task Viewer_And_Operator_CannotCreateACredential_NorIsOneStored()
    {
        foreach (var role in new[] { Role.Viewer, Role.Operator })
            Assert.Equal(HttpStatusCode.Forbidden,
                (await console.Clients[role].PostAsJsonAsync("/api/credentials/password", new { name = $"sneaky-{role}", password = "x" })).StatusCode);
        var names = (await console.Clients[Role.Viewer].GetFromJsonAsync<JsonElement[]>("/api/credentials"))!.Select(c => c.GetProperty("name").GetString());
        Assert.DoesNotContain(names, n => n!.StartsWith("sneaky", StringComparison.Ordinal));
    }

    private HttpRequestMessage Request(string method, string url, string? body) =>
        new(new HttpMethod(method), url.Replace("{cluster}", console.ClusterId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            Content = body is null ? null : new StringContent(body.Replace("{n}", Guid.NewGuid().ToString("N")[..8]), Encoding.UTF8, "application/json"),
        };
}

/// <summary>The OpenAPI document describes every route with a summary, the new ones with examples, and the resource ids operations take.</summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task EveryApiRoute_HasASummary_TheNewOnesExamples_AndResourceIdsAreExplained()
    {
        var client = await _console.ClientAsAsync(Role.Viewer);
        var doc = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Route: $"{op.Name.ToUpperInvariant()} {path.Name}", Op: op.Value))).ToList();

        Assert.Empty(operations.Where(o => !o.Op.TryGetProperty("summary", out _)).Select(o => o.Route));
        foreach (var route in new[] { "POST /api/auth/token", "POST /api/credentials/generate-key", "POST /api/credentials/private-key", "POST /api/users", "POST /api/tokens", "PATCH /api/clusters/{id}/settings" })
        {
            var op = operations.Single(o => o.Route == route).Op;
            Assert.True(op.GetProperty("requestBody").GetProperty("content").EnumerateObject().All(m => m.Value.TryGetProperty("example", out _)), route);
        }
        var move = operations.Single(o => o.Route == "POST /api/clusters/{id}/resources/{rsc}/move").Op;
        Assert.Contains("vip-192.0.2.101", move.GetProperty("description").GetString());
        Assert.Contains(operations, o => o.Route == "POST /api/clusters/{id}/nodes/{nodeId}/helper");
    }

    [Fact]
    public async Task Enums_AreDescribedByTheNamesTheApiTakes()
    {
        var client = await _console.ClientAsAsync(Role.Viewer);
        var doc = await client.GetStringAsync("/openapi/v1.json");
        var schemas = JsonDocument.Parse(doc).RootElement.GetProperty("components").GetProperty("schemas");
        var role = schemas.GetProperty("Role");
        Assert.Equal("string", role.GetProperty("type").GetString());
        Assert.Equal(["Viewer", "Operator", "Admin"], role.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}
