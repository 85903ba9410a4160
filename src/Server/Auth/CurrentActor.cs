using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Auth;

/// <summary>Who is acting right now — the API caller or the signed-in page user — for audit and role checks.</summary>
public interface ICurrentActor
{
    Task<ClaimsPrincipal> GetUserAsync();
}

public static class CurrentActorExtensions
{
    public static async Task<string> GetNameAsync(this ICurrentActor actor) =>
        (await actor.GetUserAsync()).Identity?.Name ?? "system";

    /// <summary>Refuses the action unless the actor holds at least <paramref name="role"/>.</summary>
    public static async Task<string> RequireAsync(this ICurrentActor actor, Role role)
    {
        var user = await actor.GetUserAsync();
        if (user.Identity?.IsAuthenticated != true)
            throw new UnauthorizedAccessException("You are not signed in.");
        if (Roles.Of(user) < role)
            throw new UnauthorizedAccessException($"This needs the {role} role; you are {Roles.Of(user)}.");
        return user.Identity.Name ?? "unknown";
    }
}

/// <summary>
/// Resolves the actor from the HTTP request (API) or the Blazor circuit's authentication state (pages), then asks the
/// database again: a circuit opened before the user was removed, demoted or signed out acts as who they are now.
/// </summary>
public sealed class HttpOrCircuitActor(IHttpContextAccessor http, IServiceProvider services, SignedInUsers signedIn) : ICurrentActor
{
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());

    public async Task<ClaimsPrincipal> GetUserAsync() => await signedIn.NowAsync(await SignedInUserAsync()) ?? Nobody;

    private async Task<ClaimsPrincipal> SignedInUserAsync()
    {
        if (http.HttpContext?.User is { Identity.IsAuthenticated: true } user) return user;
        var state = services.GetService<AuthenticationStateProvider>();
        if (state is null) return Nobody;
        try { return (await state.GetAuthenticationStateAsync()).User; }
        catch (InvalidOperationException) { return Nobody; } // outside a circuit
    }
}

/// <summary>The console's own work (start-up, background jobs) acts as "system" with full rights.</summary>
public sealed class SystemActor : ICurrentActor
{
    public static readonly ClaimsPrincipal Principal = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "system"), new Claim(ClaimTypes.Role, nameof(Role.Admin))], "system"));

    public Task<ClaimsPrincipal> GetUserAsync() => Task.FromResult(Principal);
}

public static class Roles
{
    public const string Viewer = nameof(Role.Viewer);
    public const string Operator = nameof(Role.Operator);
    public const string Admin = nameof(Role.Admin);

    public static Role Of(ClaimsPrincipal user) =>
        user.IsInRole(Admin) ? Role.Admin : user.IsInRole(Operator) ? Role.Operator : Role.Viewer;

    /// <summary>Claims carry every role up to the user's own, so [Authorize(Roles="Operator")] admits admins too.</summary>
    public static IEnumerable<Claim> ClaimsFor(Role role) =>
        Enum.GetValues<Role>().Where(r => r <= role).Select(r => new Claim(ClaimTypes.Role, r.ToString()));
}
