using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Provisioning;

/// <summary>
/// The secrets a plan's steps read on standard input — the hacluster password and the corosync key — made once per
/// cluster from a cryptographic random source and kept encrypted at rest, so every re-apply writes the same ones.
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
