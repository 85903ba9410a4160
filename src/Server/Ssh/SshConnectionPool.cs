using Renci.SshNet;

namespace StorageHa.Server.Ssh;

/// <summary>A node's connection as the pool hands it out; Reused says it was open before this caller asked (it may have gone stale).</summary>
internal readonly record struct PooledConnection(SshClient Client, bool Reused);

/// <summary>One open SSH connection per node (address, port, user), shared by all commands and re-opened when it drops.</summary>
public sealed class SshConnectionPool(SshSettings settings) : IDisposable
{
    private readonly SshConnector _connector = new(settings);
    private readonly Dictionary<(string Address, int Port, string User), Slot> _slots = [];
    private bool _disposed;

    public SshConnectionPool() : this(new SshSettings()) { }

    internal SshSettings Settings => settings;

    /// <summary>How many connections are open right now.</summary>
    public int OpenConnections
    {
        get { lock (_slots) return _slots.Values.Count(s => s.Client?.IsConnected == true); }
    }

    /// <summary>The node's open connection, or a new one; a changed credential or pinned key opens a new one.</summary>
    internal async Task<PooledConnection> GetAsync(SshTarget target, CancellationToken ct)
    {
        var slot = SlotFor(target);
        await slot.Gate.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (slot.Client is { IsConnected: true } open && slot.Target == target) return new(open, Reused: true);
            slot.Close();
            var client = await _connector.ConnectAsync(target, ct);
            if (_disposed)
            {
                client.Dispose();
                throw new ObjectDisposedException(nameof(SshConnectionPool));
            }
            (slot.Client, slot.Target) = (client, target);
            return new(client, Reused: false);
        }
        finally { slot.Gate.Release(); }
    }

    /// <summary>Forgets a broken connection so the next command opens a fresh one; returns at once, closing it in the background.</summary>
    internal void Discard(SshTarget target, SshClient broken)
    {
        // Without the gate: a connect in progress to the same dead node may hold it for the whole connect timeout.
        var slot = SlotFor(target);
        if (ReferenceEquals(Interlocked.CompareExchange(ref slot.Client, null, broken), broken))
            _ = Task.Run(() => Slot.Close(broken));
    }

    /// <summary>A fresh SFTP session with the same login and pinned host key; the caller closes it (uploads are rare).</summary>
    internal Task<SftpClient> OpenSftpAsync(SshTarget target, CancellationToken ct) => _connector.ConnectSftpAsync(target, ct);

    internal Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct) =>
        _connector.FetchHostKeyAsync(name, address, port, ct);

    private Slot SlotFor(SshTarget target)
    {
        lock (_slots)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var key = (target.Address, target.Port, target.User);
            if (!_slots.TryGetValue(key, out var slot)) _slots[key] = slot = new Slot();
            return slot;
        }
    }

    public void Dispose()
    {
        lock (_slots)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var slot in _slots.Values) slot.Close();
        }
    }

    private sealed class Slot
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public SshClient? Client;
        public SshTarget? Target;

        public void Close()
        {
            var client = Interlocked.Exchange(ref Client, null);
            Target = null;
            if (client is not null) Close(client);
        }

        public static void Close(SshClient client)
        {
            try { client.Disconnect(); } catch (Exception) { /* already gone */ }
            client.Dispose();
        }
    }
}
