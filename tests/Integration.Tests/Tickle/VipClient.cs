using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Tickle;

/// <summary>
/// A client of the VIP, as an SMB or NFS client would be: either actively sending (a byte every 200 ms) or only waiting to
/// read. It notes when it learns its connection is dead (ECONNRESET or EOF) and then reconnects at once, noting when that worked.
/// </summary>
internal sealed class VipClient : IDisposable
{
    private readonly string _ns;
    private readonly IPEndPoint _service;
    private readonly Stopwatch _clock;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Socket? _reconnected;

    private VipClient(string ns, IPEndPoint service, Stopwatch clock, Socket socket, bool sending)
    {
        (_ns, _service, _clock, _socket) = (ns, service, clock, socket);
        LocalPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        Outcome = Task.Run(() => WatchAsync(sending));
    }

    public int LocalPort { get; }

    /// <summary>When (on the test's clock) and how the client learned its connection was gone, and when it was connected again.</summary>
    public Task<(TimeSpan LearnedAt, string How, TimeSpan ReconnectedAt)> Outcome { get; }

    public static VipClient Connect(string ns, IPEndPoint service, bool sending, Stopwatch clock)
    {
        var socket = SocketIn(ns, service);
        socket.Connect(service);
        return new VipClient(ns, service, clock, socket, sending);
    }

    /// <summary>A socket of the client namespace: made on a thread inside it, usable from any thread afterwards.</summary>
    private static Socket SocketIn(string ns, IPEndPoint service) =>
        NetworkNamespace.Run(ns, () => new Socket(service.AddressFamily, SocketType.Stream, ProtocolType.Tcp));

    private async Task<(TimeSpan, string, TimeSpan)> WatchAsync(bool sending)
    {
        var (learnedAt, how) = await LearnAsync(sending);
        while (!_stop.IsCancellationRequested)
        {
            var socket = SocketIn(_ns, _service);
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                deadline.CancelAfter(TimeSpan.FromSeconds(2));
                await socket.ConnectAsync(_service, deadline.Token);
                _reconnected = socket;
                return (learnedAt, how, _clock.Elapsed);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                await Task.Delay(20); // the new owner is not listening yet
            }
        }
        throw new OperationCanceledException("stopped before reconnecting");
    }

    private async Task<(TimeSpan, string)> LearnAsync(bool sending)
    {
        var buffer = new byte[64];
        var receive = _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).AsTask();
        try
        {
            while (sending && !receive.IsCompleted)
            {
                if (await Task.WhenAny(receive, Task.Delay(200, _stop.Token)) == receive) break;
                await _socket.SendAsync(new byte[] { 1 }, SocketFlags.None, _stop.Token);
            }
            var read = await receive;
            return (_clock.Elapsed, read == 0 ? "EOF" : $"{read} unexpected bytes");
        }
        catch (SocketException e)
        {
            return (_clock.Elapsed, e.SocketErrorCode.ToString());
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _reconnected?.Dispose();
    }
}
