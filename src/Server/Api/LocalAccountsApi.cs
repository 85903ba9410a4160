using StorageHa.Server.Auth;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Api;

/// <summary>
/// /api/clusters/{id}/users and /groups: the cluster's local SMB users and groups, as on its Users page. Viewers list;
/// operators create, delete, set passwords and membership, each made on the nodes before it is stored.
/// </summary>
public static class LocalAccountsApi
{
    public sealed record NewUser(string Name, string Password, string? FullName = null, IReadOnlyList<string>? Groups = null);
    public sealed record PasswordChange(string Password);
    public sealed record Membership(IReadOnlyList<string> Groups);
    public sealed record NewGroup(string Name);

    public static void MapLocalAccountsApi(this IEndpointRouteBuilder app)
    {
        var cluster = app.MapGroup("/api/clusters/{id:long}").RequireAuthorization().WithTags("Local users and groups");

        cluster.MapGet("/users", async (long id, ILocalAccounts accounts, CancellationToken ct) => (await accounts.ListAsync(id, ct)).Users)
            .WithSummary("The cluster's local SMB users (names, uids, groups; never a password)")
            .Example(response: """[{"name":"alice","uid":20001,"groups":["staff-rw"],"fullName":"Alice Martin"}]""");
        cluster.MapGet("/groups", async (long id, ILocalAccounts accounts, CancellationToken ct) => (await accounts.ListAsync(id, ct)).Groups)
            .WithSummary("The cluster's local SMB groups")
            .Example(response: """[{"name":"staff-rw","gid":20000}]""");

        cluster.MapPost("/users", async (long id, HttpRequest req, ILocalAccounts accounts, CancellationToken ct) =>
        {
            var user = await ApiJson.ReadAsync<NewUser>(req);
            var created = await accounts.CreateUserAsync(id, new NewLocalUser(user.Name, user.FullName, user.Groups), user.Password, ct);
            return Results.Created($"/api/clusters/{id}/users/{created.Name}", created);
        }).RequireAuthorization(Roles.Operator).Accepts<NewUser>("application/json").Produces<LocalUserSpec>(StatusCodes.Status201Created)
            .WithSummary("Create a local SMB user: its Unix account on every node (next free uid, no login shell, no home), its password in the passdb")
            .WithDescription("The cluster's identity must be LocalUsers (409 otherwise). name: lower-case letters, digits, '_', '-', '.', starting with a letter, " +
                "at most 32 characters, not a system account. password: one line, 1–256 characters; it goes to smbpasswd's standard input on one node and is never stored. " +
                "A node that fails leaves nothing changed (502 naming it).")
            .Example("""{"name":"alice","fullName":"Alice Martin","groups":["staff-rw"],"password":"a long SMB password"}""",
                """{"name":"alice","uid":20001,"groups":["staff-rw"],"fullName":"Alice Martin"}""", StatusCodes.Status201Created);
        cluster.MapPut("/users/{name}/password", async (long id, string name, HttpRequest req, ILocalAccounts accounts, CancellationToken ct) =>
        {
            await accounts.SetPasswordAsync(id, name, (await ApiJson.ReadAsync<PasswordChange>(req)).Password, ct);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Operator).Accepts<PasswordChange>("application/json")
            .WithSummary("Set a local user's SMB password; the old one is refused from the next login on")
            .Example("""{"password":"a new long SMB password"}""");
        cluster.MapPut("/users/{name}/groups", async (long id, string name, HttpRequest req, ILocalAccounts accounts, CancellationToken ct) =>
            await accounts.SetGroupsAsync(id, name, (await ApiJson.ReadAsync<Membership>(req)).Groups ?? [], ct))
            .RequireAuthorization(Roles.Operator).Accepts<Membership>("application/json").Produces<LocalUserSpec>()
            .WithSummary("Put a local user in exactly these local groups (on every node)")
            .Example("""{"groups":["staff-rw"]}""", """{"name":"alice","uid":20001,"groups":["staff-rw"],"fullName":"Alice Martin"}""");
        cluster.MapDelete("/users/{name}", async (long id, string name, ILocalAccounts accounts, CancellationToken ct) =>
        {
            await accounts.DeleteUserAsync(id, name, ct);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Operator)
            .WithSummary("Delete a local user: out of the passdb, its Unix account gone from every node; its uid is never given again");

        cluster.MapPost("/groups", async (long id, HttpRequest req, ILocalAccounts accounts, CancellationToken ct) =>
        {
            var created = await accounts.CreateGroupAsync(id, (await ApiJson.ReadAsync<NewGroup>(req)).Name, ct);
            return Results.Created($"/api/clusters/{id}/groups/{created.Name}", created);
        }).RequireAuthorization(Roles.Operator).Accepts<NewGroup>("application/json").Produces<LocalGroupSpec>(StatusCodes.Status201Created)
            .WithSummary("Create a local group with the next free gid, on every node")
            .Example("""{"name":"staff-rw"}""", """{"name":"staff-rw","gid":20000}""", StatusCodes.Status201Created);
        cluster.MapDelete("/groups/{name}", async (long id, string name, ILocalAccounts accounts, CancellationToken ct) =>
        {
            await accounts.DeleteGroupAsync(id, name, ct);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Operator)
            .WithSummary("Delete a local group from every node (its members stay, no longer in it); its gid is never given again");
    }
}
