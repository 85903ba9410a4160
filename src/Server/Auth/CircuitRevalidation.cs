using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Auth;

/// <summary>
/// An open Blazor circuit asks the session store again every half minute: a removed, demoted or signed-out user's page
/// drops to the login page (writes do not wait for this: <see cref="HttpOrCircuitActor"/> asks on every call).
/// </summary>
public sealed class CircuitRevalidation(ILoggerFactory logger, BrowserSessions sessions) : RevalidatingServerAuthenticationStateProvider(logger)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        if (state.User.Identity?.IsAuthenticated != true) return true;
        var current = await sessions.RefreshAsync(state.User);
        return current is not null && Roles.Of(current) == Roles.Of(state.User);
    }
}
