using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Auth;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Auth;

/// <summary>POST /api/auth/token: a script signs in with a password and works with the token it gets, until an admin revokes it.</summary>
public sealed class TokenSignInTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    private HttpClient Anonymous() => _console.Anonymous();

    private Task<HttpResponseMessage> SignInAsync(string userName, string password, string name = "script") =>
        Anonymous().PostAsJsonAsync("/api/auth/token", new { userName, password, name });

    private async Task CreateUserAsync(string name, string password, Role role)
    {
        using var scope = _console.Services.CreateScope();
        await _console.AsSystem<UserDirectory>(scope).CreateAsync(name, password, role);
    }

    private HttpClient WithToken(string secret)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    [Fact]
    public async Task SignedInToken_Works_AsBearer_UntilRevoked_Then401()
    {
        var signIn = await SignInAsync("admin", TestConsole.AdminPassword, "deploy-script");
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        var issued = await signIn.Content.ReadFromJsonAsync<JsonElement>();
        var secret = issued.GetProperty("secret").GetString()!;
        var tokenId = issued.GetProperty("token").GetProperty("id").GetInt64();
        Assert.StartsWith("sha_", secret);
        var script = WithToken(secret);

        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await script.DeleteAsync($"/api/tokens/{tokenId}")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/clusters")).StatusCode);
    }

    [Fact]
    public async Task Token_ActsWithItsUsersRole()
    {
        await CreateUserAsync("vera", "vera's long password", Role.Viewer);
        var secret = (await (await SignInAsync("vera", "vera's long password")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var viewer = WithToken(secret);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/clusters", new { name = "nas" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/credentials/generate-key", new { name = "k" })).StatusCode);
    }

    [Fact]
    public async Task WrongPassword_And_UnknownUser_Get_TheSame401_NoToken_AndAreAudited()
    {
        var wrongPassword = await SignInAsync("admin", "not the password");
        var unknownUser = await SignInAsync("nobody", TestConsole.AdminPassword);

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownUser.StatusCode);
        Assert.Equal(Title(await wrongPassword.Content.ReadFromJsonAsync<JsonElement>()), Title(await unknownUser.Content.ReadFromJsonAsync<JsonElement>()));
        await using var c = await _console.Database.OpenAsync();
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM api_tokens"));
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'login.failed'"));
    }

    [Fact]
    public async Task Success_IsAudited_AsTheUser_NamingTheToken()
    {
        await SignInAsync("admin", TestConsole.AdminPassword, "nightly-backup");

        await using var c = await _console.Database.OpenAsync();
        var line = await c.QuerySingleAsync<(string Actor, string Target, string Detail)>("SELECT actor, target, detail FROM audit_log WHERE action = 'token.sign-in'");
        Assert.Equal(("admin", "admin", "nightly-backup"), line);
    }

    private static string? Title(JsonElement problem) => problem.GetProperty("title").GetString();
}
