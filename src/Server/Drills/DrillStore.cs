using Dapper;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Drills;

namespace StorageHa.Server.Drills;

/// <summary>The drills in SQLite: stored as each starts (so one cut short still shows), updated as it ends; listed newest first.</summary>
public sealed class DrillStore(Database db)
{
    /// <summary>Stores a drill that starts (or is refused); returns it with its id.</summary>
    public async Task<DrillReport> AddAsync(DrillReport report, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO drills (cluster_id, target_kind, target, started_by, started_at, ended_at, outcome, report)
            VALUES (@ClusterId, @kind, @target, @StartedBy, @StartedAt, @EndedAt, @outcome, '{}');
            SELECT last_insert_rowid();
            """,
            new { report.ClusterId, kind = report.Target.Kind.ToString(), target = report.Target.Name, report.StartedBy, report.StartedAt, report.EndedAt,
                outcome = report.Outcome.ToString() });
        var stored = report with { Id = id };
        await UpdateAsync(stored, ct);
        return stored;
    }

    public async Task UpdateAsync(DrillReport report, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE drills SET ended_at = @EndedAt, outcome = @outcome, report = @json WHERE id = @Id",
            new { report.EndedAt, outcome = report.Outcome.ToString(), json = DrillExport.ToJson(report), report.Id });
    }

    /// <summary>A cluster's drills, newest first.</summary>
    public async Task<IReadOnlyList<DrillReport>> ListAsync(long clusterId, int take = 100, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<string>("SELECT report FROM drills WHERE cluster_id = @clusterId ORDER BY started_at DESC, id DESC LIMIT @take",
            new { clusterId, take = Math.Clamp(take, 1, 1000) });
        return [.. rows.Select(DrillExport.FromJson)];
    }

    /// <summary>Every drill stored as running, of every cluster, oldest first: at start-up, those a stopped console left.</summary>
    public async Task<IReadOnlyList<DrillReport>> ListRunningAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<string>("SELECT report FROM drills WHERE outcome = @running ORDER BY started_at, id",
            new { running = nameof(DrillOutcome.Running) });
        return [.. rows.Select(DrillExport.FromJson)];
    }

    /// <summary>One drill of the cluster; null when it has none with that id.</summary>
    public async Task<DrillReport?> GetAsync(long clusterId, long drillId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var json = await c.QuerySingleOrDefaultAsync<string>("SELECT report FROM drills WHERE cluster_id = @clusterId AND id = @drillId", new { clusterId, drillId });
        return json is null ? null : DrillExport.FromJson(json);
    }
}
