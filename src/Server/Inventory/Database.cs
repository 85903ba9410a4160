using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using StorageHa.Server.Security;

namespace StorageHa.Server.Inventory;

/// <summary>The SQLite file behind the inventory: opens connections with the same pragmas every time.</summary>
public sealed class Database
{
    private readonly string _connectionString;

    static Database()
    {
        // Dapper's built-in DateTimeOffset mapping does not round-trip through SQLite text; ours does.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    public Database(string path)
    {
        Path = path;
        PrivateFiles.Folder(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        // Created 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
        if (!File.Exists(path)) PrivateFiles.Write(path, []);
        KeepPrivate();
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>The database and its WAL and shared-memory files: the service user's alone (files made by older versions too).</summary>
    public void KeepPrivate()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" }) PrivateFiles.Restrict(file);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken ct = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        // A writer waits for another instead of failing at once; NORMAL is durable with WAL except on power loss.
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;");
        return connection;
    }

    /// <summary>Runs one user action in one transaction: all of it lands, or none of it.</summary>
    public async Task<T> InTransactionAsync<T>(Func<IDbConnection, IDbTransaction, Task<T>> action, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        // BEGIN IMMEDIATE takes the write lock up front, so read-check-write sequences cannot interleave.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        var result = await action(connection, transaction);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary>Stores times as round-trip ISO 8601 text in UTC, so they sort and read back exactly.</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        }

        public override DateTimeOffset Parse(object value) =>
            DateTimeOffset.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
