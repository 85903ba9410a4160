using System.Data;
using Dapper;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Server.Inventory;

namespace StorageHa.Server.Audit;

/// <summary>The audit log in SQLite: append-only, newest first when read.</summary>
public sealed class AuditTrail(Database db) : IAuditLog
{
    public async Task WriteAsync(AuditEntry entry, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await WriteAsync(c, null, entry);
    }

    /// <summary>Writes inside the caller's transaction, so the audit line lands with the change it describes.</summary>
    public static Task WriteAsync(IDbConnection c, IDbTransaction? tx, AuditEntry e) =>
        c.ExecuteAsync("INSERT INTO audit_log (at, actor, action, target, command, exit_code, detail) VALUES (@At, @Actor, @Action, @Target, @Command, @ExitCode, @Detail)", e, tx);

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var search = string.IsNullOrWhiteSpace(query.Search) ? null : "%" + query.Search.Trim() + "%";
        return (await c.QueryAsync<AuditEntry>(
            """
            SELECT id, at, actor, action, target, command, exit_code AS ExitCode, detail FROM audit_log
            WHERE @search IS NULL OR actor LIKE @search OR action LIKE @search OR target LIKE @search OR command LIKE @search
            ORDER BY id DESC LIMIT @take OFFSET @skip
            """,
            new { search, take = Math.Clamp(query.Take, 1, 1000), skip = Math.Max(0, query.Skip) })).ToList();
    }
}
