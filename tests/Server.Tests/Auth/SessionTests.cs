using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Auth;
using StorageHa.Server.Hubs;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.TestSupport;

namespace StorageHa.Server.Tests.Auth;

/// <summary>
/// A browser session is a row in the database, re-read on every request: whatever an admin changes about a user, or the
/// user's own logout, counts from that user's very next request, on the API, the pages and the hub.
/// </summary>
public sealed class SessionTests : IDisposable
{
    private const string Password = "olga's long password";
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    private async Task<long> CreateUserAsync(Role role)
    {
        using var scope = _console.Services.CreateScope();
        return (await _console.AsSystem<UserDirectory>(scope).CreateAsync("olga", Password, role)).Id;
    }

    private async Task AsAdminAsync(Func<UserDirectory, Task> change)
    {
        using var scope = _console.Services.CreateScope();
        await change(_console.AsSystem<UserDirectory>(scope));
    }

    [Fact]
    public async Task ARemovedUsersCookie_IsRefused_OnTheNextRequest()
    {
        var id = await CreateUserAsync(Role.Operator);
        var olga = await _console.SignedInBrowserAsync("olga", Password);
        Assert.Equal(HttpStatusCode.OK, (await olga.GetAsync("/api/clusters")).StatusCode);

        await AsAdminAsync(users => users.DeleteAsync(id));

        Assert.Equal(HttpStatusCode.Unauthorized, (await olga.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await olga.GetAsync("/api/clusters")).StatusCode);
        var page = await olga.GetAsync("/clusters");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/login", page.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task ADemotedOperatorsCookie_CannotWrite()
    {
        var id = await CreateUserAsync(Role.Operator);
        var olga = await _console.SignedInBrowserAsync("olga", Password);
        Assert.Equal(HttpStatusCode.Created, (await olga.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).StatusCode);

        await AsAdminAsync(users => users.SetRoleAsync(id, Role.Viewer));

        Assert.Equal(HttpStatusCode.Forbidden, (await olga.PostAsJsonAsync("/api/clusters", new { name = "nas2" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await olga.GetAsync("/api/clusters")).StatusCode); // still a viewer
    }

    [Fact]
    public async Task APasswordReset_EndsTheOldSession()
    {
        var id = await CreateUserAsync(Role.Operator);
        var olga = await _console.SignedInBrowserAsync("olga", Password);

        await AsAdminAsync(users => users.SetPasswordAsync(id, "a brand new long password"));

        Assert.Equal(HttpStatusCode.Unauthorized, (await olga.GetAsync("/api/clusters")).StatusCode);
    }

    [Fact]
    public async Task ACookieCapturedBeforeLogout_IsRefusedAfter()
    {
        await CreateUserAsync(Role.Operator);
        var olga = _console.Browser();
        var signIn = await LoginForm.SignInAsync(olga, "olga", Password);
        var captured = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthSetup.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
        var thief = _console.Anonymous();
        thief.DefaultRequestHeaders.Add("Cookie", captured);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/clusters")).StatusCode);

        var logout = await LoginForm.SignOutAsync(olga);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/clusters")).StatusCode);
    }

    [Fact]
    public async Task LogoutWithoutTheAntiforgeryToken_IsABadRequest_NotA500()
    {
        var admin = await _console.SignedInBrowserAsync("admin", TestConsole.AdminPassword);

        var bare = await admin.PostAsync("/account/logout", null);
        var wrongToken = await admin.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = "forged" }));

        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/clusters")).StatusCode); // and not signed out by it
    }

    [Fact]
    public async Task AnOpenCircuit_OfARemovedOrDemotedUser_CannotWrite()
    {
        var id = await CreateUserAsync(Role.Operator);
        // Signed in as the cookie handler does it; the circuit keeps the principal it was opened with, and pages act through ICurrentActor.
        var sessions = _console.Services.GetRequiredService<BrowserSessions>();
        var key = await sessions.StoreAsync(new AuthenticationTicket(UserDirectory.Principal("olga", Role.Operator, "password"), "Cookies"));
        var opened = (await sessions.RetrieveAsync(key))!.Principal;
        var circuit = new ServiceCollection().AddSingleton<AuthenticationStateProvider>(new FixedState(opened)).BuildServiceProvider();
        var actor = new HttpOrCircuitActor(new HttpContextAccessor(), circuit, _console.Services.GetRequiredService<SignedInUsers>());
        Assert.Equal("olga", await actor.RequireAsync(Role.Operator));

        await AsAdminAsync(users => users.SetRoleAsync(id, Role.Viewer));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => actor.RequireAsync(Role.Operator));

        await AsAdminAsync(users => users.DeleteAsync(id));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => actor.RequireAsync(Role.Viewer));
    }

    [Fact]
    public async Task AnOpenPage_OfADemotedOrRemovedUser_NoLongerHolds()
    {
        var id = await CreateUserAsync(Role.Operator);
        var sessions = _console.Services.GetRequiredService<BrowserSessions>();
        var signedIn = _console.Services.GetRequiredService<SignedInUsers>();
        var key = await sessions.StoreAsync(new AuthenticationTicket(UserDirectory.Principal("olga", Role.Operator, "password"), "Cookies"));
        // What CircuitRevalidation asks every 30 s; false sends the page to the login page.
        var page = (await sessions.RetrieveAsync(key))!.Principal;
        Assert.True(await signedIn.StillHoldsAsync(page));

        await AsAdminAsync(users => users.SetRoleAsync(id, Role.Viewer));
        Assert.False(await signedIn.StillHoldsAsync(page));

        var viewerPage = (await sessions.RetrieveAsync(key))!.Principal;
        await AsAdminAsync(users => users.DeleteAsync(id));
        Assert.False(await signedIn.StillHoldsAsync(viewerPage));
    }

    [Fact]
    public async Task TheHub_RefusesACallOnAnEndedSession()
    {
        var id = await CreateUserAsync(Role.Viewer);
        var olga = _console.Browser();
        var signIn = await LoginForm.SignInAsync(olga, "olga", Password);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(AuthSetup.CookieName + "=", StringComparison.Ordinal)).Split(';')[0];
        await using var hub = ConnectToHub(o =>
        {
            o.Headers["Cookie"] = cookie;
            o.Headers["Origin"] = "http://localhost"; // a browser names its origin; without it the cookie is refused
        });
        await hub.StartAsync();
        await AssertHubAnswersAsync(hub);

        await AsAdminAsync(users => users.DeleteAsync(id));

        await AssertHubRefusesAsync(hub);
    }

    [Fact]
    public async Task TheHub_RefusesACallOnARevokedToken()
    {
        var script = await _console.ClientAsAsync(Role.Viewer);
        await using var hub = ConnectToHub(o => o.Headers["Authorization"] = script.DefaultRequestHeaders.Authorization!.ToString());
        await hub.StartAsync();
        await AssertHubAnswersAsync(hub);

        await AsAdminAsync(async users => { foreach (var t in await users.ListTokensAsync()) await users.RevokeTokenAsync(t.Id); });

        await AssertHubRefusesAsync(hub);
    }

    [Fact]
    public async Task ASession_EndsWhenUnused_AndSlidesWhenUsed_ButNeverBeyondItsAbsoluteLimit()
    {
        var clock = new ManualClock();
        var sessions = new BrowserSessions(_console.Database, clock);
        var admin = new AuthenticationTicket(UserDirectory.Principal("admin", Role.Admin, "password"), "Cookies");

        var idle = await sessions.StoreAsync(admin);
        clock.Now += BrowserSessions.IdleLimit + TimeSpan.FromSeconds(1);
        Assert.Null(await sessions.RetrieveAsync(idle));

        var busy = await sessions.StoreAsync(admin);
        var signedIn = clock.Now;
        while (clock.Now < signedIn + BrowserSessions.AbsoluteLimit - TimeSpan.FromHours(1))
        {
            clock.Now += TimeSpan.FromHours(1);
            Assert.NotNull(await sessions.RetrieveAsync(busy));
            // What the cookie handler asks on use: another idle period from now.
            await sessions.RenewAsync(busy, new AuthenticationTicket(admin.Principal, new AuthenticationProperties { ExpiresUtc = clock.Now + BrowserSessions.IdleLimit }, "Cookies"));
        }
        clock.Now = signedIn + BrowserSessions.AbsoluteLimit + TimeSpan.FromSeconds(1);
        Assert.Null(await sessions.RetrieveAsync(busy));
    }

    private HubConnection ConnectToHub(Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions> signIn) => new HubConnectionBuilder()
        .WithUrl(new Uri(_console.Server.BaseAddress, ClusterHub.Path), o =>
        {
            o.HttpMessageHandlerFactory = _ => _console.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            signIn(o);
        })
        .Build();

    /// <summary>Signed in, the hub answers the call (here: that there is no such cluster).</summary>
    private static async Task AssertHubAnswersAsync(HubConnection hub) =>
        Assert.Contains("no monitored cluster", (await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<object>("Join", 999L))).Message);

    private static async Task AssertHubRefusesAsync(HubConnection hub)
    {
        var refused = await Record.ExceptionAsync(() => hub.InvokeAsync<object>("Join", 999L));
        Assert.NotNull(refused);
        Assert.DoesNotContain("no monitored cluster", refused.Message);
    }

    private sealed class FixedState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
