using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>Records audit entries in memory so tests can read what the SSH layer wrote; the real log is SQLite.</summary>
internal sealed class AuditRecorder : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries { get { lock (_entries) return [.. _entries]; } }

    public Task WriteAsync(AuditEntry entry, CancellationToken ct = default)
    {
        lock (_entries) _entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<AuditEntry>>(Entries.Skip(query.Skip).Take(query.Take).ToList());
}
