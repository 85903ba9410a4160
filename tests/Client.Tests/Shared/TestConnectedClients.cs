using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;

namespace StorageHa.Client.Tests.Shared;

/// <summary>Connected clients in memory: the reading a list answers, the watches the pages hold, the sessions disconnected.</summary>
public sealed class TestConnectedClients : IConnectedClients
{
    private int _watching;

    /// <summary>How many pages watch the clients now.</summary>
    public int Watching => Volatile.Read(ref _watching);

    public ConnectedClientsReport? Reading { get; set; }

    /// <summary>Thrown by the next disconnect instead of succeeding (a session already gone, a node down).</summary>
    public Exception? Failure { get; set; }

    public List<SmbSessionRef> Disconnected { get; } = [];

    public Task<ConnectedClientsReport> ListAsync(long clusterId, CancellationToken ct = default) =>
        Reading is { } reading ? Task.FromResult(reading) : throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");

    public Task<IDisposable> WatchAsync(long clusterId, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _watching);
        return Task.FromResult<IDisposable>(new Release(this));
    }

    public Task<SmbDisconnected> DisconnectSmbAsync(long clusterId, SmbSessionRef session, CancellationToken ct = default)
    {
        if (Failure is { } failure) throw failure;
        lock (Disconnected) Disconnected.Add(session);
        return Task.FromResult(new SmbDisconnected(session.Node, $"disconnect-smb-session {session.ServerPid} {session.ClientEnd}", "done"));
    }

    private sealed class Release(TestConnectedClients owner) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref owner._watching);
        }
    }
}
