using System.Net;
using StorageHa.Shared.Tickle;

namespace StorageHa.Shared.Tests.Tickle;

/// <summary>The connection list is portblock's tickle_dir format; reading also takes tickle_tcp's form.</summary>
public class TickleListTests
{
    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [Fact]
    public void Format_WritesVipTabClient_IPv6InBrackets_SortedAndDistinct()
    {
        var text = TickleList.Format([
            new VipConnection(Ep("fd00:99::100", 2049), Ep("fd00:99::1", 50001)),
            new VipConnection(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000)),
            new VipConnection(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000)),
        ]);

        Assert.Equal("192.0.2.100:445\t192.0.2.1:50000\n[fd00:99::100]:2049\t[fd00:99::1]:50001\n", text);
    }

    [Fact]
    public void Format_WritesIPv4MappedAddressesAsPlainIPv4()
    {
        var text = TickleList.Format([new VipConnection(Ep("::ffff:192.0.2.100", 445), Ep("::ffff:192.0.2.7", 40000))]);

        Assert.Equal("192.0.2.100:445\t192.0.2.7:40000\n", text);
    }

    [Fact]
    public void Format_OfNoConnections_IsEmpty() => Assert.Equal("", TickleList.Format([]));

    [Fact]
    public void Parse_ReadsWhatFormatWrote()
    {
        VipConnection[] connections =
        [
            new(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000)),
            new(Ep("fd00:99::100", 2049), Ep("fd00:99::1", 50001)),
        ];

        var reading = TickleList.Parse(TickleList.Format(connections));

        Assert.Empty(reading.Problems);
        Assert.Equal(connections, reading.Connections);
    }

    [Theory]
    [InlineData("192.0.2.100:445 192.0.2.1:50000", "192.0.2.100", 445, "192.0.2.1", 50000)]
    [InlineData("fd00:99::100:2049 fd00:99::1:50001", "fd00:99::100", 2049, "fd00:99::1", 50001)]
    [InlineData("[fd00:99::100]:2049   [fd00:99::1]:50001", "fd00:99::100", 2049, "fd00:99::1", 50001)]
    [InlineData("  [::ffff:192.0.2.100]:445\t[::ffff:192.0.2.1]:50000  ", "192.0.2.100", 445, "192.0.2.1", 50000)]
    public void Parse_AcceptsTickleTcpAndPortblockForms(string line, string vip, int vipPort, string client, int clientPort)
    {
        var reading = TickleList.Parse(line + "\n");

        Assert.Empty(reading.Problems);
        Assert.Equal(new VipConnection(Ep(vip, vipPort), Ep(client, clientPort)), Assert.Single(reading.Connections));
    }

    [Fact]
    public void Parse_ReportsMalformedLinesWithTheirNumbers_AndKeepsTheGoodOnes()
    {
        const string text = "192.0.2.100:445\t192.0.2.1:50000\n" +
                            "garbage\n" +
                            "\n" +
                            "192.0.2.100:445\t192.0.2.1:99999\n" +
                            "192.0.2.100:445\t[fd00:99::1]:50001\n" +
                            "300.0.2.100:445\t192.0.2.1:1\n" +
                            "[fd00:99::100:445\t[fd00:99::1]:1\n" +
                            "192.0.2.100:445\t192.0.2.2:50002";

        var reading = TickleList.Parse(text);

        Assert.Equal([new VipConnection(Ep("192.0.2.100", 445), Ep("192.0.2.1", 50000)), new VipConnection(Ep("192.0.2.100", 445), Ep("192.0.2.2", 50002))],
            reading.Connections);
        Assert.Equal([2, 4, 5, 6, 7], reading.Problems.Select(p => p.Line));
        Assert.Contains("garbage", reading.Problems[0].Message);
        Assert.Contains("99999", reading.Problems[1].Message);
        Assert.Contains("address family", reading.Problems[2].Message);
        Assert.Contains("300.0.2.100", reading.Problems[3].Message);
        Assert.Contains("brackets", reading.Problems[4].Message);
    }

    [Fact]
    public void Parse_SkipsCommentsAndBlankLines()
    {
        var reading = TickleList.Parse("# recorded by storageha-node\n\n   \n");

        Assert.Empty(reading.Connections);
        Assert.Empty(reading.Problems);
    }
}
