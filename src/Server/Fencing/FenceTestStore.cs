using Dapper;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Fencing;

namespace StorageHa.Server.Fencing;

/// <summary>The last Test result of each (device, node), with the device's fingerprint then: what the plan trusts a device by.</summary>
public sealed class FenceTestStore(Database db)
{
    private sealed record Row(string Device, string FromNode, long Ok, string Message, double Seconds, DateTimeOffset TestedAt, string Fingerprint);

    public async Task<IReadOnlyList<FenceTestResult>> ListAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            "SELECT device AS Device, from_node AS FromNode, ok AS Ok, message AS Message, seconds AS Seconds, tested_at AS TestedAt, fingerprint AS Fingerprint " +
            "FROM fence_tests WHERE cluster_id = @clusterId ORDER BY device, from_node", new { clusterId }, cancellationToken: ct));
        return rows.Select(r => new FenceTestResult(r.Device, r.FromNode, r.Ok != 0, r.Message, r.Seconds, r.TestedAt) { Fingerprint = r.Fingerprint }).ToList();
    }

    /// <summary>Replaces the results of the (device, node) pairs given; the others stay.</summary>
    public Task SaveAsync(long clusterId, IEnumerable<FenceTestResult> results, CancellationToken ct = default) =>
        db.InTransactionAsync(async (c, tx) =>
        {
            foreach (var r in results)
                await c.ExecuteAsync(
                    "INSERT OR REPLACE INTO fence_tests (cluster_id, device, from_node, ok, message, seconds, tested_at, fingerprint) " +
                    "VALUES (@clusterId, @Device, @FromNode, @Ok, @Message, @Seconds, @TestedAt, @Fingerprint)",
                    new { clusterId, r.Device, r.FromNode, Ok = r.Ok ? 1 : 0, r.Message, r.Seconds, r.TestedAt, r.Fingerprint }, tx);
            return true;
        }, ct);

    /// <summary>A new password: what the device's old results proved no longer holds.</summary>
    public async Task ForgetAsync(long clusterId, string device, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM fence_tests WHERE cluster_id = @clusterId AND device = @device", new { clusterId, device }, cancellationToken: ct));
    }
}
