using System.Buffers.Binary;

namespace StorageHa.Shared.Serving;

/// <summary>
/// The two SMB2 messages a service probe needs ([MS-SMB2] 2.2.3/2.2.4 NEGOTIATE, 2.2.28/2.2.29 ECHO), framed for direct TCP
/// on port 445 (a 4-byte length in front of each message, [MS-SMB2] 2.1). ECHO needs no session: a negotiated connection can
/// be held and asked "are you there" without smbd forking a new process each time, as a new connection would make it.
/// </summary>
public static class Smb2Messages
{
    /// <summary>The frame's length prefix: a zero byte, then the message's length in 24 bits, big-endian.</summary>
    public const int FrameHeaderLength = 4;
    public const int HeaderLength = 64;
    public const ushort CommandNegotiate = 0x0000;
    public const ushort CommandEcho = 0x000D;
    /// <summary>SMB 2.0.2, 2.1, 3.0 and 3.0.2: 3.1.1 would need negotiate contexts, which a probe has no use for.</summary>
    public static readonly IReadOnlyList<ushort> Dialects = [0x0202, 0x0210, 0x0300, 0x0302];
    /// <summary>Largest answer a probe accepts: a NEGOTIATE response with its security blob is a few hundred bytes.</summary>
    public const int MaxMessageLength = 64 * 1024;

    private const uint ProtocolId = 0x424D53FE; // 0xFE 'S' 'M' 'B', little-endian
    private const uint FlagServerToRedirector = 0x00000001;
    private const ushort NegotiateRequestSize = 36;
    private const ushort NegotiateResponseSize = 65;
    private const ushort EchoSize = 4;
    private const ushort SigningEnabled = 0x0001;
    private static readonly Guid ProbeClient = new("53746f72-6167-6548-612d-70726f626573"); // "StorageHa-probes"

    /// <summary>A NEGOTIATE request, message id 0, framed.</summary>
    public static byte[] Negotiate()
    {
        var body = NegotiateRequestSize + 2 * Dialects.Count;
        var frame = NewFrame(CommandNegotiate, messageId: 0, body);
        var b = frame.AsSpan(FrameHeaderLength + HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(b, NegotiateRequestSize);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], (ushort)Dialects.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(b[4..], SigningEnabled);
        // Reserved, Capabilities 0; ClientGuid; ClientStartTime 0 (before 3.1.1)
        ProbeClient.TryWriteBytes(b[12..28]);
        for (var i = 0; i < Dialects.Count; i++) BinaryPrimitives.WriteUInt16LittleEndian(b[(36 + 2 * i)..], Dialects[i]);
        return frame;
    }

    /// <summary>An ECHO request with <paramref name="messageId"/> (each request on a connection takes the next one), framed.</summary>
    public static byte[] Echo(ulong messageId)
    {
        var frame = NewFrame(CommandEcho, messageId, EchoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(FrameHeaderLength + HeaderLength), EchoSize);
        return frame;
    }

    /// <summary>The length of the message that follows a frame header; throws when it is no SMB2 direct-TCP frame.</summary>
    public static int MessageLength(ReadOnlySpan<byte> frameHeader)
    {
        if (frameHeader.Length < FrameHeaderLength || frameHeader[0] != 0)
            throw new InvalidServiceAnswerException("the answer is not an SMB2 frame (its first byte is not 0)");
        var length = (frameHeader[1] << 16) | (frameHeader[2] << 8) | frameHeader[3];
        if (length < HeaderLength || length > MaxMessageLength)
            throw new InvalidServiceAnswerException($"the answer's SMB2 frame is {length} bytes long");
        return length;
    }

    /// <summary>Reads a NEGOTIATE response (the message, without its frame header): the dialect the server chose.</summary>
    public static Smb2Negotiated ReadNegotiateResponse(ReadOnlySpan<byte> message)
    {
        var body = ReadResponse(message, CommandNegotiate, messageId: 0, NegotiateResponseSize);
        var dialect = BinaryPrimitives.ReadUInt16LittleEndian(body[4..]);
        if (!Dialects.Contains(dialect))
            throw new InvalidServiceAnswerException($"the server chose dialect 0x{dialect:x4}, which the probe did not offer");
        return new Smb2Negotiated(dialect, BinaryPrimitives.ReadUInt16LittleEndian(message[14..]));
    }

    /// <summary>Reads an ECHO response to the request with <paramref name="messageId"/>.</summary>
    public static void ReadEchoResponse(ReadOnlySpan<byte> message, ulong messageId) => ReadResponse(message, CommandEcho, messageId, EchoSize);

    private static byte[] NewFrame(ushort command, ulong messageId, int bodyLength)
    {
        var length = HeaderLength + bodyLength;
        var frame = new byte[FrameHeaderLength + length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)length);
        var h = frame.AsSpan(FrameHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(h, ProtocolId);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], HeaderLength);
        // CreditCharge 0 (2.0.2 ignores it; one credit is enough for one request at a time), Status 0
        BinaryPrimitives.WriteUInt16LittleEndian(h[12..], command);
        BinaryPrimitives.WriteUInt16LittleEndian(h[14..], 1); // CreditRequest: one, for the next request
        BinaryPrimitives.WriteUInt64LittleEndian(h[24..], messageId);
        return frame;
    }

    private static ReadOnlySpan<byte> ReadResponse(ReadOnlySpan<byte> message, ushort command, ulong messageId, ushort bodySize)
    {
        if (message.Length < HeaderLength + (bodySize & ~1) || BinaryPrimitives.ReadUInt32LittleEndian(message) != ProtocolId)
            throw new InvalidServiceAnswerException("the answer is not an SMB2 message");
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(message[16..]);
        var got = BinaryPrimitives.ReadUInt16LittleEndian(message[12..]);
        var id = BinaryPrimitives.ReadUInt64LittleEndian(message[24..]);
        if ((flags & FlagServerToRedirector) == 0 || got != command || id != messageId)
            throw new InvalidServiceAnswerException($"the answer is not the response to SMB2 command 0x{command:x4} #{messageId} (command 0x{got:x4} #{id})");
        var status = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        if (status != 0) throw new InvalidServiceAnswerException($"the server answered status 0x{status:x8}");
        var body = message[HeaderLength..];
        if (BinaryPrimitives.ReadUInt16LittleEndian(body) != bodySize)
            throw new InvalidServiceAnswerException($"the SMB2 response's body is not the size of command 0x{command:x4}'s");
        return body;
    }
}

/// <param name="Credits">Credits granted: how many requests may be outstanding (a probe keeps one).</param>
public sealed record Smb2Negotiated(ushort Dialect, ushort Credits);

/// <summary>An answer that is not the one the protocol prescribes: the port answered, but not as the service.</summary>
public sealed class InvalidServiceAnswerException(string message) : Exception(message);
