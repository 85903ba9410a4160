using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Auth;

/// <summary>
/// Browser sign-ins kept server-side (the cookie handler's session store): the cookie carries only a random key, and
/// every request rebuilds the user from the database, so a removed user, a changed role, a reset password or a logout
/// counts from the very next request.
/// </summary>
public sealed class BrowserSessions(Database db, TimeProvider time) : ITicketStore
{
    /// <summary>The session's key, kept in the principal so a long-lived Blazor circuit can ask again.</summary>
    public const string KeyClaim = "storageha:session";
    /// <summary>Unused for this long, a session ends (the cookie slides while the browser is used).</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromHours(12);
    /// <summary>However busy, a session ends this long after sign-in.</summary>
    public static readonly TimeSpan AbsoluteLimit = TimeSpan.FromHours(24);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var userName = ticket.Principal.Identity?.Name ?? throw new InvalidOperationException("A session needs a signed-in user.");
        var key = UserDirectory.Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync();
        // Sessions nobody came back to are swept at each sign-in (times are UTC round-trip text, which sorts).
        await c.ExecuteAsync("DELETE FROM sessions WHERE expires_at <= @now OR created_at <= @oldest", new { now, oldest = now - AbsoluteLimit });
        var stored = await c.ExecuteAsync(
            "INSERT INTO sessions (user_id, key_hash, created_at, expires_at) SELECT id, @hash, @now, @expires FROM users WHERE user_name = @userName",
            new { hash = Hash(key), now, expires = now + IdleLimit, userName });
        if (stored == 0) throw new InvalidOperationException($"There is no user named '{userName}' to sign in.");
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var c = await db.OpenAsync();
        // The cookie handler asks to slide; the absolute limit caps it.
        var created = await c.QuerySingleOrDefaultAsync<DateTimeOffset?>("SELECT created_at FROM sessions WHERE key_hash = @hash", new { hash = Hash(key) });
        if (created is null) return;
        var expires = Min(ticket.Properties.ExpiresUtc ?? time.GetUtcNow() + IdleLimit, created.Value + AbsoluteLimit);
        await c.ExecuteAsync("UPDATE sessions SET expires_at = @expires WHERE key_hash = @hash", new { expires, hash = Hash(key) });
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var principal = await CurrentAsync(key);
        if (principal is null) return null;
        return new AuthenticationTicket(principal.Value.Principal,
            new AuthenticationProperties { IssuedUtc = principal.Value.Issued, ExpiresUtc = principal.Value.Expires, AllowRefresh = true },
            CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public async Task RemoveAsync(string key)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("DELETE FROM sessions WHERE key_hash = @hash", new { hash = Hash(key) });
    }

    /// <summary>The user of session <paramref name="key"/> as the database says now, or null when the session has ended.</summary>
    public async Task<ClaimsPrincipal?> UserOfAsync(string key) => (await CurrentAsync(key))?.Principal;

    /// <summary>Ends every session of a user (password reset): run inside the change's own transaction.</summary>
    public static Task EndAllAsync(System.Data.IDbConnection c, System.Data.IDbTransaction tx, long userId) =>
        c.ExecuteAsync("DELETE FROM sessions WHERE user_id = @userId", new { userId }, tx);

    private async Task<(ClaimsPrincipal Principal, DateTimeOffset Issued, DateTimeOffset Expires)?> CurrentAsync(string key)
    {
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync();
        var row = await c.QuerySingleOrDefaultAsync<SessionRow>(
            "SELECT u.user_name AS UserName, u.role AS Role, s.created_at AS CreatedAt, s.expires_at AS ExpiresAt FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.key_hash = @hash",
            new { hash = Hash(key) });
        if (row is null) return null;
        var expires = Min(row.ExpiresAt, row.CreatedAt + AbsoluteLimit);
        if (expires <= now)
        {
            await c.ExecuteAsync("DELETE FROM sessions WHERE key_hash = @hash", new { hash = Hash(key) });
            return null;
        }
        var principal = UserDirectory.Principal(row.UserName, row.Role, CookieAuthenticationDefaults.AuthenticationScheme);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(KeyClaim, key));
        // Issued so that the cookie handler slides the session once half of the idle limit has passed.
        return (principal, expires - IdleLimit, expires);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private sealed record SessionRow
    {
        public required string UserName { get; init; }
        public Role Role { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
    }
}
