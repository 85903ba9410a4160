using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Serving;

/// <summary>
/// One held TCP connection to a VIP's service, opened with the service's own first exchange (SMB2 NEGOTIATE, an RPC NULL
/// call) and then asked again and again on the same connection (SMB2 ECHO, RPC NULL), so a probe costs the node no new
/// process or connection while the service answers.
/// </summary>
public abstract class ProbeConnection : IDisposable
{
    private readonly Socket _socket;

    protected ProbeConnection(Socket socket)
    {
        _socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: true);
    }

    protected NetworkStream Stream { get; }

    /// <summary>
    /// Connects to <paramref name="vip"/>'s <paramref name="service"/> and has the opening exchange; <paramref name="ct"/> bounds
    /// both. <paramref name="connected"/> is called once the TCP connection stands (the opening exchange follows).
    /// </summary>
    public static async Task<ProbeConnection> OpenAsync(FileService service, IPAddress vip, int? port, Action connected, CancellationToken ct)
    {
        var socket = new Socket(vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(vip, port ?? DefaultPort(service)), ct);
            connected();
            ProbeConnection connection = service == FileService.Smb ? new SmbProbeConnection(socket) : new NfsProbeConnection(socket);
            try
            {
                await connection.OpenAsync(ct);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static int DefaultPort(FileService service) => service == FileService.Smb ? ServeCheck.SmbPort : ServeCheck.NfsPort;

    /// <summary>The opening exchange on a new connection.</summary>
    protected abstract Task OpenAsync(CancellationToken ct);

    /// <summary>Asks the service whether it is there; throws when it does not answer as itself.</summary>
    public abstract Task AskAsync(CancellationToken ct);

    protected async Task<byte[]> ReadAsync(int length, CancellationToken ct)
    {
        var buffer = new byte[length];
        await Stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }

    public void Dispose()
    {
        Stream.Dispose();
        _socket.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>NEGOTIATE once, then ECHO: smbd answers ECHO without a session.</summary>
public sealed class SmbProbeConnection(Socket socket) : ProbeConnection(socket)
{
    private ulong _nextMessageId;

    protected override async Task OpenAsync(CancellationToken ct)
    {
        await Stream.WriteAsync(Smb2Messages.Negotiate(), ct);
        Smb2Messages.ReadNegotiateResponse(await ReadMessageAsync(ct));
        _nextMessageId = 1;
    }

    public override async Task AskAsync(CancellationToken ct)
    {
        var id = _nextMessageId++;
        await Stream.WriteAsync(Smb2Messages.Echo(id), ct);
        Smb2Messages.ReadEchoResponse(await ReadMessageAsync(ct), id);
    }

    private async Task<byte[]> ReadMessageAsync(CancellationToken ct) =>
        await ReadAsync(Smb2Messages.MessageLength(await ReadAsync(Smb2Messages.FrameHeaderLength, ct)), ct);
}

/// <summary>RPC NULL to NFS v4 on every ask; a server that runs other versions only is asked in its highest from then on.</summary>
public sealed class NfsProbeConnection(Socket socket) : ProbeConnection(socket)
{
    private uint _xid = (uint)Random.Shared.Next();
    private uint _version = 4;

    protected override Task OpenAsync(CancellationToken ct) => AskAsync(ct);

    public override async Task AskAsync(CancellationToken ct)
    {
        var xid = ++_xid;
        await Stream.WriteAsync(NfsNullCall.Request(xid, _version), ct);
        var record = new List<byte>();
        while (true)
        {
            var (length, last) = NfsNullCall.Fragment(await ReadAsync(NfsNullCall.RecordHeaderLength, ct));
            record.AddRange(await ReadAsync(length, ct));
            if (record.Count > NfsNullCall.MaxReplyLength) throw new InvalidServiceAnswerException("the RPC reply is too long for a NULL call's");
            if (last) break;
        }
        var reply = NfsNullCall.ReadReply(record.ToArray(), xid);
        if (!reply.Served) throw new InvalidServiceAnswerException($"the NFS server did not accept the NULL call ({reply.Status})");
        if (reply.Status == RpcAcceptStat.ProgramMismatch && reply.High is >= 2 and <= 4) _version = reply.High;
    }
}
