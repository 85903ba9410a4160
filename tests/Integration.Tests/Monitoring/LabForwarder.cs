using System.Net;
using System.Net.Sockets;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Monitoring;

/// <summary>
/// Lets a console running in the test process reach one lab node: a loopback port whose connections are carried to
/// the node's sshd from inside the lab's client namespace. Bytes are copied as they are, so a crashed node is as
/// silent through it as it is on the lab's switch, and a node that cannot be reached closes the connection.
/// </summary>
internal sealed class LabForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private readonly string _namespace;
    private readonly IPEndPoint _node;

    public LabForwarder(string clientNamespace, string address, int port)
    {
        (_namespace, _node) = (clientNamespace, new IPEndPoint(IPAddress.Parse(address), port));
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket local;
            try { local = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = Task.Run(() => CarryAsync(local));
        }
    }

    private async Task CarryAsync(Socket local)
    {
        Socket? remote = null;
        try
        {
            // The socket is made and connected on a thread inside the client namespace, and stays there.
            remote = NetworkNamespace.Run(_namespace, () =>
            {
                var socket = new Socket(_node.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try { socket.ConnectAsync(_node, deadline.Token).AsTask().GetAwaiter().GetResult(); }
                catch { socket.Dispose(); throw; }
                return socket;
            });
            lock (_open) { _open.Add(local); _open.Add(remote); }
            using var either = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var there = Copy(local, remote, either.Token);
            var back = Copy(remote, local, either.Token);
            await Task.WhenAny(there, back);
            await either.CancelAsync();
        }
        catch (Exception) { /* the node is unreachable or the connection ended: close both sides */ }
        finally
        {
            local.Dispose();
            remote?.Dispose();
        }
    }

    private static async Task Copy(Socket from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (n == 0) return;
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct);
            }
        }
        catch (Exception) { /* either side went away */ }
    }

    /// <summary>Cuts every connection carried so far, as a broken network path would; new ones are still carried.</summary>
    public void DropConnections()
    {
        lock (_open)
        {
            foreach (var socket in _open) socket.Dispose();
            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_open) foreach (var socket in _open) socket.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
