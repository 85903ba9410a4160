using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Monitoring;

/// <summary>
/// The monitor when no node gives it a state, against a real sshd on a machine that runs no cluster (crm_mon fails
/// there) and a port nobody listens on. The monitor's pauses run on a fake clock that the tests move on, one round at a
/// time; the SSH reads keep real time. The lab tests (Integration.Tests/Monitoring) cover a live cluster.
/// </summary>
public sealed class ClusterMonitorTests(SshdFixture fixture) : IClassFixture<SshdFixture>, IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-monitor-").FullName;
    private readonly ClusterFeeds _feeds = new(TimeProvider.System);
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private readonly PauseClock _clock = new();
    private Database _db = null!;
    private long _clusterId;
    private CountingRunner _reads = null!;

    private static readonly MonitorOptions Quick = new()
    {
        PollInterval = TimeSpan.FromMilliseconds(100), ReadTimeout = TimeSpan.FromSeconds(5),
        FirstContactTimeout = TimeSpan.FromSeconds(10), UnreachableRetry = TimeSpan.FromMilliseconds(200),
    };

    public async Task InitializeAsync()
    {
        _db = new Database(Path.Combine(_dir, "storageha.db"));
        await new Migrator(_db, NullLogger<Migrator>.Instance).MigrateAsync();
        _clusterId = (await new SqliteInventory(_db, new SystemActor(), TimeProvider.System).AddClusterAsync(new Cluster { Name = "nocluster" })).Id;
        _feeds.Track(_clusterId, "nocluster");
    }

    [Fact]
    public async Task NoNodeAnswering_MarksTheClusterUnreachable_SayingWhyForEachNode_AndStoresIt()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var closedPort = new SshTarget("node2", "127.0.0.1", 1, "root", SshAuth.WithPassword("unused"), ssh.PasswordTarget().PinnedFingerprint);
        var subscription = await _feeds.SubscribeAsync(_clusterId, _stop.Token);
        var running = RunAsync(ssh, [ssh.PasswordTarget(), closedPort]);

        var unreachable = await FirstAsync(subscription.Changes, c => c.Monitor.Health == MonitorHealth.Unreachable);

        Assert.Null(unreachable.Monitor.Node);
        var said = Assert.IsType<MonitorUnreachable>(Assert.Single(unreachable.Events));
        Assert.Contains("node1: crm_mon exited with", said.Why);
        Assert.Contains("node1: crm_mon exited with", unreachable.Monitor.Message);
        Assert.Contains("node2:", unreachable.Monitor.Message);
        Assert.Contains("refused", unreachable.Monitor.Message);
        Assert.Equal(ClusterHealth.Unreachable, _feeds.Snapshot(_clusterId)!.Health);
        await MoreRoundsAsync(4); // all failing the same way
        Assert.Equal(5, _reads.Of("node1"));
        Assert.Equal(5, _reads.Of("node2"));
        await _stop.CancelAsync();
        await running;
        var stored = Assert.Single(await new ClusterHistoryStore(_db).ListEventsAsync(_clusterId));
        Assert.Equal("MonitorUnreachable", stored.Kind);
        Assert.Contains("node1", stored.Description);
        // Each node's failing read is audited once, not once a round.
        var reads = ssh.Audit.Entries.Where(e => e.Action == CrmMonReader.AuditAction).ToList();
        Assert.Equal(["node1", "node2"], reads.Select(e => e.Target).Order());
    }

    [Fact]
    public async Task CrmMonExitingZeroWithoutAStatus_AsWhilePacemakerStarts_IsANodeNotRead_AndTheMonitorKeepsAsking()
    {
        // The real crm_mon given a CIB it cannot open exits 0 and prints only "Could not connect to the CIB", as it does on
        // a node whose Pacemaker is starting; that once ended the monitor for good.
        await using var sshd = await StorageHa.TestSupport.Sshd.TestSshd.StartAsync(new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", // crm_mon lives in sbin
            ["CIB_file"] = Path.Combine(_dir, "no-such-cib.xml"),
        });
        using var ssh = new SshLayer(sshd);
        var subscription = await _feeds.SubscribeAsync(_clusterId, _stop.Token);
        var running = RunAsync(ssh, [ssh.PasswordTarget()]);

        var unreachable = await FirstAsync(subscription.Changes, c => c.Monitor.Health == MonitorHealth.Unreachable);

        Assert.Contains("node1: crm_mon reported no cluster status: Could not connect to the CIB", unreachable.Monitor.Message);
        await MoreRoundsAsync(4);
        Assert.Equal(5, _reads.Of("node1"));
        Assert.False(running.IsCompleted, "the monitor stopped instead of asking again");
        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task NoNodeAnswering_TheMonitorAsksAgain_OnlyWhenTheRetryPauseHasPassed()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var closedPort = new SshTarget("node1", "127.0.0.1", 1, "root", SshAuth.WithPassword("unused"), ssh.PasswordTarget().PinnedFingerprint);
        var running = RunAsync(ssh, [closedPort]);
        await _clock.NextPauseAsync(_stop.Token); // the first round has failed

        _clock.Advance(Quick.UnreachableRetry - TimeSpan.FromMilliseconds(1));
        Assert.True(_clock.Pausing);
        Assert.Equal(1, _reads.Of("node1"));
        // The pause ends at the retry time: the next round may then run (and fail) before Advance even returns.
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await _clock.NextPauseAsync(_stop.Token);
        Assert.Equal(2, _reads.Of("node1"));

        await _stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task ClusterWithoutUsableNodes_IsNotConfigured_SayingWhatIsMissing()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var subscription = await _feeds.SubscribeAsync(_clusterId, _stop.Token);
        var running = RunAsync(ssh, [], "The host key of node1 has not been accepted yet: fetch it, compare it, accept it.");

        var change = await FirstAsync(subscription.Changes, c => c.Monitor.Health == MonitorHealth.NotConfigured);

        Assert.Contains("host key of node1 has not been accepted", change.Monitor.Message);
        await _stop.CancelAsync();
        await running;
    }

    private Task RunAsync(SshLayer ssh, IReadOnlyList<SshTarget> nodes, string? problem = null)
    {
        _reads = new CountingRunner(new SshRunner(ssh.Pool, new MonitorAudit(ssh.Audit), TimeProvider.System));
        var monitor = new ClusterMonitor(new MonitoredCluster(_clusterId, "nocluster", nodes, problem), new CrmMonReader(_reads), _feeds,
            new ClusterHistoryStore(_db), Quick, _clock, NullLogger<ClusterMonitor>.Instance);
        return Task.Run(async () =>
        {
            try { await monitor.RunAsync(_stop.Token); }
            catch (OperationCanceledException) { }
        });
    }

    /// <summary>Lets the monitor, paused after a round that found no node, ask all its nodes again <paramref name="rounds"/> times.</summary>
    private async Task MoreRoundsAsync(int rounds)
    {
        await _clock.NextPauseAsync(_stop.Token);
        for (var round = 0; round < rounds; round++)
        {
            _clock.Advance(Quick.UnreachableRetry);
            await _clock.NextPauseAsync(_stop.Token);
        }
    }

    private async Task<ClusterChange> FirstAsync(IAsyncEnumerable<ClusterChange> changes, Func<ClusterChange, bool> wanted)
    {
        await foreach (var change in changes.WithCancellation(_stop.Token))
            if (wanted(change)) return change;
        throw new InvalidOperationException("the feed ended");
    }

    public Task DisposeAsync()
    {
        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A fake clock that tells when the monitor starts a pause, so a test moves time on only while it waits.</summary>
internal sealed class PauseClock : FakeTimeProvider
{
    private readonly SemaphoreSlim _pauses = new(0);
    private int _started, _ended;

    /// <summary>A pause has started and its time has not yet come.</summary>
    public bool Pausing => Volatile.Read(ref _ended) < Volatile.Read(ref _started);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Advance calls a timer that is due before it returns, so Pausing is exact right after it.
        Interlocked.Increment(ref _started);
        var timer = base.CreateTimer(s => { Interlocked.Increment(ref _ended); callback(s); }, state, dueTime, period);
        _pauses.Release();
        return timer;
    }

    /// <summary>Waits until the monitor starts its next pause (or has started one not waited for yet).</summary>
    public Task NextPauseAsync(CancellationToken ct) => _pauses.WaitAsync(ct);
}

/// <summary>Counts the commands run on each node, passing them on to the real runner.</summary>
internal sealed class CountingRunner(ISshRunner inner) : ISshRunner
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);

    public int Of(string node) => _runs.GetValueOrDefault(node);

    public Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
    {
        _runs.AddOrUpdate(target.Name, 1, (_, n) => n + 1);
        return inner.RunAsync(target, argv, options, ct);
    }

    public Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default) => inner.FetchHostKeyAsync(name, address, port, ct);

    public Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default) =>
        inner.UploadAsync(target, content, remotePath, options, ct);
}
