using System.Net;
using System.Net.Sockets;

namespace StorageHa.TestSupport.Sshd;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of a local port, standing for the network path to a node: its established
/// connections can be cut silently (a NAT or firewall that forgot them) or reset on their next packet (a node that
/// rebooted), while new connections pass; it can also stop accepting (a node whose sshd is gone).
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Link> _links = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private TcpForwarder(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public string Address => "127.0.0.1";
    public int Port { get; }

    /// <summary>How many connections it has forwarded since it started.</summary>
    public int ConnectionsForwarded { get { lock (_links) return _links.Count; } }

    public static TcpForwarder To(int targetPort) => new(targetPort);

    /// <summary>Established connections carry nothing more either way, and nobody is told; new connections pass.</summary>
    public void CutSilently() => SetEstablished(LinkState.Silent);

    /// <summary>The next packet a client sends on an established connection is answered with a TCP reset; new connections pass.</summary>
    public void ResetOnNextPacket() => SetEstablished(LinkState.ResetOnNextPacket);

    /// <summary>New connections are refused from now on, as by a host with nothing listening on the port.</summary>
    public void StopAccepting() => _listener.Stop();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException) { }
        lock (_links) foreach (var link in _links) link.Close();
        _stop.Dispose();
    }

    private void SetEstablished(LinkState state)
    {
        lock (_links) foreach (var link in _links) link.State = state;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token); }
            catch (SocketException)
            {
                client.Close();
                server.Dispose();
                continue;
            }
            var link = new Link(client, server);
            lock (_links) _links.Add(link);
            _ = link.PumpAsync(client, server, fromClient: true);
            _ = link.PumpAsync(server, client, fromClient: false);
        }
    }

    private enum LinkState { Passing, Silent, ResetOnNextPacket }

    /// <summary>One forwarded connection: the client's socket and ours to the target.</summary>
    private sealed class Link(Socket client, Socket server)
    {
        public volatile LinkState State = LinkState.Passing;

        public async Task PumpAsync(Socket from, Socket to, bool fromClient)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0) break;
                    switch (State)
                    {
                        case LinkState.Passing:
                            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                            break;
                        case LinkState.ResetOnNextPacket when fromClient:
                            Reset();
                            return;
                        default:
                            continue; // lost on the way
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
            // One side ended: a passing link ends the other; a cut one tells nobody.
            if (State == LinkState.Passing) Close();
        }

        private void Reset()
        {
            // Linger 0 makes Close send RST instead of FIN, as a host that no longer knows the connection does.
            try { client.LingerState = new LingerOption(true, 0); } catch (ObjectDisposedException) { }
            Close();
        }

        public void Close()
        {
            client.Close();
            server.Close();
        }
    }
}
