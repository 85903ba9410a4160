using System.Security.Claims;
using Dapper;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Auth;

/// <summary>
/// Who a principal kept since sign-in (by a Blazor circuit, a hub connection) is now: its browser session or API token
/// read again, with the user's current role; null once the session ended, the token was revoked or the user removed.
/// </summary>
public sealed class SignedInUsers(BrowserSessions sessions, Database db)
{
    public const string TokenClaim = "storageha:token";

    public async Task<ClaimsPrincipal?> NowAsync(ClaimsPrincipal principal)
    {
        if (principal.FindFirst(BrowserSessions.KeyClaim)?.Value is { } key) return await sessions.UserOfAsync(key);
        if (principal.FindFirst(TokenClaim)?.Value is not { } token) return principal; // the console itself, or nobody
        var id = long.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        await using var c = await db.OpenAsync();
        var row = await c.QuerySingleOrDefaultAsync<(string UserName, string Role)>(
            "SELECT u.user_name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = @id", new { id });
        return row.UserName is null ? null : UserDirectory.TokenPrincipal(row.UserName, Enum.Parse<Role>(row.Role), id);
    }

    /// <summary>Whether the principal still stands as it is: same user signed in, same role.</summary>
    public async Task<bool> StillHoldsAsync(ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated != true || (await NowAsync(principal) is { } now && Roles.Of(now) == Roles.Of(principal));
}
