using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Shared;

/// <summary>The real console (real SQLite file in a temporary data folder) hosted in-process for API tests.</summary>
public sealed class TestConsole : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct horse battery";
    public string DataDir { get; } = Directory.CreateTempSubdirectory("storageha-test-").FullName;
    public bool WithAdmin { get; init; } = true;
    /// <summary>What the console logs, every level included.</summary>
    public CapturedLog Log { get; } = new();
    /// <summary>Services the test puts in place of the console's own (e.g. nodes behind the SSH runner's door).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("STORAGEHA_DATA_DIR", DataDir);
        if (WithAdmin) builder.UseSetting("STORAGEHA_ADMIN_PASSWORD", AdminPassword);
        builder.UseEnvironment("Development");
        builder.ConfigureLogging(l => l.AddProvider(Log).AddFilter<CapturedLog>(null, LogLevel.Trace));
        if (TestServices is not null) builder.ConfigureTestServices(TestServices);
    }

    public Database Database => Services.GetRequiredService<Database>();

    /// <summary>The SQLite file (or its "-wal") as bytes read as Latin-1, while the console has it open: where a secret in clear would show.</summary>
    public string DatabaseText(string suffix = "")
    {
        var path = Path.Combine(DataDir, "storageha.db" + suffix);
        if (!File.Exists(path)) return "";
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return System.Text.Encoding.Latin1.GetString(copy.ToArray());
    }

    /// <summary>A client that has not signed in, and gets status codes rather than redirects.</summary>
    public HttpClient Anonymous() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A browser: keeps its cookies, says its Origin (http://localhost), follows no redirect.</summary>
    public HttpClient Browser()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        return client;
    }

    /// <summary>A browser signed in through the login form as <paramref name="userName"/>, holding the session cookie.</summary>
    public async Task<HttpClient> SignedInBrowserAsync(string userName, string password)
    {
        var browser = Browser();
        var answer = await StorageHa.TestSupport.LoginForm.SignInAsync(browser, userName, password);
        if (answer.StatusCode != System.Net.HttpStatusCode.Redirect || !answer.Headers.Contains("Set-Cookie"))
            throw new InvalidOperationException($"{userName} could not sign in: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        return browser;
    }

    /// <summary>A user of the given role, with a fresh API token, as an HttpClient.</summary>
    public async Task<HttpClient> ClientAsAsync(Role role)
    {
        var client = Anonymous();
        using var scope = Services.CreateScope();
        var users = ActivatorUtilities.CreateInstance<UserDirectory>(scope.ServiceProvider, new SystemActor());
        var name = $"{role.ToString().ToLowerInvariant()}{Guid.NewGuid():N}"[..20];
        var user = role == Role.Admin && !await users.HasAnyUserAsync()
            ? await users.CreateFirstAdminAsync(name, AdminPassword)
            : await users.CreateAsync(name, AdminPassword, role);
        var (_, secret) = await users.CreateTokenAsync(user.Id, "test");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>Services resolved as the console itself acts (full rights), for arranging test data.</summary>
    public T AsSystem<T>(IServiceScope scope) where T : class =>
        ActivatorUtilities.CreateInstance<T>(scope.ServiceProvider, new SystemActor());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
