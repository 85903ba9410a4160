using System.Net;
using StorageHa.Shared.Tickle;

namespace StorageHa.Shared.Tests.Tickle;

/// <summary>/proc/net/tcp{,6} lines as a little-endian Linux prints them (samples taken from this machine's format).</summary>
public class ConnectionTableTests
{
    private const string Tcp4 =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 00000000:01BD 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1510 1 00000000bc25bc5c 100 0 0 10 0\n" +
        "   1: 640200C0:01BD 010200C0:C350 01 00000000:00000000 00:00000000 00000000     0        0 5171 1 0000000077528130 20 4 28 13 -1\n" +
        "   2: 640200C0:0801 020200C0:C351 01 00000000:00000000 00:00000000 00000000     0        0 5172 1 0000000077528130 20 4 28 13 -1\n" +
        "   3: 640200C0:01BD 030200C0:C352 06 00000000:00000000 03:00001766 00000000     0        0 0 3 000000001a0414e3\n" +
        "   4: 650200C0:01BD 040200C0:C353 01 00000000:00000000 00:00000000 00000000     0        0 5173 1 0000000077528130 20 4 28 13 -1\n" +
        "   5: 640200C0:0016 050200C0:C354 01 00000000:00000000 00:00000000 00000000     0        0 5174 1 0000000077528130 20 4 28 13 -1\n";

    private const string Tcp6 =
        "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 990000FD000000000000000000010000:0801 990000FD000000000000000001000000:C355 01 00000000:00000000 00:00000000 00000000     0        0 6001 1 0 20 4 28 13 -1\n" +
        "   1: 0000000000000000FFFF0000640200C0:01BD 0000000000000000FFFF0000060200C0:C356 01 00000000:00000000 00:00000000 00000000     0        0 6002 1 0 20 4 28 13 -1\n";

    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [Fact]
    public void ParseLine_ReadsLittleEndianIPv4_BigEndianPorts_AndTheState()
    {
        var socket = ConnectionTable.ParseLine(Tcp4.Split('\n')[2]);

        Assert.Equal(new SocketLine(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000), SocketLine.Established), socket);
    }

    [Fact]
    public void ParseLine_ReadsIPv6AsFourMachineOrderWords()
    {
        var socket = ConnectionTable.ParseLine(Tcp6.Split('\n')[1]);

        Assert.Equal(new SocketLine(Ep("fd00:99::100", 2049), Ep("fd00:99::1", 50005), SocketLine.Established), socket);
    }

    [Theory]
    [InlineData("  sl  local_address rem_address   st tx_queue")]
    [InlineData("")]
    [InlineData("   0: 0100007F:AE85")]
    [InlineData("   0: 0100007:AE85 00000000:0000 0A")]
    [InlineData("   0: 0100007F:AE85 00000000:0000 ZZ")]
    [InlineData("   x: 0100007F:AE85 00000000:0000 0A")]
    public void ParseLine_IgnoresHeadersAndBrokenLines(string line) => Assert.Null(ConnectionTable.ParseLine(line));

    [Fact]
    public void ConnectionsTo_KeepsOnlyEstablishedOnesOnTheVipAndItsPorts()
    {
        var connections = ConnectionTable.ConnectionsTo(Tcp4, IPAddress.Parse("192.0.2.100"), new HashSet<int> { 445, 2049 }).ToList();

        Assert.Equal([
            new VipConnection(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000)),
            new VipConnection(Ep("192.0.2.100", 2049), Ep("192.0.2.2", 50001)),
        ], connections);
    }

    [Fact]
    public void ConnectionsTo_FindsIPv4ClientsOfADualStackListener_AsPlainIPv4()
    {
        var connections = ConnectionTable.ConnectionsTo(Tcp6, IPAddress.Parse("192.0.2.100"), new HashSet<int> { 445 }).ToList();

        Assert.Equal([new VipConnection(Ep("192.0.2.100", 445), Ep("192.0.2.6", 50006))], connections);
    }

    [Fact]
    public void ConnectionsTo_FindsIPv6Connections()
    {
        var connections = ConnectionTable.ConnectionsTo(Tcp6, IPAddress.Parse("fd00:99::100"), new HashSet<int> { 2049 }).ToList();

        Assert.Equal([new VipConnection(Ep("fd00:99::100", 2049), Ep("fd00:99::1", 50005))], connections);
    }
}
