using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Clients;

namespace StorageHa.Server.Clients;

/// <summary>Asks every node at once who is connected to it (connected-clients.sh: smbstatus, Ganesha's ShowClients, ss), through the live-node door.</summary>
public sealed class ConnectedClientsCheck(LiveNodes live, TimeProvider time)
{
    /// <summary>Audited once per node and outcome (<see cref="Monitoring.MonitorAudit"/>): a watched cluster is read every few seconds.</summary>
    public const string AuditAction = "clients.list";

    /// <summary>
    /// The script bounds smbstatus and dbus-send at 5 s each; a live node answers in well under a second. A dead one
    /// would hold the reading back (every node's answer makes one reading) only this long, so a failover's arrivals show soon.
    /// </summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(12);

    private static readonly ClusterQuery<string> Query = new(ConnectedClientsRead.NodeCommand, r => r.ExitCode == 0 ? r.StdOut
        : throw new NoAnswerException($"connected-clients.sh exited {r.ExitCode}: {r.StdErr.Trim()}"));

    /// <param name="names">Every node of the inventory in its order: one the console cannot log in to is shown unreachable, with why.</param>
    public async Task<ConnectedClientsReport> ReadAsync(IReadOnlyList<string> names, ClusterNodes cluster, IReadOnlyList<string> vips, Asker asker, CancellationToken ct)
    {
        var nodes = await live.AskEachAsync(cluster, Query, asker, NodeTimeout, ConnectedClientsRead.Parse,
            (node, why) => new NodeClients(node) { Unreachable = why }, ct);
        return new ConnectedClientsReport(time.GetUtcNow(), vips,
            [.. names.Select(name => nodes.FirstOrDefault(n => n.Node == name)
                ?? new NodeClients(name) { Unreachable = cluster.Problem ?? "the console cannot log in to it" })]);
    }
}
