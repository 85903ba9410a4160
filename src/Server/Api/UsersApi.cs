using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Api;

/// <summary>/api/users and /api/tokens: the console's users, their roles and personal API tokens, for admins, as on the Users page.</summary>
public static class UsersApi
{
    public sealed record NewUser(string UserName, string Password, Role Role);
    public sealed record RoleChange(Role Role);
    public sealed record PasswordChange(string Password);
    public sealed record NewToken(long UserId, string Name);

    /// <summary>A new token: the secret is in this answer only; the console keeps its hash.</summary>
    public sealed record IssuedToken(ApiToken Token, string Secret);

    internal const string IssuedTokenExample =
        """{"token":{"id":7,"name":"backup-script","userName":"alice","createdAt":"2025-01-01T10:00:00+00:00","lastUsedAt":null},"secret":"sha_q1Xw…"}""";

    public static void MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequireAuthorization(Roles.Admin).WithTags("Users and tokens");
        users.MapGet("", (IUserAdmin admin, CancellationToken ct) => admin.ListAsync(ct))
            .WithSummary("List the console's users")
            .Example(response: """[{"id":1,"userName":"admin","role":"Admin","createdAt":"2025-01-01T10:00:00+00:00"}]""");
        users.MapPost("", async (HttpRequest req, IUserAdmin admin, CancellationToken ct) =>
        {
            var user = await ApiJson.ReadAsync<NewUser>(req);
            var created = await admin.CreateAsync(user.UserName, user.Password, user.Role, ct);
            return Results.Created($"/api/users/{created.Id}", created);
        }).Accepts<NewUser>("application/json").Produces<User>(StatusCodes.Status201Created)
            .WithSummary("Create a user with a role: Viewer (reads), Operator (also changes clusters), Admin (also users, tokens, credentials)")
            .Example("""{"userName":"alice","password":"at least twelve characters","role":"Operator"}""",
                """{"id":2,"userName":"alice","role":"Operator","createdAt":"2025-01-01T10:00:00+00:00"}""", StatusCodes.Status201Created);
        users.MapPut("/{userId:long}/role", async (long userId, HttpRequest req, IUserAdmin admin, CancellationToken ct) =>
        {
            await admin.SetRoleAsync(userId, (await ApiJson.ReadAsync<RoleChange>(req)).Role, ct);
            return Results.NoContent();
        }).Accepts<RoleChange>("application/json")
            .WithSummary("Set a user's role (409 for the last admin)")
            .Example("""{"role":"Viewer"}""");
        users.MapPut("/{userId:long}/password", async (long userId, HttpRequest req, IUserAdmin admin, CancellationToken ct) =>
        {
            await admin.SetPasswordAsync(userId, (await ApiJson.ReadAsync<PasswordChange>(req)).Password, ct);
            return Results.NoContent();
        }).Accepts<PasswordChange>("application/json")
            .WithSummary("Set a user's password (ends every browser session of that user)")
            .Example("""{"password":"a new long password"}""");
        users.MapDelete("/{userId:long}", async (long userId, IUserAdmin admin, CancellationToken ct) =>
        {
            await admin.DeleteAsync(userId, ct);
            return Results.NoContent();
        }).WithSummary("Delete a user and their tokens (409 for the last admin)");

        var tokens = app.MapGroup("/api/tokens").RequireAuthorization(Roles.Admin).WithTags("Users and tokens");
        tokens.MapGet("", (IUserAdmin admin, CancellationToken ct) => admin.ListTokensAsync(ct))
            .WithSummary("List the API tokens (never their secrets)")
            .Example(response: """[{"id":7,"name":"backup-script","userName":"alice","createdAt":"2025-01-01T10:00:00+00:00","lastUsedAt":"2025-01-02T08:00:00+00:00"}]""");
        tokens.MapPost("", async (HttpRequest req, IUserAdmin admin, CancellationToken ct) =>
        {
            var token = await ApiJson.ReadAsync<NewToken>(req);
            var (created, secret) = await admin.CreateTokenAsync(token.UserId, token.Name, ct);
            return Results.Created($"/api/tokens/{created.Id}", new IssuedToken(created, secret));
        }).Accepts<NewToken>("application/json").Produces<IssuedToken>(StatusCodes.Status201Created)
            .WithSummary("Create a personal API token for a user; the secret is shown in this answer only")
            .WithDescription("Use it as `Authorization: Bearer sha_…`; it acts with its user's role.")
            .Example("""{"userId":2,"name":"backup-script"}""", IssuedTokenExample, StatusCodes.Status201Created);
        tokens.MapDelete("/{tokenId:long}", async (long tokenId, IUserAdmin admin, CancellationToken ct) =>
        {
            await admin.RevokeTokenAsync(tokenId, ct);
            return Results.NoContent();
        }).WithSummary("Revoke an API token: from now on it is answered 401");
    }
}
