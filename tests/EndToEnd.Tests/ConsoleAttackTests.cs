using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.TestSupport;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// Attacks on the real console process (`dotnet StorageHa.Server.dll` on loopback, no lab): forged origins, captured
/// cookies, missing headers, world-readable files. Each test is the attack, and the console must refuse it.
/// </summary>
public sealed class ConsoleAttackTests
{
    private const string AdminPassword = "attack-admin-password";

    /// <summary>Another site on the same host (another port), the case SameSite=Strict lets through.</summary>
    private static string SiblingOrigin(RunningConsole console) => $"http://127.0.0.1:{console.BaseAddress.Port + 1}";

    private static async Task<HttpClient> SignedInBrowserAsync(RunningConsole console)
    {
        var browser = LoginForm.Browser(console.BaseAddress);
        var signIn = await LoginForm.SignInAsync(browser, "admin", AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    private static HttpRequestMessage From(string? origin, HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    [Fact]
    public async Task ABodylessPost_WithAForeignOrigin_IsRefused()
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword);
        var browser = await SignedInBrowserAsync(console);
        var created = await browser.PostAsJsonAsync("/api/clusters", new { name = "nas1" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var apply = $"/api/clusters/{id}/apply";
        browser.DefaultRequestHeaders.Remove("Origin"); // each request below says its own

        foreach (var foreign in new[] { SiblingOrigin(console), "https://127.0.0.1:" + console.BaseAddress.Port, "http://evil.example", "null" })
            Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(From(foreign, HttpMethod.Post, apply))).StatusCode);
        // A foreign Referer without Origin, and a cookie request saying nothing at all, are refused too.
        var byReferer = From(null, HttpMethod.Delete, $"/api/clusters/{id}");
        byReferer.Headers.Referrer = new Uri(SiblingOrigin(console) + "/page");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(byReferer)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(From(null, HttpMethod.Delete, $"/api/clusters/{id}"))).StatusCode);
        // The cluster is still there, and the console's own pages may delete it.
        var own = From(console.BaseAddress.GetLeftPart(UriPartial.Authority), HttpMethod.Delete, $"/api/clusters/{id}");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task AScriptWithABearerToken_AndNoOrigin_StillWorks()
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword);
        using var script = console.NewHttpClient();
        var signIn = await script.PostAsJsonAsync("/api/auth/token", new { userName = "admin", password = AdminPassword, name = "script" });
        Assert.Equal(HttpStatusCode.Created, signIn.StatusCode);
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString());

        Assert.Equal(HttpStatusCode.Created, (await script.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).StatusCode);
    }

    [Theory]
    [InlineData("/hubs/clusters/negotiate?negotiateVersion=1")]
    [InlineData("/_blazor/negotiate?negotiateVersion=1")]
    public async Task TheHubs_RefuseAForeignOrigin(string negotiate)
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword);
        var browser = await SignedInBrowserAsync(console);
        browser.DefaultRequestHeaders.Remove("Origin");
        var own = console.BaseAddress.GetLeftPart(UriPartial.Authority);

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(From(SiblingOrigin(console), HttpMethod.Post, negotiate))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(From(own, HttpMethod.Post, negotiate))).StatusCode);

        // The WebSocket itself: an upgrade request from another origin is refused before it reaches the hub.
        var path = negotiate[..negotiate.IndexOf("/negotiate", StringComparison.Ordinal)];
        var upgrade = From(SiblingOrigin(console), HttpMethod.Get, path + "?id=x");
        upgrade.Headers.Connection.Add("Upgrade");
        upgrade.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        upgrade.Headers.Add("Sec-WebSocket-Version", "13");
        upgrade.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(upgrade)).StatusCode);
    }

    [Fact]
    public async Task ACookieCapturedBeforeLogout_IsRefusedAfter()
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword);
        var browser = LoginForm.Browser(console.BaseAddress);
        var signIn = await LoginForm.SignInAsync(browser, "admin", AdminPassword);
        var captured = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("storageha=", StringComparison.Ordinal)).Split(';')[0];
        using var thief = console.NewHttpClient();
        thief.DefaultRequestHeaders.Add("Cookie", captured);
        Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/api/clusters")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await LoginForm.SignOutAsync(browser)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/clusters")).StatusCode);
    }

    [Fact]
    public async Task LogoutWithoutTheAntiforgeryToken_IsNotA500()
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword);
        var browser = await SignedInBrowserAsync(console);

        var answer = await browser.PostAsync("/account/logout", null);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheSecurityHeaders()
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword);
        var browser = await SignedInBrowserAsync(console);
        using var anonymous = console.NewHttpClient();
        var answers = new List<(string What, HttpResponseMessage Answer)>
        {
            ("page", await browser.GetAsync("/")),
            ("login page", await anonymous.GetAsync("/account/login")),
            ("API", await browser.GetAsync("/api/clusters")),
            ("API 401", await anonymous.GetAsync("/api/clusters")),
            ("API 404", await browser.GetAsync("/api/clusters/999999")),
            ("API 400", await browser.PostAsync("/api/clusters", new StringContent("{", null, "application/json"))),
            ("health", await anonymous.GetAsync("/healthz")),
            ("static file", await anonymous.GetAsync("/app.css")),
            ("missing page", await browser.GetAsync("/no/such/page")),
            ("foreign origin 403", await anonymous.SendAsync(From("http://evil.example", HttpMethod.Post, "/api/clusters"))),
        };

        foreach (var (what, answer) in answers)
        {
            var csp = Header(answer, "Content-Security-Policy");
            Assert.True(csp.Contains("script-src 'self'") && csp.Contains("frame-ancestors 'none'") && !csp.Contains("unsafe-eval"), $"{what}: CSP '{csp}'");
            Assert.True(Header(answer, "X-Content-Type-Options") == "nosniff", $"{what}: nosniff");
            Assert.True(Header(answer, "Referrer-Policy") == "same-origin", $"{what}: Referrer-Policy");
            Assert.True(Header(answer, "X-Frame-Options") == "DENY", $"{what}: X-Frame-Options");
            Assert.False(answer.Headers.Contains("Server"), $"{what}: Server header {Header(answer, "Server")}");
            if (what.StartsWith("API", StringComparison.Ordinal))
                Assert.True(answer.Headers.CacheControl?.NoStore == true, $"{what}: Cache-Control {answer.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task BehindTheConfiguredProxy_TheCookieIsSecure_AndHstsIsSent()
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword, new Dictionary<string, string>
        {
            ["StorageHa__BehindProxy"] = "true",
            ["StorageHa__KnownProxies"] = "127.0.0.1",
        });
        // The proxy's hop is plain HTTP on loopback; the browser's side is HTTPS, as the proxy says.
        using var proxy = ProxyClient(console);
        var page = await proxy.GetAsync("/account/login");
        var signIn = await SignInThroughProxyAsync(proxy, page);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("storageha=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", page.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase); // the antiforgery cookie
        Assert.Contains("max-age=", Header(page, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnAddressThatIsNotTheProxy_AreIgnored()
    {
        await using var console = await RunningConsole.StartAsync(AdminPassword, new Dictionary<string, string>
        {
            ["StorageHa__BehindProxy"] = "true",
            ["StorageHa__KnownProxies"] = "192.0.2.10",
        });
        using var pretender = ProxyClient(console);

        var page = await pretender.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("", Header(page, "Strict-Transport-Security")); // still plain HTTP to the console
        Assert.DoesNotContain("secure", page.Headers.GetValues("Set-Cookie").Single(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheDataFolderIs0700_AndTheDatabase0600_UnderUmask000()
    {
        if (OperatingSystem.IsWindows()) return;
        await using var console = await RunningConsole.StartAsync(AdminPassword, umask: "000");
        var browser = await SignedInBrowserAsync(console);
        Assert.Equal(HttpStatusCode.Created, (await browser.PostAsJsonAsync("/api/clusters", new { name = "nas1" })).StatusCode);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(console.DataDirectory));
        var files = Directory.GetFiles(console.DataDirectory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("storageha.db-wal", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".pfx", StringComparison.Ordinal));
        Assert.Contains(files, f => Path.GetFileName(f).StartsWith("key-", StringComparison.Ordinal));
        foreach (var file in files)
            Assert.True(File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file} is {File.GetUnixFileMode(file)}");
        foreach (var folder in Directory.GetDirectories(console.DataDirectory, "*", SearchOption.AllDirectories))
            Assert.True((File.GetUnixFileMode(folder) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) == 0, $"{folder} is {File.GetUnixFileMode(folder)}");
        Assert.DoesNotContain("No XML encryptor configured", console.Output);
    }

    private static HttpClient ProxyClient(RunningConsole console)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = console.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "console.example");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        client.DefaultRequestHeaders.Add("Origin", "https://console.example");
        return client;
    }

    /// <summary>Posts the login form with the page's antiforgery cookie by hand: a Secure cookie is not sent over plain HTTP by a client's jar.</summary>
    private static async Task<HttpResponseMessage> SignInThroughProxyAsync(HttpClient proxy, HttpResponseMessage page)
    {
        var token = LoginForm.AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login", ["Input.UserName"] = "admin", ["Input.Password"] = AdminPassword, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", page.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
        return await proxy.SendAsync(post);
    }

    private static string Header(HttpResponseMessage answer, string name) =>
        answer.Headers.TryGetValues(name, out var values) || answer.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : "";
}
