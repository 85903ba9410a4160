using System.Net;
using System.Net.Sockets;

namespace StorageHa.NodeHelper.Tests.Tickle;

/// <summary>tickle record against this machine's own kernel table, with real loopback connections the test opens.</summary>
public class RecordCommandTests
{
    [Fact]
    public void Once_WritesTheEstablishedConnectionsOnTheVipAndPort_InPortblockFormat()
    {
        using var dir = new TickleDirectory();
        using var connection = LoopbackConnection.Open(IPAddress.Loopback, IPAddress.Loopback);
        using var other = LoopbackConnection.Open(IPAddress.Loopback, IPAddress.Loopback);

        var run = CliRun.Of("tickle", "record", "--vip", "127.0.0.1", "--ports", $"{connection.ServerPort}", "--dir", dir.Path, "--once");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"127.0.0.1:{connection.ServerPort}\t127.0.0.1:{connection.ClientPort}\n", File.ReadAllText(dir.ListOf("127.0.0.1")));
        Assert.Contains("1 connection(s) recorded", run.Output);
    }

    [Fact]
    public void Once_FindsIPv4ClientsOfADualStackListener_AsPlainIPv4()
    {
        using var dir = new TickleDirectory();
        using var connection = LoopbackConnection.Open(IPAddress.IPv6Any, IPAddress.Loopback);

        var run = CliRun.Of("tickle", "record", "--vip", "127.0.0.1", "--ports", $"{connection.ServerPort}", "--dir", dir.Path, "--once");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"127.0.0.1:{connection.ServerPort}\t127.0.0.1:{connection.ClientPort}\n", File.ReadAllText(dir.ListOf("127.0.0.1")));
    }

    [Fact]
    public void Once_WritesIPv6ConnectionsInBrackets_UnderTheCanonicalAddress()
    {
        using var dir = new TickleDirectory();
        using var connection = LoopbackConnection.Open(IPAddress.IPv6Loopback, IPAddress.IPv6Loopback);

        var run = CliRun.Of("tickle", "record", "--vip", "0:0::1", "--ports", $"{connection.ServerPort}", "--dir", dir.Path, "--once");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"[::1]:{connection.ServerPort}\t[::1]:{connection.ClientPort}\n", File.ReadAllText(dir.ListOf("::1")));
    }

    [Fact]
    public void Once_LeavesAnUnchangedListUntouched_AndEmptiesItWhenTheConnectionsAreGone()
    {
        using var dir = new TickleDirectory();
        var connection = LoopbackConnection.Open(IPAddress.Loopback, IPAddress.Loopback);
        string[] record = ["tickle", "record", "--vip", "127.0.0.1", "--ports", $"{connection.ServerPort}", "--dir", dir.Path, "--once"];
        CliRun.Of(record);
        var list = new FileInfo(dir.ListOf("127.0.0.1"));
        var longAgo = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(list.FullName, longAgo); // a rewrite (new file renamed over it) would carry the time of now

        var again = CliRun.Of(record);

        Assert.Contains("unchanged", again.Output);
        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(list.FullName));
        connection.Dispose();
        Thread.Sleep(100);
        Assert.Equal(0, CliRun.Of(record).ExitCode);
        Assert.Equal("", File.ReadAllText(list.FullName));
        Assert.Equal([list.FullName], Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    [Fact]
    public void MissingDirectory_FailsWithExit1_AskingWhetherTheStorageIsMounted()
    {
        var run = CliRun.Of("tickle", "record", "--vip", "127.0.0.1", "--ports", "445", "--dir", "/nonexistent/shat-tickle", "--once");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/nonexistent/shat-tickle does not exist (is the shared storage mounted?)", run.Error);
    }

    /// <summary>A real TCP connection over loopback: a listener, a client connected to it, and the accepted end.</summary>
    private sealed class LoopbackConnection : IDisposable
    {
        private readonly Socket _listener, _client, _accepted;

        private LoopbackConnection(Socket listener, Socket client, Socket accepted) => (_listener, _client, _accepted) = (listener, client, accepted);

        public int ServerPort => ((IPEndPoint)_listener.LocalEndPoint!).Port;
        public int ClientPort => ((IPEndPoint)_client.LocalEndPoint!).Port;

        public static LoopbackConnection Open(IPAddress listenOn, IPAddress connectTo)
        {
            var listener = new Socket(listenOn.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (listenOn.Equals(IPAddress.IPv6Any)) listener.DualMode = true;
            listener.Bind(new IPEndPoint(listenOn, 0));
            listener.Listen();
            var client = new Socket(connectTo.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(new IPEndPoint(connectTo, ((IPEndPoint)listener.LocalEndPoint!).Port));
            return new LoopbackConnection(listener, client, listener.Accept());
        }

        public void Dispose()
        {
            _client.Dispose();
            _accepted.Dispose();
            _listener.Dispose();
        }
    }
}
