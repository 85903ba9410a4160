using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Serving;

/// <summary>Each cluster's latest serve check in SQLite: what the dashboard shows until the next one.</summary>
public sealed class ServeCheckStore(Database db)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public async Task SaveAsync(long clusterId, ServeReport report, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("INSERT INTO serve_checks (cluster_id, checked_at, report) VALUES (@clusterId, @checkedAt, @report) " +
            "ON CONFLICT (cluster_id) DO UPDATE SET checked_at = excluded.checked_at, report = excluded.report",
            new { clusterId, checkedAt = report.CheckedAt, report = JsonSerializer.Serialize(report, Json) });
    }

    public async Task<ServeReport?> LastAsync(long clusterId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var json = await c.QuerySingleOrDefaultAsync<string>("SELECT report FROM serve_checks WHERE cluster_id = @clusterId", new { clusterId });
        return json is null ? null : JsonSerializer.Deserialize<ServeReport>(json, Json);
    }
}
