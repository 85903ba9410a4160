using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using StorageHa.Shared.Console;
using StorageHa.Server.Audit;
using StorageHa.Server.Auth;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Inventory;

/// <summary>Hands the SSH layer the secret of a credential, decrypted only at the moment of use, with where it may go.</summary>
public interface INodeSecrets
{
    /// <summary>The node's credential, allowed only at the place an admin bound it to for this node (nowhere when never bound).</summary>
    Task<SshAuth> GetAuthAsync(long nodeId, long credentialId, CancellationToken ct = default);
}

/// <summary>SSH credentials, encrypted at rest with ASP.NET Core Data Protection; secrets never leave the server.</summary>
public sealed class CredentialVault(Database db, IDataProtectionProvider protection, ICurrentActor actor, TimeProvider time)
    : ICredentialStore, INodeSecrets
{
    private readonly IDataProtector _protector = protection.CreateProtector("StorageHa.Credentials.v1");

    public async Task<IReadOnlyList<Credential>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Credential>("SELECT id, name, kind, public_key AS PublicKey, created_at AS CreatedAt FROM credentials ORDER BY name")).ToList();
    }

    public Task<Credential> GenerateKeyAsync(string name, CancellationToken ct = default)
    {
        var pair = SshKeyPairGenerator.Generate($"storageha-{name}");
        return Store(name, CredentialKind.PrivateKey, pair.PublicKey, new Secret(pair.PrivateKey, null, null), "credential.generate-key", ct);
    }

    public Task<Credential> AddPrivateKeyAsync(string name, string privateKey, string? passphrase, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(privateKey) || !privateKey.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            throw new InvalidInputException("privateKey", "must be a private key in OpenSSH or PEM format (-----BEGIN … PRIVATE KEY-----)");
        if (privateKey.Length > 64 * 1024) throw new InvalidInputException("privateKey", "is too long for an SSH key");
        if (passphrase?.Length > 1024) throw new InvalidInputException("passphrase", "must be at most 1024 characters");
        if (PrivateKeyText.Check(privateKey, passphrase) is { } unreadable) throw new InvalidInputException([unreadable]);
        return Store(name, CredentialKind.PrivateKey, null, new Secret(privateKey.Trim() + "\n", passphrase, null), "credential.add-key", ct);
    }

    public Task<Credential> AddPasswordAsync(string name, string password, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(password)) throw new InvalidInputException("password", "is required");
        if (password.Length > 1024) throw new InvalidInputException("password", "must be at most 1024 characters");
        return Store(name, CredentialKind.Password, null, new Secret(null, null, password), "credential.add-password", ct);
    }

    public async Task DeleteAsync(long credentialId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Admin);
        await db.InTransactionAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM nodes WHERE credential_id = @credentialId", new { credentialId }, tx) > 0)
                throw new ConflictException("id", "Nodes still log in with this credential; give them another one first.");
            var name = await c.QuerySingleOrDefaultAsync<string>("SELECT name FROM credentials WHERE id = @credentialId", new { credentialId }, tx)
                ?? throw new KeyNotFoundException($"There is no credential with id {credentialId}.");
            await c.ExecuteAsync("DELETE FROM credentials WHERE id = @credentialId", new { credentialId }, tx);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = "credential.delete", Target = name });
            return 0;
        }, ct);
    }

    public async Task<SshAuth> GetAuthAsync(long nodeId, long credentialId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Name, string Secret)>("SELECT name, secret FROM credentials WHERE id = @credentialId", new { credentialId });
        if (row.Name is null) throw new KeyNotFoundException($"There is no credential with id {credentialId}.");
        var allowedAt = await CredentialBindings.OfAsync(c, nodeId, credentialId) ?? CredentialBinding.Nowhere;
        var secret = JsonSerializer.Deserialize<Secret>(_protector.Unprotect(row.Secret))!;
        var auth = secret.Password is { } password
            ? SshAuth.WithPassword(password, row.Name)
            : SshAuth.WithKey(secret.PrivateKey!, secret.Passphrase, row.Name);
        return auth with { AllowedAt = allowedAt };
    }

    private async Task<Credential> Store(string name, CredentialKind kind, string? publicKey, Secret secret, string action, CancellationToken ct)
    {
        var who = await actor.RequireAsync(Role.Admin);
        if (InputRules.Name(name) is { } error) throw new InvalidInputException("name", error);
        var created = time.GetUtcNow();
        var sealedSecret = _protector.Protect(JsonSerializer.Serialize(secret));
        return await db.InTransactionAsync(async (c, tx) =>
        {
            if (await c.ExecuteScalarAsync<long>("SELECT count(*) FROM credentials WHERE name = @name", new { name }, tx) > 0)
                throw new ConflictException("name", $"A credential named '{name}' already exists.");
            var id = await c.ExecuteScalarAsync<long>(
                "INSERT INTO credentials (name, kind, public_key, secret, created_at) VALUES (@name, @kind, @publicKey, @sealedSecret, @created) RETURNING id",
                new { name, kind = kind.ToString(), publicKey, sealedSecret, created }, tx);
            await AuditTrail.WriteAsync(c, tx, new AuditEntry { At = created, Actor = who, Action = action, Target = name });
            return new Credential { Id = id, Name = name, Kind = kind, PublicKey = publicKey, CreatedAt = created };
        }, ct);
    }

    private sealed record Secret(string? PrivateKey, string? Passphrase, string? Password);
}
