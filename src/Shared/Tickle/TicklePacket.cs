using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace StorageHa.Shared.Tickle;

/// <summary>
/// The tickle: a bare TCP ACK with seq 0 and ack 0 from the VIP's end to the client's end, as CTDB and tickle_tcp send it.
/// The client answers with its real numbers; the new owner has no socket for them and resets, so the client reconnects.
/// </summary>
public static class TicklePacket
{
    public const int TcpHeaderLength = 20;
    public const int Ipv4HeaderLength = 20;
    /// <summary>An unusual window so a tickle is easy to spot in a capture.</summary>
    public const ushort Window = 1234;
    private const byte ProtocolTcp = 6;

    /// <summary>The 20-byte TCP header with its checksum, for a raw socket that adds the IP header itself (IPv6, or IPv4 without IP_HDRINCL).</summary>
    public static byte[] TcpSegment(IPEndPoint from, IPEndPoint to)
    {
        RequireSameFamily(from, to);
        var segment = new byte[TcpHeaderLength];
        WriteTcpHeader(from, to, segment);
        return segment;
    }

    /// <summary>The whole 40-byte IPv4 datagram (IP header + TCP header), for a raw socket with IP_HDRINCL.</summary>
    public static byte[] Ipv4Datagram(IPEndPoint from, IPEndPoint to)
    {
        RequireSameFamily(from, to);
        if (from.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("an IPv4 datagram needs IPv4 addresses", nameof(from));
        var packet = new byte[Ipv4HeaderLength + TcpHeaderLength];
        var ip = packet.AsSpan(0, Ipv4HeaderLength);
        ip[0] = 0x45;                                              // version 4, header length 5 words
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], 0x4000);    // don't fragment; id 0 is filled in by the kernel
        ip[8] = 64;                                                // TTL
        ip[9] = ProtocolTcp;
        from.Address.TryWriteBytes(ip[12..16], out _);
        to.Address.TryWriteBytes(ip[16..20], out _);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Fold(Sum(ip, 0)));
        WriteTcpHeader(from, to, packet.AsSpan(Ipv4HeaderLength));
        return packet;
    }

    /// <summary>Whether a TCP segment's checksum is right for these ends: the sum over pseudo-header and segment folds to 0xFFFF.</summary>
    public static bool ChecksumIsValid(IPEndPoint from, IPEndPoint to, ReadOnlySpan<byte> segment) =>
        FoldWithoutInverting(Sum(segment, PseudoHeaderSum(from.Address, to.Address, segment.Length))) == 0xFFFF;

    private static void WriteTcpHeader(IPEndPoint from, IPEndPoint to, Span<byte> tcp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(tcp, (ushort)from.Port);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], (ushort)to.Port);
        // seq (4..8) and ack (8..12) stay 0
        tcp[12] = 5 << 4;                                          // data offset: 5 words, no options
        tcp[13] = 0x10;                                            // ACK only
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], Window);
        var checksum = Fold(Sum(tcp[..TcpHeaderLength], PseudoHeaderSum(from.Address, to.Address, TcpHeaderLength)));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], checksum == 0 ? (ushort)0xFFFF : checksum);
    }

    /// <summary>The pseudo-header's sum: source, destination, protocol 6 and TCP length (RFC 793; RFC 8200 §8.1 for IPv6).</summary>
    private static ulong PseudoHeaderSum(IPAddress from, IPAddress to, int tcpLength)
    {
        Span<byte> address = stackalloc byte[16];
        from.TryWriteBytes(address, out var written);
        var sum = Sum(address[..written], 0);
        to.TryWriteBytes(address, out written);
        sum = Sum(address[..written], sum);
        return sum + ProtocolTcp + (ulong)tcpLength;
    }

    private static ulong Sum(ReadOnlySpan<byte> bytes, ulong sum)
    {
        var i = 0;
        for (; i + 1 < bytes.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(bytes[i..]);
        if (i < bytes.Length) sum += (ulong)bytes[i] << 8;
        return sum;
    }

    private static ushort FoldWithoutInverting(ulong sum)
    {
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)sum;
    }

    private static ushort Fold(ulong sum) => (ushort)~FoldWithoutInverting(sum);

    private static void RequireSameFamily(IPEndPoint from, IPEndPoint to)
    {
        if (from.AddressFamily != to.AddressFamily)
            throw new ArgumentException($"{from} and {to} are not of the same address family", nameof(to));
    }
}
