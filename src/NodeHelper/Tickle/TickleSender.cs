using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Tickle;

namespace StorageHa.NodeHelper.Tickle;

/// <summary>Why tickles could not be sent at all, in the admin's words.</summary>
internal sealed class TickleRefusedException(string message) : Exception(message);

/// <summary>
/// Sends tickles from the VIP over raw sockets bound to it: bound, so a VIP that is not up yet fails loudly instead of
/// tickling clients into replies nobody receives. IPv4 goes with IP_HDRINCL (IPPROTO_RAW, which also never receives
/// a copy of incoming TCP); IPv6 raw sockets cannot carry our own header, so the kernel adds it to our TCP header.
/// </summary>
internal sealed class TickleSender : IDisposable
{
    private readonly IPAddress _vip;
    private Socket? _socket;

    public TickleSender(IPAddress vip)
    {
        _vip = Endpoints.Normalise(vip);
    }

    /// <summary>Sends one tickle; false with the reason when this packet could not be sent (the others still go).</summary>
    public bool Send(VipConnection connection, out string? problem)
    {
        var socket = _socket ??= Open();
        var packet = _vip.AddressFamily == AddressFamily.InterNetwork
            ? TicklePacket.Ipv4Datagram(connection.Vip, connection.Client)
            : TicklePacket.TcpSegment(connection.Vip, connection.Client);
        try
        {
            socket.SendTo(packet, new IPEndPoint(connection.Client.Address, 0)); // a raw socket's port must be 0
            problem = null;
            return true;
        }
        catch (SocketException e)
        {
            problem = $"{TickleList.Endpoint(connection.Client)}: {e.Message}";
            return false;
        }
    }

    private Socket Open()
    {
        Socket socket;
        try
        {
            socket = _vip.AddressFamily == AddressFamily.InterNetwork
                ? new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw)
                : new Socket(AddressFamily.InterNetworkV6, SocketType.Raw, ProtocolType.Tcp);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AccessDenied)
        {
            throw new TickleRefusedException(
                "sending tickles needs a raw socket (CAP_NET_RAW): run as root, or give the binary the capability with " +
                $"`setcap cap_net_raw+ep {Environment.ProcessPath ?? "/usr/local/sbin/storageha-node"}` ({e.Message})");
        }
        try
        {
            if (_vip.AddressFamily == AddressFamily.InterNetworkV6) socket.ReceiveBufferSize = 1; // never read: keep no copies of incoming TCP
            socket.Bind(new IPEndPoint(_vip, 0));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TickleRefusedException(e.SocketErrorCode == SocketError.AddressNotAvailable
                ? $"{_vip} is not configured on this node: bring the VIP up (and announce it) before sending tickles"
                : $"cannot send from {_vip}: {e.Message}");
        }
        return socket;
    }

    public void Dispose() => _socket?.Dispose();
}
