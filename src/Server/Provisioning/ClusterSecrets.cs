using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Fencing;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Provisioning;

/// <summary>
/// The secrets a plan's steps read on standard input, kept encrypted at rest: the hacluster password and the corosync
/// key, made once per cluster from a cryptographic random source so every re-apply writes the same ones, and the fence
/// devices' passwords, given by the admin (<see cref="FenceDevices.PasswordSecret"/>).
/// </summary>
public sealed class ClusterSecrets(Database db, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("StorageHa.ClusterSecrets.v1");

    public async Task<IReadOnlyDictionary<string, string>> GetOrCreateAsync(long clusterId, CancellationToken ct = default) =>
        new Dictionary<string, string>
        {
            // chpasswd reads one line; the check compares that line against the shadow hash.
            [PlanBuilder.HaclusterPassword] = await GetOrCreateAsync(clusterId, PlanBuilder.HaclusterPassword, () => Random(24) + "\n", ct),
            // corosync wants at least 1024 bits of key; 256 printable bytes survive the text stdin byte for byte.
            [PlanBuilder.CorosyncAuthkey] = await GetOrCreateAsync(clusterId, PlanBuilder.CorosyncAuthkey, () => Random(192), ct),
        };

    /// <summary>Every fence password kept for the cluster, by secret name: handed to a plan run, never shown.</summary>
    public async Task<IReadOnlyDictionary<string, string>> FencePasswordsAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Name, string Secret)>(new CommandDefinition(
            "SELECT name, secret FROM cluster_secrets WHERE cluster_id = @clusterId AND name LIKE 'fence-password:%'", new { clusterId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Name, r => _protector.Unprotect(r.Secret), StringComparer.Ordinal);
    }

    /// <summary>The devices that have a password: all the API and the pages learn of it.</summary>
    public async Task<IReadOnlyList<string>> FencePasswordsSetAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var names = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT name FROM cluster_secrets WHERE cluster_id = @clusterId AND name LIKE 'fence-password:%'", new { clusterId }, cancellationToken: ct));
        return names.Select(n => n["fence-password:".Length..]).ToList();
    }

    public async Task SetFencePasswordAsync(long clusterId, string device, string password, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO cluster_secrets (cluster_id, name, secret) VALUES (@clusterId, @name, @secret) ON CONFLICT (cluster_id, name) DO UPDATE SET secret = excluded.secret",
            new { clusterId, name = FenceDevices.PasswordSecret(device), secret = _protector.Protect(password) }, cancellationToken: ct));
    }

    public async Task RemoveFencePasswordAsync(long clusterId, string device, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM cluster_secrets WHERE cluster_id = @clusterId AND name = @name",
            new { clusterId, name = FenceDevices.PasswordSecret(device) }, cancellationToken: ct));
    }

    private async Task<string> GetOrCreateAsync(long clusterId, string name, Func<string> make, CancellationToken ct) =>
        await db.InTransactionAsync(async (c, tx) =>
        {
            var stored = await c.QuerySingleOrDefaultAsync<string?>("SELECT secret FROM cluster_secrets WHERE cluster_id = @clusterId AND name = @name", new { clusterId, name }, tx);
            if (stored is not null) return _protector.Unprotect(stored);
            var value = make();
            await c.ExecuteAsync("INSERT INTO cluster_secrets (cluster_id, name, secret) VALUES (@clusterId, @name, @secret)",
                new { clusterId, name, secret = _protector.Protect(value) }, tx);
            return value;
        }, ct);

    /// <summary>Base64 of <paramref name="bytes"/> random bytes (4/3 as many characters, no padding for multiples of 3).</summary>
    private static string Random(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
}
