using Microsoft.Extensions.Configuration;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using StorageHa.Server.Serving;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Tests.Serving;

/// <summary>
/// One VIP service's probe against real TCP servers on loopback that answer with the bytes smbd and Ganesha sent
/// (Corpus/serving): held connections, stalls, refusals, closes and a console on another network. The lab's tests
/// (EndToEnd SystemdServerTests) judge the same probes against real smbd and Ganesha through a VIP that moves.
/// </summary>
public sealed class VipServiceProbeTests : IAsyncDisposable
{
    private static readonly ServiceProbeOptions Fast = new() { Interval = TimeSpan.FromMilliseconds(100), Timeout = TimeSpan.FromMilliseconds(400) };
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly ServiceAvailability _availability = new();
    private readonly List<HeldConnectionEnd> _ended = [];
    private readonly Lock _gate = new();

    [Theory]
    [InlineData(FileService.Smb)]
    [InlineData(FileService.Nfs)]
    public async Task AServerThatAnswers_IsServed_OverOneHeldConnection(FileService service)
    {
        await using var server = await CapturedServer.StartAsync(service);
        Probe(server, service);
        await UntilAsync(() => server.Asked >= 10);
        Assert.Equal([ServingState.Served], States(service));
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task AHeldConnectionThatStalls_IsNotServedFromTheUnansweredProbesSending_UntilANewConnectionIsAnswered()
    {
        await using var server = await CapturedServer.StartAsync(FileService.Smb);
        Probe(server, FileService.Smb);
        await UntilAsync(() => server.Asked >= 3);
        var stalledAt = DateTimeOffset.UtcNow;
        server.Stalled = true;
        await UntilAsync(() => States(FileService.Smb).Count == 2);
        var down = Series(FileService.Smb)[1];
        Assert.Equal(ServingState.NotServed, down.State);
        Assert.Equal("no answer within 0.4 s", down.Reason);
        // Stamped when the unanswered probe went out: before the server read it, not when its timeout ran out after that
        // (judged against the server's own reading, so that a loaded machine's late ticks cannot fail it).
        Assert.InRange(down.At, stalledAt.AddSeconds(-1), server.FirstStalledRequestAt!.Value);

        server.Stalled = false;
        var backAt = DateTimeOffset.UtcNow;
        await UntilAsync(() => States(FileService.Smb).Count == 3);
        Assert.True(Series(FileService.Smb)[2].At >= backAt, "served again only after the server answers again");
        Assert.True(server.Connections >= 2, "served again over a new connection");
    }

    [Fact]
    public async Task AServerThatClosesTheHeldConnection_IsAskedAgainAtOnce_AndStaysServed()
    {
        await using var server = await CapturedServer.StartAsync(FileService.Smb);
        Probe(server, FileService.Smb);
        await UntilAsync(() => server.Asked >= 3);
        server.CloseAfterNextAnswer = true; // as smbd does with a connection that never logs in
        await UntilAsync(() => server.Connections >= 2 && server.Asked >= 8);
        Assert.Equal([ServingState.Served], States(FileService.Smb));
    }

    [Fact]
    public async Task AReconnectThatHangs_AfterATickleReset_IsNoOutage_WhenTheNextReconnectIsAnswered()
    {
        await using var server = await CapturedServer.StartAsync(FileService.Smb);
        Probe(server, FileService.Smb);
        await UntilAsync(() => server.Asked >= 3);
        // The reconnect after the reset reaches the node giving up the VIP and hangs; the next one reaches its new node.
        server.HangNewConnections(1);
        server.ResetAfterNextAnswer = true;
        await UntilAsync(() => server.Connections >= 3 && server.Asked >= 8);
        // The hung reconnect timed out meanwhile: its failure came after the next one was answered.
        await Task.Delay(Fast.Timeout * 2);
        Assert.Equal([ServingState.Served], States(FileService.Smb));
    }

    [Fact]
    public async Task HowTheHeldConnectionEnded_IsTold_ResetClosedOrTimedOut_AsATickleWouldShowIt()
    {
        await using var server = await CapturedServer.StartAsync(FileService.Smb);
        Probe(server, FileService.Smb);
        await UntilAsync(() => server.Asked >= 2);
        server.ResetAfterNextAnswer = true; // what a tickle draws from the node that took the VIP over
        await UntilAsync(() => Ended().Count >= 1);
        await UntilAsync(() => server.Asked >= 6);
        server.CloseAfterNextAnswer = true;
        await UntilAsync(() => Ended().Count >= 2);
        await UntilAsync(() => server.Asked >= 10);
        server.Stalled = true;
        await UntilAsync(() => Ended().Count >= 3);

        Assert.True(Ended()[0].How == ConnectionEnd.Reset, Ended()[0].Reason);
        Assert.Equal([ConnectionEnd.Reset, ConnectionEnd.Closed, ConnectionEnd.TimedOut], Ended().Take(3).Select(e => e.How));
        Assert.Equal(["the held connection was reset", "the server closed the held connection", "no answer within 0.4 s"], Ended().Take(3).Select(e => e.Reason));
    }

    [Fact]
    public async Task ARefusedConnection_IsNotServed_SayingSo()
    {
        var port = FreePort();
        Probe(new ProbeTarget("127.0.0.1", FileService.Nfs, port));
        await UntilAsync(() => States(FileService.Nfs).Count == 1);
        var refused = Series(FileService.Nfs)[0];
        Assert.Equal((ServingState.NotServed, "connection refused"), (refused.State, refused.Reason));
    }

    [Fact]
    public async Task ARefusedConnection_AnsweredOnTheNextTryWithinTheTimeout_IsNoOutage()
    {
        // A VIP arriving on its new node: a connect refused, and the service there a moment later, as a client retrying finds it.
        var patient = Fast with { Timeout = TimeSpan.FromSeconds(1.5) };
        var port = FreePort();
        Probe(new ProbeTarget("127.0.0.1", FileService.Smb, port), patient);
        await Task.Delay(Fast.Interval * 2);
        await using var server = await CapturedServer.StartAsync(FileService.Smb, port: port);
        await UntilAsync(() => server.Asked >= 3);
        await Task.Delay(patient.Timeout);
        Assert.Equal([ServingState.Served], States(FileService.Smb));
    }

    [Fact]
    public async Task AnotherProtocolOnThePort_IsNotServed_NamingWhatWasWrong()
    {
        await using var server = await CapturedServer.StartAsync(FileService.Smb, answer: "HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());
        Probe(server, FileService.Smb);
        await UntilAsync(() => States(FileService.Smb).Count == 1);
        Assert.StartsWith("answered, but not as Smb: the answer is not an SMB2 frame", Series(FileService.Smb)[0].Reason);
    }

    [Fact]
    public async Task AConsoleOnAnotherNetworkWithoutAnyAnswer_SaysItCannotReachTheVip_RatherThanNotServed()
    {
        Probe(new ProbeTarget("127.0.0.1", FileService.Smb, FreePort(), OnConsoleNetwork: false));
        await UntilAsync(() => States(FileService.Smb).Count == 1);
        var seen = Series(FileService.Smb)[0];
        Assert.Equal(ServingState.Unreachable, seen.State);
        Assert.StartsWith("the console is on another network and has had no answer from it", seen.Reason);
    }

    [Fact]
    public void TheConsolesOwnNetwork_IsTheOneOfItsAddresses()
    {
        Assert.True(ClusterServiceProbes.OnConsoleNetwork("127.0.0.53", 8));
        Assert.False(ClusterServiceProbes.OnConsoleNetwork("203.0.113.77", 32)); // in TEST-NET-3, and a network of that one address
    }

    [Fact]
    public void Settings_OutsideTheirBounds_AreRefusedAtStart_NamingTheSettingAndTheBound()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["StorageHa:ServiceProbes:Interval"] = "50ms",
            ["StorageHa:ServiceProbes:MaxConcurrent"] = "0",
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ServiceProbeOptions.From(config));
        Assert.Contains("StorageHa:ServiceProbes:Interval is 50 ms: the probes may run no faster than every 100 ms.", error.Message);
        Assert.Contains("StorageHa:ServiceProbes:MaxConcurrent is 0: it must be between 1 and 1024.", error.Message);
        var unreadable = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["StorageHa:ServiceProbes:Timeout"] = "soon" }).Build();
        Assert.Contains("StorageHa:ServiceProbes:Timeout is 'soon', which is not a duration", Assert.Throws<InvalidOperationException>(() => ServiceProbeOptions.From(unreadable)).Message);
        var set = ServiceProbeOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["StorageHa:ServiceProbes:Interval"] = "0.5s" }).Build());
        Assert.Equal(TimeSpan.FromMilliseconds(500), set.Interval);
    }

    private void Probe(CapturedServer server, FileService service) => Probe(new ProbeTarget("127.0.0.1", service, server.Port));

    private void Probe(ProbeTarget target, ServiceProbeOptions? options = null)
    {
        var probe = new VipServiceProbe(target, options ?? Fast, new SemaphoreSlim(8, 8), TimeProvider.System, (t, state, at, reason) =>
        {
            lock (_gate) _availability.Record(t.Vip, t.Service, state, at, reason);
        }, end => { lock (_gate) _ended.Add(end); });
        _running.Add(Task.Run(async () =>
        {
            try { await probe.RunAsync(_stop.Token); }
            finally { probe.Dispose(); }
        }));
    }

    private IReadOnlyList<ServiceTransition> Series(FileService service)
    {
        lock (_gate) return _availability.Series("127.0.0.1", service);
    }

    private List<HeldConnectionEnd> Ended()
    {
        lock (_gate) return [.. _ended];
    }

    private List<ServingState> States(FileService service) => [.. Series(service).Select(t => t.State)];

    private static async Task UntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (!condition()) await Task.Delay(20, limit.Token);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
    }

    /// <summary>A TCP server that answers each request with the real server's recorded answer (its id set to the request's).</summary>
    private sealed class CapturedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly FileService _service;
        private readonly byte[]? _answer;
        private Task _accepting = Task.CompletedTask;
        private int _connections, _asked;

        private CapturedServer(FileService service, byte[]? answer, int port) =>
            (_service, _answer, _listener) = (service, answer, new TcpListener(IPAddress.Loopback, port));

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public int Connections => Volatile.Read(ref _connections);
        /// <summary>Requests answered after the opening one (ECHOs, later NULL calls).</summary>
        public int Asked => Volatile.Read(ref _asked);
        public volatile bool Stalled;
        public volatile bool CloseAfterNextAnswer;
        public volatile bool ResetAfterNextAnswer;
        /// <summary>When the server read the first request it left unanswered.</summary>
        public DateTimeOffset? FirstStalledRequestAt { get; private set; }
        private int _hangNew;

        /// <summary>The next <paramref name="count"/> new connections are accepted and never answered.</summary>
        public void HangNewConnections(int count) => Volatile.Write(ref _hangNew, count);

        public static Task<CapturedServer> StartAsync(FileService service, byte[]? answer = null, int port = 0)
        {
            var server = new CapturedServer(service, answer, port);
            server._listener.Start();
            server._accepting = server.AcceptAsync();
            return Task.FromResult(server);
        }

        private static byte[] Captured(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Corpus", "serving", name));

        private async Task AcceptAsync()
        {
            var served = new List<Task>();
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    served.Add(ServeAsync(client));
                }
            }
            catch (OperationCanceledException) { }
            await Task.WhenAll(served);
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var first = true;
            try
            {
                if (Interlocked.Decrement(ref _hangNew) >= 0) await Task.Delay(Timeout.Infinite, _stop.Token);
                while (true)
                {
                    var request = await ReadRequestAsync(stream);
                    if (Stalled)
                    {
                        FirstStalledRequestAt ??= DateTimeOffset.UtcNow;
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }
                    await stream.WriteAsync(_answer ?? Answer(request, first), _stop.Token);
                    if (!first) Interlocked.Increment(ref _asked);
                    first = false;
                    if (CloseAfterNextAnswer) { CloseAfterNextAnswer = false; return; }
                    if (ResetAfterNextAnswer)
                    {
                        ResetAfterNextAnswer = false;
                        client.Client.LingerState = new LingerOption(true, 0); // closed with a RST
                        return;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException) { }
        }

        private async Task<byte[]> ReadRequestAsync(NetworkStream stream)
        {
            var header = new byte[4];
            await stream.ReadExactlyAsync(header, _stop.Token);
            var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header) & 0x00FFFFFF];
            await stream.ReadExactlyAsync(body, _stop.Token);
            return body;
        }

        private byte[] Answer(byte[] request, bool first)
        {
            if (_service == FileService.Smb)
            {
                var answer = Captured(first ? "negotiate-response.bin" : "echo-response.bin");
                request.AsSpan(24, 8).CopyTo(answer.AsSpan(4 + 24)); // the request's MessageId
                return answer;
            }
            var reply = Captured("nfs-null-v4-reply.bin");
            request.AsSpan(0, 4).CopyTo(reply.AsSpan(4)); // the call's xid
            return reply;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
        }
    }
}
