using StorageHa.Shared.State;

namespace StorageHa.Shared.Clients;

public enum ClientProtocol { Smb, Nfs }

// Clients seen leaving and arriving on nodes (a failover moves them), told in the same stream as the cluster's changes.

/// <summary>Clients of one kind are no longer on a node: they disconnected, or the node went away with them.</summary>
/// <param name="Who">Who, in words ("alice from 192.0.2.50, bob from 192.0.2.51"; NFS clients' addresses), the first few named.</param>
/// <param name="Why">Set when the console did not see them go but the node stopped answering.</param>
public sealed record ClientsLeftNode(DateTimeOffset At, string Node, ClientProtocol Protocol, int Count, string Who, string? Why = null) : ClusterEvent(At)
{
    public override string Description => $"{ClientCount.Of(Protocol, Count)} left {Node}{(Why is null ? "" : $" ({Why})")}: {Who}";
}

/// <summary>Clients of one kind appeared on a node: new connections, or clients that moved there in a failover.</summary>
public sealed record ClientsArrivedOnNode(DateTimeOffset At, string Node, ClientProtocol Protocol, int Count, string Who) : ClusterEvent(At)
{
    public override string Description => $"{ClientCount.Of(Protocol, Count)} arrived on {Node}: {Who}";
}

/// <summary>The words for a number of clients.</summary>
public static class ClientCount
{
    /// <summary>Names listed in an event before "and N more".</summary>
    public const int Listed = 5;

    public static string Of(ClientProtocol protocol, int count) => protocol == ClientProtocol.Smb
        ? $"{count} SMB session{(count == 1 ? "" : "s")}"
        : $"{count} NFS client{(count == 1 ? "" : "s")}";

    public static string List(IReadOnlyList<string> clients) =>
        string.Join(", ", clients.Take(Listed)) + (clients.Count > Listed ? $" and {clients.Count - Listed} more" : "");
}

/// <summary>What changed between two readings of the clients, per node and kind, as timeline events.</summary>
public static class ClientsDiff
{
    /// <param name="known">The clients last known per node (see <see cref="Known"/>); null at the first reading, which tells nothing.</param>
    public static IReadOnlyList<ClusterEvent> Between(ConnectedClientsReport? known, ConnectedClientsReport after)
    {
        if (known is null) return [];
        var at = after.CheckedAt;
        var events = new List<ClusterEvent>();
        foreach (var node in after.Nodes)
        {
            var was = known.Nodes.FirstOrDefault(n => n.Node == node.Node);
            foreach (var protocol in new[] { ClientProtocol.Smb, ClientProtocol.Nfs })
            {
                var before = was is null || was.Unreachable is not null || Problem(was, protocol) is not null ? null : Clients(was, protocol);
                if (node.Unreachable is not null)
                {
                    // A node that stopped answering (crashed, cut off) took its connections with it.
                    if (before is { Count: > 0 }) events.Add(new ClientsLeftNode(at, node.Node, protocol, before.Count, ClientCount.List([.. before.Values]), "it does not answer"));
                    continue;
                }
                if (Problem(node, protocol) is not null) continue;
                var now = Clients(node, protocol);
                var left = before is null ? [] : before.Where(c => !now.ContainsKey(c.Key)).Select(c => c.Value).ToList();
                // A node the console could not read before: its clients now are told as arrived, as when it comes back.
                var arrived = now.Where(c => before is null ? was is not null : !before.ContainsKey(c.Key)).Select(c => c.Value).ToList();
                if (left.Count > 0) events.Add(new ClientsLeftNode(at, node.Node, protocol, left.Count, ClientCount.List(left)));
                if (arrived.Count > 0) events.Add(new ClientsArrivedOnNode(at, node.Node, protocol, arrived.Count, ClientCount.List(arrived)));
            }
        }
        return events;
    }

    /// <summary>
    /// The clients to compare the next reading with: this reading, except where a kind could not be read on a node
    /// (smbstatus waiting out a CTDB recovery): there the last known clients stay, so a blind moment is not a departure.
    /// </summary>
    public static ConnectedClientsReport Known(ConnectedClientsReport? known, ConnectedClientsReport after) => after with
    {
        Nodes = [.. after.Nodes.Select(node => known?.Nodes.FirstOrDefault(n => n.Node == node.Node) is not { Unreachable: null } was || node.Unreachable is not null ? node
            : node with
            {
                Smb = node.SmbProblem is null ? node.Smb : was.Smb,
                SmbProblem = node.SmbProblem is null ? null : was.SmbProblem,
                Nfs = node.NfsProblem is null ? node.Nfs : was.Nfs,
                NfsProblem = node.NfsProblem is null ? null : was.NfsProblem,
            })],
    };

    private static string? Problem(NodeClients node, ClientProtocol protocol) => protocol == ClientProtocol.Smb ? node.SmbProblem : node.NfsProblem;

    private static Dictionary<string, string> Clients(NodeClients node, ClientProtocol protocol) => protocol == ClientProtocol.Smb
        ? node.Smb.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => $"{g.First().User} from {g.First().ClientAddress}")
        : node.Nfs.GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First().ClientAddress);
}
