using System.Net;
using StorageHa.Shared.Tickle;

namespace StorageHa.Shared.Tests.Tickle;

/// <summary>
/// Known packets, captured with tcpdump in a network namespace from resource-agents' tickle_tcp (IPv4, checksum "correct")
/// and checked by tcpdump's own checksum for IPv6 (tickle_tcp's IPv6 checksum is wrong: tcpdump says 0xe395, correct 0xe37b).
/// </summary>
public class TicklePacketTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [Fact]
    public void TcpSegment_IPv4_IsByteForByteTheOneTickleTcpSends()
    {
        var segment = TicklePacket.TcpSegment(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000));

        Assert.Equal(Convert.FromHexString("01BDC350" + "00000000" + "00000000" + "5010" + "04D2" + "618F" + "0000"), segment);
    }

    [Fact]
    public void TcpSegment_IPv6_CarriesTheChecksumTcpdumpComputes()
    {
        var segment = TicklePacket.TcpSegment(Ep("fd00:99::100", 2049), Ep("fd00:99::1", 50001));

        Assert.Equal(Convert.FromHexString("0801C351" + "00000000" + "00000000" + "5010" + "04D2" + "E37B" + "0000"), segment);
    }

    [Fact]
    public void Ipv4Datagram_IsTheHeaderTickleTcpBuilds_WithDontFragmentTtl64AndAValidHeaderChecksum()
    {
        var packet = TicklePacket.Ipv4Datagram(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000));

        // 45 00 | length 40 | id 0 | DF | ttl 64 | tcp | header checksum | 192.0.2.100 | 192.0.2.1
        Assert.Equal(Convert.FromHexString("45000028" + "00004000" + "4006" + "B66A" + "C0000264" + "C0000201"), packet[..20]);
        Assert.Equal(TicklePacket.TcpSegment(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000)), packet[20..]);
        Assert.Equal(0xFFFF, OnesComplementSum(packet[..20]));
    }

    [Theory]
    [InlineData("192.0.2.100", 1, "192.0.2.1", 65535)]
    [InlineData("10.99.0.100", 2049, "10.99.0.1", 1023)]
    [InlineData("fd00:99::100", 445, "fd00:99::abcd", 40000)]
    [InlineData("fe80::1", 65535, "ff02::1", 1)]
    public void EveryTickle_IsAnAckWithSeqAndAckZero_AndAValidChecksum(string from, int fromPort, string to, int toPort)
    {
        var segment = TicklePacket.TcpSegment(Ep(from, fromPort), Ep(to, toPort));

        Assert.True(TicklePacket.ChecksumIsValid(Ep(from, fromPort), Ep(to, toPort), segment));
        Assert.Equal(0x10, segment[13]);
        Assert.All(segment[4..12], b => Assert.Equal(0, b));
        Assert.Equal(TicklePacket.Window, (ushort)(segment[14] << 8 | segment[15]));
        segment[15] ^= 1;
        Assert.False(TicklePacket.ChecksumIsValid(Ep(from, fromPort), Ep(to, toPort), segment));
    }

    [Fact]
    public void MixedFamilies_AreRefused() =>
        Assert.Throws<ArgumentException>(() => TicklePacket.TcpSegment(Ep("192.0.2.100", 445), Ep("fd00:99::1", 1)));

    private static int OnesComplementSum(byte[] bytes)
    {
        var sum = 0;
        for (var i = 0; i < bytes.Length; i += 2) sum += bytes[i] << 8 | bytes[i + 1];
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        return sum;
    }
}
