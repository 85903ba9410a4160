using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Shared.Console;
using StorageHa.Server.Audit;
using StorageHa.Server.Auth;
using StorageHa.Server.Deployment;
using StorageHa.Server.Inventory;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Monitoring;

/// <summary>
/// The console's real monitor, store and feed, watching the lab's cluster through <see cref="LabForwarder"/>s, with
/// every change it publishes recorded with the time it arrived.
/// </summary>
internal sealed class LabMonitor : IAsyncDisposable
{
    private readonly List<LabForwarder> _forwarders = [];
    private readonly SshConnectionPool _pool = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TimeSpan At, ClusterChange Change)> _changes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _dataDir = Directory.CreateTempSubdirectory("storageha-monitor-").FullName;
    private Task _running = Task.CompletedTask;
    private Task _recording = Task.CompletedTask;

    public ClusterFeeds Feeds { get; } = new(TimeProvider.System);
    public ClusterHistoryStore History { get; private set; } = null!;
    public Database Database { get; private set; } = null!;
    public AuditTrail Audit { get; private set; } = null!;
    public long ClusterId { get; private set; }
    /// <summary>The cluster as the monitor watches it: its nodes reached through the forwarders, in the order tried.</summary>
    public MonitoredCluster Cluster { get; private set; } = null!;
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Starts watching the lab, trying its nodes in <paramref name="order"/>.</summary>
    /// <param name="helper">Where the node helper is installed on the nodes: the monitor then watches events with its watch-state (else it polls).</param>
    public static async Task<LabMonitor> StartAsync(LabDescription lab, IReadOnlyList<string> order, MonitorOptions? options = null, NodeHelperLayout? helper = null)
    {
        var monitor = new LabMonitor();
        await monitor.StartCoreAsync(lab, order, options ?? new MonitorOptions(), helper);
        return monitor;
    }

    private async Task StartCoreAsync(LabDescription lab, IReadOnlyList<string> order, MonitorOptions options, NodeHelperLayout? helper)
    {
        Database = new Database(Path.Combine(_dataDir, "storageha.db"));
        await new Migrator(Database, NullLogger<Migrator>.Instance).MigrateAsync();
        var cluster = await new SqliteInventory(Database, new SystemActor(), TimeProvider.System).AddClusterAsync(new Cluster { Name = lab.ClusterName });
        ClusterId = cluster.Id;
        History = new ClusterHistoryStore(Database);
        Audit = new AuditTrail(Database);
        var key = SshAuth.WithKey(await File.ReadAllTextAsync(lab.Ssh.ClientKey), label: "lab client key");
        var targets = new List<SshTarget>();
        foreach (var name in order)
        {
            var node = lab.Node(name);
            var forwarder = new LabForwarder(lab.ClientNamespace, node.Address, node.SshPort);
            _forwarders.Add(forwarder);
            targets.Add(new SshTarget(node.Name, "127.0.0.1", forwarder.Port, lab.Ssh.User, key, node.HostKeyFingerprint));
        }
        Feeds.Track(ClusterId, cluster.Name);
        var subscription = await Feeds.SubscribeAsync(ClusterId, _stop.Token);
        _recording = RecordAsync(subscription.Changes);
        var runner = new SshRunner(_pool, new MonitorAudit(Audit), TimeProvider.System);
        var reader = new CrmMonReader(new TimedRunner(runner, this));
        Cluster = new MonitoredCluster(ClusterId, cluster.Name, targets);
        // The console's own deployment of the bundled helper (once: every lab node sees the host's /tmp).
        if (helper is not null) await new NodeHelperDeployer(runner, new NodeHelperSettings { Layout = helper }).DeployAsync(targets[0], "lab test");
        var watch = helper is null ? null : new StateWatch(runner, options, helper, TimeProvider.System);
        var monitor = new ClusterMonitor(Cluster, reader, Feeds, History, options,
            TimeProvider.System, NullLogger<ClusterMonitor>.Instance, watch);
        _running = Task.Run(async () =>
        {
            try { await monitor.RunAsync(_stop.Token); }
            catch (OperationCanceledException) { }
        });
    }

    private async Task RecordAsync(IAsyncEnumerable<ClusterChange> changes)
    {
        try
        {
            await foreach (var change in changes)
                lock (_changes) _changes.Add((_clock.Elapsed, change));
        }
        catch (OperationCanceledException) { }
    }

    public IReadOnlyList<(TimeSpan At, ClusterChange Change)> Changes
    {
        get { lock (_changes) return [.. _changes]; }
    }

    public ClusterSnapshot Snapshot => Feeds.Snapshot(ClusterId)!;

    /// <summary>Every command the monitor ran: node, when it started, how long it took.</summary>
    public IReadOnlyList<(string Node, TimeSpan At, TimeSpan Took)> Commands
    {
        get { lock (_commands) return [.. _commands]; }
    }

    private readonly List<(string Node, TimeSpan At, TimeSpan Took)> _commands = [];

    /// <summary>The real runner, with the time of each command noted for the report.</summary>
    private sealed class TimedRunner(ISshRunner inner, LabMonitor monitor) : ISshRunner
    {
        public async Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
        {
            var at = monitor.Now;
            try { return await inner.RunAsync(target, argv, options, ct); }
            finally { lock (monitor._commands) monitor._commands.Add((target.Name, at, monitor.Now - at)); }
        }

        public Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default) =>
            inner.FetchHostKeyAsync(name, address, port, ct);

        public Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default) =>
            inner.UploadAsync(target, content, remotePath, options, ct);
    }

    /// <summary>Waits until a published change satisfies <paramref name="condition"/>; returns it with when it arrived.</summary>
    public async Task<(TimeSpan At, ClusterChange Change)> WaitForAsync(string what, TimeSpan timeout, Func<ClusterChange, bool> condition, TimeSpan? after = null)
    {
        var deadline = _clock.Elapsed + timeout;
        while (_clock.Elapsed < deadline)
        {
            var found = Changes.FirstOrDefault(c => c.At >= (after ?? TimeSpan.Zero) && condition(c.Change));
            if (found.Change is not null) return found;
            await Task.Delay(50);
        }
        // The changes of the wait, newest first: a report is cut short, and the start of the monitor is rarely the point.
        var seen = Changes.Where(c => c.At >= (after ?? TimeSpan.Zero)).Reverse().Take(20);
        throw new TimeoutException($"{what}: not seen within {timeout.TotalSeconds} s. Changes since {(after ?? TimeSpan.Zero).TotalSeconds:0.0}s, newest first: " +
            string.Join(" | ", seen.Select(c => $"{c.At.TotalSeconds:0.0}s {c.Change.Monitor.Message}: {string.Join(", ", c.Change.Events.Select(e => e.Description))}")));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await _recording;
        foreach (var forwarder in _forwarders) await forwarder.DisposeAsync();
        _pool.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // A read that outlived its deadline (SSH.NET opens channels synchronously) may still write its audit line.
        for (var attempt = 0; ; attempt++)
        {
            try { Directory.Delete(_dataDir, recursive: true); return; }
            catch (IOException) when (attempt < 100) { await Task.Delay(200); Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); }
        }
    }
}
