using Dapper;

namespace StorageHa.Server.Inventory;

/// <summary>Brings the database schema up to date at start-up from the embedded, numbered SQL scripts.</summary>
public sealed class Migrator(Database database, ILogger<Migrator> logger)
{
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // For scripts that bring stored values to the one spelling the rules give them (0009: addresses).
        connection.CreateFunction("canonical_address", (string address) => Shared.Validation.InputRules.CanonicalAddress(address), isDeterministic: true);
        // WAL lets the dashboard read while a job writes; it is a property of the file, set once.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        database.KeepPrivate();
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_version")).ToHashSet();

        foreach (var (version, sql) in Scripts().Where(s => !applied.Contains(s.Version)))
        {
            // SQLite's way to rebuild a table that others reference: foreign keys off (a pragma that a transaction
            // ignores, so set before it), the script in one transaction, every reference checked before it commits.
            await connection.ExecuteAsync("PRAGMA foreign_keys = OFF");
            try
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await connection.ExecuteAsync(sql, transaction: transaction);
                var broken = (await connection.QueryAsync<string>("SELECT \"table\" FROM pragma_foreign_key_check", transaction: transaction)).Distinct().ToList();
                if (broken.Count > 0)
                    throw new InvalidOperationException($"Migration {version} would leave rows of {string.Join(", ", broken)} pointing at nothing; nothing was changed.");
                await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@version, @at)",
                    new { version, at = DateTimeOffset.UtcNow }, transaction);
                await transaction.CommitAsync(ct);
            }
            finally
            {
                await connection.ExecuteAsync("PRAGMA foreign_keys = ON");
            }
            logger.LogInformation("Inventory schema migrated to version {Version}", version);
        }
    }

    public static IReadOnlyList<(long Version, string Sql)> Scripts()
    {
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.Contains(".Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                var file = n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..];
                return (long.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture), reader.ReadToEnd());
            })
            .OrderBy(s => s.Item1)
            .ToList();
    }
}
