using StorageHa.Shared.Clients;

namespace StorageHa.Shared.Console;

/// <summary>Who is connected to each node of a cluster (viewers), and disconnecting one SMB session (operators).</summary>
public interface IConnectedClients
{
    /// <summary>
    /// The latest reading, or a reading now when there is none from the last few seconds (every reading is also published
    /// to the cluster's live stream, with clients leaving and arriving as events). Throws <see cref="KeyNotFoundException"/>
    /// for a cluster that does not exist.
    /// </summary>
    Task<ConnectedClientsReport> ListAsync(long clusterId, CancellationToken ct = default);

    /// <summary>Reads the clients every few seconds until the returned watch is disposed (a dashboard page holds one); many watches cost one reading.</summary>
    Task<IDisposable> WatchAsync(long clusterId, CancellationToken ct = default);

    /// <summary>
    /// Ends one SMB session: its smbd process on its node is asked to shut down, which ends that client's connection only.
    /// Audited. Throws <see cref="Validation.ConflictException"/> when the session has already ended.
    /// </summary>
    Task<SmbDisconnected> DisconnectSmbAsync(long clusterId, SmbSessionRef session, CancellationToken ct = default);
}

/// <summary>Which SMB session: its node, the smbd process serving it, and the client's end ("ipv4:ADDR:PORT"), as the reading shows them.</summary>
public sealed record SmbSessionRef(string Node, int ServerPid, string ClientEnd);

/// <summary>The session was ended: what the console ran, on which node.</summary>
public sealed record SmbDisconnected(string Node, string Command, string Summary);
