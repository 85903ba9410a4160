using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Server.Api;

/// <summary>
/// /api/credentials: how the console logs in to nodes, as on the Credentials page. Everyone signed in sees the list;
/// only admins add or remove. Secrets go in and never come out: no answer, log line or audit line holds one.
/// </summary>
public static class CredentialsApi
{
    public sealed record NewKey(string Name);
    public sealed record NewPrivateKey(string Name, string PrivateKey, string? Passphrase = null);
    public sealed record NewPassword(string Name, string Password);

    /// <summary>A generated key: its public half, and the line that lets it in when run as the node's SSH user.</summary>
    public sealed record GeneratedKey(Credential Credential, string InstallCommand);

    private const string CredentialExample = """{"id":3,"name":"nas1-key","kind":"PrivateKey","publicKey":"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… storageha-nas1-key","createdAt":"2025-01-01T10:00:00+00:00"}""";

    public static void MapCredentialsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/credentials").RequireAuthorization().WithTags("Credentials");

        api.MapGet("", (ICredentialStore store, CancellationToken ct) => store.ListAsync(ct))
            .WithSummary("List the credentials (names, kinds, public keys; never a secret)")
            .Example(response: $"[{CredentialExample}]");

        api.MapPost("/generate-key", async (HttpRequest req, ICredentialStore store, CancellationToken ct) =>
        {
            var created = await store.GenerateKeyAsync((await ApiJson.ReadAsync<NewKey>(req)).Name, ct);
            return Results.Created($"/api/credentials/{created.Id}", new GeneratedKey(created, AuthorizedKey.OneLineInstall(created.PublicKey!)));
        }).RequireAuthorization(Roles.Admin).Accepts<NewKey>("application/json").Produces<GeneratedKey>(StatusCodes.Status201Created)
            .WithSummary("Generate an ed25519 key pair on the server")
            .WithDescription("The private key stays on the server, encrypted. The answer holds the public key and the one-line command that appends it to ~/.ssh/authorized_keys; run it as the SSH user on every node (or use POST /api/clusters/{id}/nodes/{nodeId}/install-key).")
            .Example("""{"name":"nas1-key"}""",
                $$"""{"credential":{{CredentialExample}},"installCommand":"echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… storageha-nas1-key' >> ~/.ssh/authorized_keys"}""", StatusCodes.Status201Created);

        api.MapPost("/private-key", async (HttpRequest req, ICredentialStore store, CancellationToken ct) =>
        {
            var key = await ApiJson.ReadAsync<NewPrivateKey>(req);
            var created = await store.AddPrivateKeyAsync(key.Name, key.PrivateKey, key.Passphrase, ct);
            return Results.Created($"/api/credentials/{created.Id}", created);
        }).RequireAuthorization(Roles.Admin).Accepts<NewPrivateKey>("application/json").Produces<Credential>(StatusCodes.Status201Created)
            .WithSummary("Add an existing private key (OpenSSH or PEM: ed25519, RSA, ECDSA), with its passphrase if it has one")
            .WithDescription("The key is opened once to check it (a damaged key or a wrong passphrase is a 400 naming the field), then stored encrypted. It is never returned.")
            .Example("""{"name":"ops-key","privateKey":"-----BEGIN OPENSSH PRIVATE KEY-----\n…\n-----END OPENSSH PRIVATE KEY-----\n","passphrase":"correct horse"}""",
                """{"id":4,"name":"ops-key","kind":"PrivateKey","publicKey":null,"createdAt":"2025-01-01T10:00:00+00:00"}""", StatusCodes.Status201Created);

        api.MapPost("/password", async (HttpRequest req, ICredentialStore store, CancellationToken ct) =>
        {
            var password = await ApiJson.ReadAsync<NewPassword>(req);
            var created = await store.AddPasswordAsync(password.Name, password.Password, ct);
            return Results.Created($"/api/credentials/{created.Id}", created);
        }).RequireAuthorization(Roles.Admin).Accepts<NewPassword>("application/json").Produces<Credential>(StatusCodes.Status201Created)
            .WithSummary("Add an SSH password (stored encrypted, never returned)")
            .Example("""{"name":"lab-root","password":"the node's root password"}""",
                """{"id":5,"name":"lab-root","kind":"Password","publicKey":null,"createdAt":"2025-01-01T10:00:00+00:00"}""", StatusCodes.Status201Created);

        api.MapDelete("/{credentialId:long}", async (long credentialId, ICredentialStore store, CancellationToken ct) =>
        {
            await store.DeleteAsync(credentialId, ct);
            return Results.NoContent();
        }).RequireAuthorization(Roles.Admin)
            .WithSummary("Remove a credential (409 while a node still logs in with it)");
    }
}
