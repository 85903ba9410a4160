using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace StorageHa.Server.Auth;

/// <summary>
/// An open Blazor circuit asks the session store again every half minute: a removed, demoted or signed-out user's page
/// drops to the login page (writes do not wait for this: <see cref="HttpOrCircuitActor"/> asks on every call).
/// </summary>
public sealed class CircuitRevalidation(ILoggerFactory logger, SignedInUsers signedIn) : RevalidatingServerAuthenticationStateProvider(logger)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        signedIn.StillHoldsAsync(state.User);
}
