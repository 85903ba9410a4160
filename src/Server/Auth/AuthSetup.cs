using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.SignalR;
using StorageHa.Server.Hubs;
using StorageHa.Server.Security;

namespace StorageHa.Server.Auth;

/// <summary>One login for pages, the hubs and the API: cookies for browsers, bearer tokens for scripts.</summary>
public static class AuthSetup
{
    private const string Selector = "CookieOrToken";
    public const string CookieName = "storageha";

    public static IServiceCollection AddConsoleAuth(this IServiceCollection services, BehindProxy proxy)
    {
        services.AddSingleton<BrowserSessions>();
        services.AddSingleton<SignedInUsers>();
        services.AddSingleton<LoginThrottle>();
        services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "Cookie or API token", o => o.ForwardDefaultSelector = context =>
                HasBearerToken(context.Request) ? ApiTokenHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/denied";
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = proxy.CookieSecurePolicy;
                o.ExpireTimeSpan = BrowserSessions.IdleLimit;
                o.SlidingExpiration = true;
                // Machines get status codes, not a login page.
                o.Events.OnRedirectToLogin = c => Refuse(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => Refuse(c, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenHandler.SchemeName, null);
        // The cookie holds only a session key; the session (and the user's current role) lives in the database.
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<BrowserSessions>((o, sessions) => o.SessionStore = sessions);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Roles.Operator, p => p.RequireRole(Roles.Operator))
            .AddPolicy(Roles.Admin, p => p.RequireRole(Roles.Admin));
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, CircuitRevalidation>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICurrentActor, HttpOrCircuitActor>();
        services.AddSingleton<HubSessionCheck>();
        services.Configure<HubOptions<ClusterHub>>(o => o.AddFilter<HubSessionCheck>());
        return services;
    }

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsMachineRequest(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    public static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    public static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs")
        || request.Path.StartsWithSegments("/_blazor") || request.Path.StartsWithSegments("/openapi");
}
