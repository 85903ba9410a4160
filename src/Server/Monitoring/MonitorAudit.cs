using System.Collections.Concurrent;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Server.Clients;
using StorageHa.Server.Storage;

namespace StorageHa.Server.Monitoring;

/// <summary>
/// The audit log as the monitors write to it: their read-only crm_mon runs come twice a second (the storage health
/// checks and the connected clients' readings every few seconds while a page watches), so a node's read is written only when its outcome changes (the first
/// success, the first failure after it, and so on); everything else passes through unchanged.
/// </summary>
public sealed class MonitorAudit(IAuditLog inner) : IAuditLog
{
    // Per action and node: whether its last read succeeded.
    private readonly ConcurrentDictionary<string, bool> _reading = new(StringComparer.Ordinal);

    public Task WriteAsync(AuditEntry entry, CancellationToken ct = default)
    {
        if (entry.Action is CrmMonReader.AuditAction or StorageHealthCheck.AuditAction or ConnectedClientsCheck.AuditAction)
        {
            // The runner's detail starts with user@address:port: one node, even when two clusters both have a "node1".
            var node = entry.Action + " " + (entry.Detail?.Split(';')[0] ?? entry.Target ?? "");
            var succeeded = entry.ExitCode == 0;
            if (_reading.TryGetValue(node, out var before) && before == succeeded) return Task.CompletedTask;
            _reading[node] = succeeded;
        }
        return inner.WriteAsync(entry, ct);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken ct = default) => inner.QueryAsync(query, ct);
}
