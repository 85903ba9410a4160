using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using MudBlazor.Services;
using StorageHa.Shared.Console;
using StorageHa.Server.Api;
using StorageHa.Server.Audit;
using StorageHa.Server.Auth;
using StorageHa.Server.Clients;
using StorageHa.Server.Components;
using StorageHa.Server.Deployment;
using StorageHa.Server.Drills;
using StorageHa.Server.Identity;
using StorageHa.Server.Inventory;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Server.Probe;
using StorageHa.Server.Provisioning;
using StorageHa.Server.Security;
using StorageHa.Server.Serving;
using StorageHa.Server.Ssh;
using StorageHa.Server.Storage;

namespace StorageHa.Server;

/// <summary>Composes the console: services, middleware and endpoints, in one readable place.</summary>
public static class ConsoleHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Serve MudBlazor's static files when run from bin/ outside Development too.
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(k =>
        {
            // The API's intended limit, for every request: Kestrel answers 413 as a longer body arrives.
            k.Limits.MaxRequestBodySize = ApiJson.MaxBodyBytes;
            k.AddServerHeader = false; // answers do not name the web server
        });
        var dataDir = DataDirectory(builder.Configuration);
        var proxy = BehindProxy.From(builder.Configuration);
        builder.Services.AddSingleton(proxy);
        builder.Services.Configure<ForwardedHeadersOptions>(proxy.Configure);
        builder.Services.AddSingleton(new Database(Path.Combine(dataDir, "storageha.db")));
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddSingleton(TimeProvider.System);
        // Secrets at rest are encrypted with keys kept beside the database, outside it, themselves encrypted at rest.
        builder.Services.AddDataProtection()
            .SetApplicationName("StorageHa")
            .PersistKeysToFileSystem(new DirectoryInfo(PrivateFiles.Folder(Path.Combine(dataDir, "keys"))))
            .ProtectKeysAtRest(builder.Configuration, dataDir);

        builder.Services.AddConsoleAuth(proxy);
        builder.Services.AddScoped<IInventory, SqliteInventory>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<IAuditLog>(s => s.GetRequiredService<AuditTrail>());
        builder.Services.AddSingleton(new SshSettings());
        builder.Services.AddSingleton<SshConnectionPool>();
        builder.Services.AddSingleton<ISshRunner, SshRunner>();
        builder.Services.AddSingleton<ClusterAccess.LiveNodes>();
        builder.Services.AddSingleton<NodeProber>();
        builder.Services.AddSingleton(new NodeHelperSettings());
        builder.Services.AddSingleton<NodeHelperDeployer>();
        builder.Services.AddScoped<NodeAccess>();
        builder.Services.AddScoped<INodeAccess>(s => s.GetRequiredService<NodeAccess>());
        builder.Services.AddScoped<IPrincipalDirectory, ClusterAccess.ClusterPrincipals>();
        builder.Services.AddScoped<UserDirectory>();
        builder.Services.AddScoped<IUserAdmin>(s => s.GetRequiredService<UserDirectory>());
        builder.Services.AddScoped<ILocalAccounts, Identity.ClusterLocalAccounts>();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        // Its cookie is Secure on HTTPS, which behind the proxy the forwarded scheme says (its default is never Secure).
        builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.Services.AddScoped<ClusterSpecs>();
        builder.Services.AddScoped<CredentialVault>();
        builder.Services.AddScoped<ICredentialStore>(s => s.GetRequiredService<CredentialVault>());
        builder.Services.AddScoped<INodeSecrets>(s => s.GetRequiredService<CredentialVault>());
        builder.Services.AddClusterMonitoring(builder.Configuration);
        builder.Services.AddClusterOperations();
        builder.Services.AddProvisioning();
        builder.Services.AddJoinHealth();
        builder.Services.AddStorageHealth();
        builder.Services.AddServiceProbes(builder.Configuration);
        builder.Services.AddConnectedClients();
        builder.Services.AddDrills();
        builder.Services.AddOpenApi(ApiDocs.DescribeEnumsByName);
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        // A query or route value that cannot be bound is a 400 naming it (ProblemMapping), outside Development too.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder.Build();
    }

    /// <summary>Migrates the inventory and creates the first admin from STORAGEHA_ADMIN_PASSWORD when set.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        var password = app.Configuration["STORAGEHA_ADMIN_PASSWORD"];
        if (!string.IsNullOrEmpty(password))
        {
            using var scope = app.Services.CreateScope();
            var users = ActivatorUtilities.CreateInstance<UserDirectory>(scope.ServiceProvider, new SystemActor());
            if (!await users.HasAnyUserAsync()) await users.CreateFirstAdminAsync("admin", password);
        }

        // Forwarded headers first (from the configured proxies only), so everything after sees the browser's scheme and address.
        if (app.Services.GetRequiredService<BehindProxy>().Enabled) app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseHsts(); // on HTTPS answers only, so plain-HTTP loopback use is unaffected
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseMiddleware<OriginCheck>();
        app.UseAuthentication();
        app.UseMiddleware<FirstRunRedirect>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();
        app.MapOpenApi().RequireAuthorization();
        app.MapAccountEndpoints();
        app.MapConsoleApi();
        app.MapClusterSettingsApi();
        app.MapFencingApi();
        app.MapCredentialsApi();
        app.MapUsersApi();
        app.MapLocalAccountsApi();
        app.MapSignInApi();
        app.MapClusterMonitoring();
        app.MapNodeHelperApi();
        app.MapOperationsApi();
        app.MapProvisioningApi();
        app.MapJoinHealthApi();
        app.MapStorageHealthApi();
        app.MapServiceProbesApi();
        app.MapConnectedClientsApi();
        app.MapDrillsApi();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .AddAdditionalAssemblies(typeof(StorageHa.Client.Components.Layout.MainLayout).Assembly);
    }

    private static string DataDirectory(IConfiguration config)
    {
        var configured = config["StorageHa:DataDir"] ?? config["STORAGEHA_DATA_DIR"];
        var dir = !string.IsNullOrEmpty(configured) ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "storageha");
        return PrivateFiles.Folder(dir);
    }
}
