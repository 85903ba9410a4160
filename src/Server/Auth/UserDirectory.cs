using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using StorageHa.Shared.Console;
using StorageHa.Server.Audit;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Auth;

public enum SignInOutcome { Success, Refused }

/// <summary>A sign-in's answer: the user, or a refusal that does not say whether the name, the password or the client's pace was wrong.</summary>
public sealed record SignInResult(SignInOutcome Outcome, ClaimsPrincipal? Principal = null);

/// <summary>The console's users and API tokens: hashed passwords, roles; sign-ins braked per client by <see cref="LoginThrottle"/>.</summary>
public sealed class UserDirectory(Database db, ICurrentActor actor, TimeProvider time, LoginThrottle throttle) : IUserAdmin
{
    private const string TokenPrefix = "sha_";
    private static readonly PasswordHasher<string> Hasher = new();

    public async Task<bool> HasAnyUserAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM users") > 0;
    }

    /// <summary>Creates the first admin; refused once any user exists, so the first-run page cannot be replayed.</summary>
    public async Task<User> CreateFirstAdminAsync(string userName, string password, CancellationToken ct = default)
    {
        CheckNewUser(userName, password);
        return await db.InTransactionAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM users", transaction: tx) > 0)
                throw new ConflictException("userName", "The console already has an administrator; sign in instead.");
            var user = await InsertUser(c, tx, userName, password, Role.Admin);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = userName, Action = "user.first-admin", Target = userName });
            return user;
        }, ct);
    }

    /// <summary>
    /// Checks a password from <paramref name="client"/>. No account is ever locked (that would let anyone lock the admin
    /// out); a client that failed too often is refused without a check, with the same answer as a wrong password.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, IPAddress? client, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var from = $"from {client?.ToString() ?? "an unknown address"}";
        await using var c = await db.OpenAsync(ct);
        if (!throttle.MayTry(client))
        {
            await AuditTrail.WriteAsync(c, null, new AuditEntry { At = now, Actor = "anonymous", Action = "login.throttled", Detail = $"too many failed sign-ins {from}" });
            return new SignInResult(SignInOutcome.Refused);
        }
        var row = await c.QuerySingleOrDefaultAsync<(string UserName, string PasswordHash, string Role)>(
            "SELECT user_name, password_hash, role FROM users WHERE user_name = @userName", new { userName });
        if (row.UserName is null)
        {
            Hasher.HashPassword(userName, password); // same work as a real check: no user-name oracle by timing
            throttle.Failed(client);
            // Audited too, without the name typed: it may be a password typed into the wrong field.
            await AuditTrail.WriteAsync(c, null, new AuditEntry { At = now, Actor = "anonymous", Action = "login.failed", Detail = $"no such user, {from}" });
            return new SignInResult(SignInOutcome.Refused);
        }
        if (Hasher.VerifyHashedPassword(row.UserName, row.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            throttle.Failed(client);
            await AuditTrail.WriteAsync(c, null, new AuditEntry { At = now, Actor = row.UserName, Action = "login.failed", Target = row.UserName, Detail = from });
            return new SignInResult(SignInOutcome.Refused);
        }
        await AuditTrail.WriteAsync(c, null, new AuditEntry { At = now, Actor = row.UserName, Action = "login", Target = row.UserName, Detail = from });
        return new SignInResult(SignInOutcome.Success, Principal(row.UserName, Enum.Parse<Role>(row.Role), "password"));
    }

    /// <summary>The user behind a bearer token, or null when the token is unknown or revoked.</summary>
    public async Task<ClaimsPrincipal?> AuthenticateTokenAsync(string token, CancellationToken ct = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200) return null;
        await using var c = await db.OpenAsync(ct);
        var hash = HashToken(token);
        var row = await c.QuerySingleOrDefaultAsync<(long Id, string UserName, string Role)>(
            "SELECT t.id, u.user_name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = @hash", new { hash });
        if (row.UserName is null) return null;
        await c.ExecuteAsync("UPDATE api_tokens SET last_used_at = @now WHERE token_hash = @hash", new { now = time.GetUtcNow(), hash });
        return TokenPrincipal(row.UserName, Enum.Parse<Role>(row.Role), row.Id);
    }

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Admin);
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<User>("SELECT id, user_name AS UserName, role, created_at AS CreatedAt FROM users ORDER BY user_name")).ToList();
    }

    public async Task<User> CreateAsync(string userName, string password, Role role, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Admin);
        CheckNewUser(userName, password);
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var user = await InsertUser(c, tx, userName, password, role);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = "user.create", Target = userName, Detail = role.ToString() });
            return user;
        }, ct);
    }

    public Task SetRoleAsync(long userId, Role role, CancellationToken ct = default) =>
        ChangeUser(userId, "user.set-role", role.ToString(), async (c, tx, name) =>
        {
            if (role != Role.Admin) await EnsureAnotherAdmin(c, tx, userId);
            await c.ExecuteAsync("UPDATE users SET role = @role WHERE id = @userId", new { role = role.ToString(), userId }, tx);
        }, ct);

    public Task SetPasswordAsync(long userId, string password, CancellationToken ct = default)
    {
        CheckPassword(password);
        // A reset password ends every browser session of that user: whoever knew the old one is out.
        return ChangeUser(userId, "user.set-password", null, async (c, tx, name) =>
        {
            await c.ExecuteAsync("UPDATE users SET password_hash = @hash WHERE id = @userId", new { hash = Hasher.HashPassword(name, password), userId }, tx);
            await BrowserSessions.EndAllAsync(c, tx, userId);
        }, ct);
    }

    public Task DeleteAsync(long userId, CancellationToken ct = default) =>
        ChangeUser(userId, "user.delete", null, async (c, tx, name) =>
        {
            await EnsureAnotherAdmin(c, tx, userId);
            await c.ExecuteAsync("DELETE FROM users WHERE id = @userId", new { userId }, tx);
        }, ct);

    public async Task<IReadOnlyList<ApiToken>> ListTokensAsync(CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Admin);
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<TokenRow>(
            "SELECT t.id, t.name, u.user_name AS UserName, t.created_at AS CreatedAt, t.last_used_at AS LastUsedAt FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id"))
            .Select(t => new ApiToken(t.Id, t.Name, t.UserName, t.CreatedAt, t.LastUsedAt)).ToList();
    }

    public async Task<(ApiToken Token, string Secret)> CreateTokenAsync(long userId, string name, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Admin);
        CheckTokenName(name);
        return await IssueTokenAsync(userId, name, who, "token.create", ct);
    }

    /// <summary>
    /// A script's login: the user's own password buys a token for that user, the secret returned once. Failed attempts
    /// count towards the same per-client throttle as the login page, and every attempt is audited.
    /// </summary>
    public async Task<(SignInResult Result, (ApiToken Token, string Secret)? Issued)> SignInForTokenAsync(
        string userName, string password, string tokenName, IPAddress? client, CancellationToken ct = default)
    {
        CheckTokenName(tokenName);
        // Bounded before hashing; no other rule, so the answer says nothing about which part was wrong.
        if (userName.Length > 256) throw new InvalidInputException("userName", "must be at most 256 characters");
        if (password.Length > 1024) throw new InvalidInputException("password", "must be at most 1024 characters");
        var result = await SignInAsync(userName, password, client, ct);
        if (result.Outcome != SignInOutcome.Success) return (result, null);
        await using var c = await db.OpenAsync(ct);
        var userId = await c.ExecuteScalarAsync<long>("SELECT id FROM users WHERE user_name = @userName", new { userName });
        return (result, await IssueTokenAsync(userId, tokenName, userName, "token.sign-in", ct));
    }

    private static void CheckTokenName(string name)
    {
        var error = string.IsNullOrWhiteSpace(name) ? "is required" : InputRules.Text(name);
        if (error is not null) throw new InvalidInputException("name", error);
    }

    private async Task<(ApiToken Token, string Secret)> IssueTokenAsync(long userId, string name, string who, string action, CancellationToken ct)
    {
        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var created = time.GetUtcNow();
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var owner = await c.QuerySingleOrDefaultAsync<string>("SELECT user_name FROM users WHERE id = @userId", new { userId }, tx)
                ?? throw new KeyNotFoundException($"There is no user with id {userId}.");
            var id = await c.ExecuteScalarAsync<long>("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (@userId, @name, @hash, @created) RETURNING id",
                new { userId, name, hash = HashToken(secret), created }, tx);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = created, Actor = who, Action = action, Target = owner, Detail = name });
            return (new ApiToken(id, name, owner, created, null), secret);
        }, ct);
    }

    public async Task RevokeTokenAsync(long tokenId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Admin);
        await db.InTransactionAsync(async (c, tx) =>
        {
            if (await c.ExecuteAsync("DELETE FROM api_tokens WHERE id = @tokenId", new { tokenId }, tx) == 0)
                throw new KeyNotFoundException($"There is no API token with id {tokenId}.");
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = "token.revoke", Target = $"token {tokenId}" });
            return 0;
        }, ct);
    }

    /// <summary>A token's user, naming the token so a long-lived connection can ask again (<see cref="SignedInUsers"/>).</summary>
    public static ClaimsPrincipal TokenPrincipal(string userName, Role role, long tokenId)
    {
        var principal = Principal(userName, role, "token");
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(SignedInUsers.TokenClaim, tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return principal;
    }

    public static ClaimsPrincipal Principal(string userName, Role role, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName), .. Roles.ClaimsFor(role)], scheme, ClaimTypes.Name, ClaimTypes.Role));

    private async Task ChangeUser(long userId, string action, string? detail, Func<System.Data.IDbConnection, System.Data.IDbTransaction, string, Task> change, CancellationToken ct)
    {
        var who = await actor.RequireAsync(Role.Admin);
        await db.InTransactionAsync(async (c, tx) =>
        {
            var name = await c.QuerySingleOrDefaultAsync<string>("SELECT user_name FROM users WHERE id = @userId", new { userId }, tx)
                ?? throw new KeyNotFoundException($"There is no user with id {userId}.");
            await change(c, tx, name);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = action, Target = name, Detail = detail });
            return 0;
        }, ct);
    }

    private static async Task EnsureAnotherAdmin(System.Data.IDbConnection c, System.Data.IDbTransaction tx, long userId)
    {
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM users WHERE role = 'Admin' AND id <> @userId", new { userId }, tx) == 0)
            throw new ConflictException("role", "This is the last administrator; make another user admin first.");
    }

    private async Task<User> InsertUser(System.Data.IDbConnection c, System.Data.IDbTransaction tx, string userName, string password, Role role)
    {
        var created = time.GetUtcNow();
        if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM users WHERE user_name = @userName", new { userName }, tx) > 0)
            throw new ConflictException("userName", $"A user named '{userName}' already exists.");
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO users (user_name, password_hash, role, created_at) VALUES (@userName, @hash, @role, @created) RETURNING id",
            new { userName, hash = Hasher.HashPassword(userName, password), role = role.ToString(), created }, tx);
        return new User { Id = id, UserName = userName, Role = role, CreatedAt = created };
    }

    private static void CheckNewUser(string userName, string password)
    {
        if (InputRules.UserName(userName) is { } error) throw new InvalidInputException("userName", error);
        CheckPassword(password);
    }

    private static void CheckPassword(string password)
    {
        if (InputRules.Password(password) is { } error) throw new InvalidInputException("password", error);
    }

    private static string HashToken(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record TokenRow
    {
        public long Id { get; init; }
        public required string Name { get; init; }
        public required string UserName { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? LastUsedAt { get; init; }
    }
}
