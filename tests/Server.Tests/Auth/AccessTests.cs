using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Auth;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Auth;

public sealed class AccessTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    private HttpClient Anonymous() => _console.Anonymous();

    [Theory]
    [InlineData("GET", "/api/clusters")]
    [InlineData("POST", "/api/clusters")]
    [InlineData("GET", "/api/audit")]
    [InlineData("GET", "/openapi/v1.json")]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    public async Task UnauthenticatedMachineRequests_Get401(string method, string url)
    {
        var response = await Anonymous().SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/clusters")]
    [InlineData("/audit")]
    public async Task UnauthenticatedPages_RedirectToLogin(string url)
    {
        var response = await Anonymous().GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/account/login")]
    public async Task HealthAndLogin_AreOpen(string url) =>
        Assert.Equal(HttpStatusCode.OK, (await Anonymous().GetAsync(url)).StatusCode);

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi_ForSignedInUsers()
    {
        var client = await _console.ClientAsAsync(Role.Viewer);
        var doc = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/clusters/{id}/nodes/{nodeId}/probe", doc);
        Assert.Contains("/api/clusters/{id}/spec", doc);
    }

    [Fact]
    public async Task Viewer_CanRead_ButNotChange()
    {
        var viewer = await _console.ClientAsAsync(Role.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).StatusCode);
    }

    [Fact]
    public async Task Operator_CanChangeTheInventory()
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).StatusCode);
    }

    [Fact]
    public async Task RevokedToken_IsRefused()
    {
        var admin = await _console.ClientAsAsync(Role.Admin);
        using var scope = _console.Services.CreateScope();
        var users = _console.AsSystem<UserDirectory>(scope);
        var tokens = await users.ListTokensAsync();
        foreach (var t in tokens) await users.RevokeTokenAsync(t.Id);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/clusters")).StatusCode);
    }

    [Fact]
    public async Task Passwords_AreStoredHashed()
    {
        using var scope = _console.Services.CreateScope();
        await _console.AsSystem<UserDirectory>(scope).CreateAsync("dave", "plain text secret", Role.Viewer);
        await using var c = await _console.Database.OpenAsync();
        var hash = await Dapper.SqlMapper.ExecuteScalarAsync<string>(c, "SELECT password_hash FROM users WHERE user_name = 'dave'");
        Assert.DoesNotContain("plain text secret", hash);
        Assert.Equal(SignInOutcome.Success, (await _console.AsSystem<UserDirectory>(scope).SignInAsync("dave", "plain text secret", client: null)).Outcome);
    }
}

public sealed class FirstRunTests : IDisposable
{
    private readonly TestConsole _console = new() { WithAdmin = false };

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task WithoutAnAdmin_PagesLeadToSetup_AndTheApiSaysSo()
    {
        var client = _console.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetAsync("/clusters");
        Assert.Equal("/account/setup", page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/setup")).StatusCode);
    }

    [Fact]
    public async Task TheFirstAdmin_CanBeCreatedOnlyOnce()
    {
        using var scope = _console.Services.CreateScope();
        var users = _console.AsSystem<UserDirectory>(scope);
        await users.CreateFirstAdminAsync("admin", "a long enough password");
        await Assert.ThrowsAsync<StorageHa.Shared.Validation.ConflictException>(() => users.CreateFirstAdminAsync("mallory", "another long password"));
    }
}
