using System.Collections.Concurrent;
using StorageHa.Client.Services;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Monitoring;

/// <summary>
/// The audit log as the monitors write to it: their read-only crm_mon runs come twice a second, so only the first
/// successful read from a node, and every failure, are written; everything else passes through unchanged.
/// </summary>
public sealed class MonitorAudit(IAuditLog inner) : IAuditLog
{
    private readonly ConcurrentDictionary<string, bool> _reading = new(StringComparer.Ordinal);

    public Task WriteAsync(AuditEntry entry, CancellationToken ct = default)
    {
        if (entry.Action == CrmMonReader.AuditAction)
        {
            // The runner's detail starts with user@address:port: one node, even when two clusters both have a "node1".
            var node = entry.Detail?.Split(';')[0] ?? entry.Target ?? "";
            if (entry.ExitCode != 0) _reading.TryRemove(node, out _);
            else if (!_reading.TryAdd(node, true)) return Task.CompletedTask;
        }
        return inner.WriteAsync(entry, ct);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default) => inner.QueryAsync(query, ct);
}
