using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Api;
using StorageHa.Server.Auth;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.TestSupport;

namespace StorageHa.Server.Tests.Auth;

/// <summary>Password guessing meets a per-client brake that answers like a wrong password and never locks a user out.</summary>
public sealed partial class SignInThrottleTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task TheLoginAnswer_IsTheSame_ForUnknownUsers_WrongPasswords_AndThrottledClients()
    {
        var api = _console.Anonymous();
        var page = _console.Browser();
        var unknownOnPage = await PageAnswerAsync(page, "nobody", "some long password");
        var wrongOnPage = await PageAnswerAsync(page, "admin", "not the password");
        var unknown = await ApiAnswerAsync(api, "nobody", "some long password");
        var wrong = await ApiAnswerAsync(api, "admin", "not the password");
        for (var attempt = 4; attempt <= LoginThrottle.Burst; attempt++) await ApiAnswerAsync(api, "admin", "another guess");

        // This client is now throttled: even the right password gets the same answer, and says nothing more.
        var throttled = await ApiAnswerAsync(api, "admin", TestConsole.AdminPassword);
        var throttledOnPage = await PageAnswerAsync(page, "admin", TestConsole.AdminPassword);

        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, throttled);
        Assert.Equal(SignInApi.SignInRefused, unknownOnPage);
        Assert.Equal(unknownOnPage, wrongOnPage);
        Assert.Equal(unknownOnPage, throttledOnPage);
    }

    [Fact]
    public async Task OneClientsFailedLogins_DoNotLockTheAdminOut_ForAnotherClient()
    {
        var attacker = IPAddress.Parse("203.0.113.66");
        var admin = IPAddress.Parse("198.51.100.7");
        using var scope = _console.Services.CreateScope();
        var users = _console.AsSystem<UserDirectory>(scope);

        for (var i = 0; i < LoginThrottle.Burst * 4; i++)
            Assert.Equal(SignInOutcome.Refused, (await users.SignInAsync("admin", "guess " + i, attacker)).Outcome);

        Assert.Equal(SignInOutcome.Refused, (await users.SignInAsync("admin", TestConsole.AdminPassword, attacker)).Outcome);
        Assert.Equal(SignInOutcome.Success, (await users.SignInAsync("admin", TestConsole.AdminPassword, admin)).Outcome);
    }

    [Fact]
    public void TheThrottle_CountsAWholeIpv6Slash64_AsOneClient_RefillsWithTime_AndForgetsClientsWithinItsBound()
    {
        var clock = new ManualClock();
        var throttle = new LoginThrottle(clock);
        for (var i = 0; i < LoginThrottle.Burst; i++) throttle.Failed(IPAddress.Parse($"2001:db8:1:2::{i + 1:x}"));
        Assert.False(throttle.MayTry(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.True(throttle.MayTry(IPAddress.Parse("2001:db8:1:3::1")));
        clock.Now += LoginThrottle.Refill;
        Assert.True(throttle.MayTry(IPAddress.Parse("2001:db8:1:2::1")));

        for (var i = 0; i < LoginThrottle.MaxClients + 500; i++) throttle.Failed(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
        Assert.True(throttle.ClientsRemembered <= LoginThrottle.MaxClients);
    }

    private static async Task<string> ApiAnswerAsync(HttpClient api, string userName, string password)
    {
        var answer = await api.PostAsJsonAsync("/api/auth/token", new { userName, password, name = "script" });
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        return $"{(int)answer.StatusCode} {problem.GetProperty("title")} retry-after:{answer.Headers.RetryAfter}";
    }

    private static async Task<string> PageAnswerAsync(HttpClient browser, string userName, string password)
    {
        var answer = await LoginForm.SignInAsync(browser, userName, password);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return WebUtility.HtmlDecode(Alert().Match(await answer.Content.ReadAsStringAsync()).Groups[1].Value);
    }

    [GeneratedRegex("role=\"alert\">([^<]*)<")]
    private static partial Regex Alert();
}
