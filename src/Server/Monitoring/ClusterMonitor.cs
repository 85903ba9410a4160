using StorageHa.Server.ClusterAccess;
using StorageHa.Shared.Console;
using StorageHa.Server.Ssh;
using StorageHa.Shared.State;

namespace StorageHa.Server.Monitoring;

/// <summary>How often and how patiently the monitors read (appsettings: StorageHa:Monitor).</summary>
public sealed record MonitorOptions
{
    /// <summary>
    /// Watch the cluster's changes as they happen (the node helper's watch-state over one SSH channel) rather than poll;
    /// polling remains the fallback where a watch cannot start or dies.
    /// </summary>
    public bool Events { get; init; } = true;
    /// <summary>How often the watch says it is alive when the cluster is quiet.</summary>
    public TimeSpan EventHeartbeat { get; init; } = TimeSpan.FromSeconds(0.5);
    /// <summary>How often the watch reads crm_mon without a CIB change (the fencer's history and pacemakerd's state are not in the CIB).</summary>
    public TimeSpan EventReread { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a node whose watch could not start (an older helper, no libcib) is polled before the watch is tried again.</summary>
    public TimeSpan EventRetry { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Pause between two reads when polling; with crm_mon's own ~0.3 s a change shows within about 0.7 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(400);
    /// <summary>A node that has answered before and is silent this long is left for another.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(1.2);
    /// <summary>
    /// How often the other nodes are read once in the background, so their connections are open and known to work:
    /// moving to one of them then costs one crm_mon, not an SSH login.
    /// </summary>
    public TimeSpan StandbyCheckInterval { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>The first read from a node also opens the SSH connection, so it may take longer.</summary>
    public TimeSpan FirstContactTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>When no node answers, how long to wait before asking them all again.</summary>
    public TimeSpan UnreachableRetry { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How often the inventory is read again for new or removed clusters and nodes.</summary>
    public TimeSpan InventoryRescan { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The options as StorageHa:Monitor sets them (e.g. Events=false, PollInterval=00:00:01); the defaults for what it leaves out.</summary>
    public static MonitorOptions From(IConfiguration? config)
    {
        var options = config?.GetSection("StorageHa:Monitor").Get<MonitorOptions>() ?? new MonitorOptions();
        foreach (var (name, value) in new[] { (nameof(EventHeartbeat), options.EventHeartbeat), (nameof(EventReread), options.EventReread),
            (nameof(PollInterval), options.PollInterval), (nameof(ReadTimeout), options.ReadTimeout) })
            if (value <= TimeSpan.Zero) throw new InvalidOperationException($"StorageHa:Monitor:{name} must be longer than zero, not {value}.");
        // watch-state takes 0.1 s to an hour: a faster heartbeat or re-read would cost the node more than it tells.
        if (options.EventHeartbeat < TimeSpan.FromSeconds(0.1) || options.EventReread < TimeSpan.FromSeconds(0.1))
            throw new InvalidOperationException("StorageHa:Monitor:EventHeartbeat and EventReread must be at least 0.1 s.");
        return options;
    }
}

/// <summary>A cluster to watch and the nodes to read it from, in the order to try them.</summary>
/// <param name="Problem">Why some or all of its nodes cannot be read (no credential, host key not accepted).</param>
public sealed record MonitoredCluster(long Id, string Name, IReadOnlyList<SshTarget> Nodes, string? Problem = null);

/// <summary>
/// Watches one cluster: reads crm_mon from one live node, moves to the next node when that one fails, diffs each new
/// state into events, groups them into failovers, stores them, and publishes the change to the cluster's feed.
/// </summary>
/// <remarks>With a <see cref="StateWatch"/>, after each successful read it watches that node's changes until the watch ends, then reads again.</remarks>
public sealed class ClusterMonitor(MonitoredCluster cluster, CrmMonReader reader, ClusterFeeds feeds, ClusterHistoryStore history,
    MonitorOptions options, TimeProvider time, ILogger<ClusterMonitor> logger, StateWatch? watch = null)
{
    private const string Events = "events", Polling = "polling";
    private volatile MonitoredCluster _cluster = cluster;
    // Nodes whose connection is open and answered lately; the background standby check writes it too.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _answered = new(StringComparer.Ordinal);
    private long _lastStandbyCheck;
    private Task _standbyCheck = Task.CompletedTask;
    private ClusterState? _last;
    private FailoverTracker? _tracker;
    private MonitorStatus? _status;
    private string? _watching;
    private string _mode = Polling;
    private readonly WatchFallback _fallback = new(options, time);
    // A watched node that fell silent: passed over like a node whose read failed, and named in the move's message.
    private IReadOnlyList<NodeFailure> _left = [];

    public long ClusterId => _cluster.Id;

    /// <summary>Takes a new list of nodes (the inventory changed); used from the next read on.</summary>
    public void Update(MonitoredCluster changed) => _cluster = changed;

    public async Task RunAsync(CancellationToken ct)
    {
        var next = 0;
        while (!ct.IsCancellationRequested)
        {
            var nodes = _cluster.Nodes;
            if (nodes.Count == 0)
            {
                await SetStatusAsync(MonitorHealth.NotConfigured, null, _cluster.Problem ?? "the cluster has no nodes yet", [], ct);
                await Task.Delay(options.UnreachableRetry, time, ct);
                continue;
            }
            IReadOnlyList<NodeFailure> failures;
            var read = false;
            try
            {
                // The node that answered last comes first; the others in inventory order after it.
                var answer = await reader.FindAsync(new ClusterNodes(_cluster.Name, [.. nodes.Skip(next), .. nodes.Take(next)], _cluster.Problem), Policy(nodes.Count), ct);
                failures = [.. _left.Where(l => l.Node != answer.Node.Name), .. answer.Passed];
                _left = [];
                Forget(answer.Passed);
                _answered[answer.Node.Name] = true;
                next = Math.Max(0, nodes.ToList().FindIndex(n => n.Name == answer.Node.Name));
                await ObserveAsync(answer.Node.Name, answer.Value, failures, Polling, ct);
                read = true;
            }
            catch (NoLiveNodeException none)
            {
                failures = none.Failures;
                Forget(failures);
            }
            if (ct.IsCancellationRequested) break;
            if (read)
            {
                CheckStandbys(nodes, nodes[next], ct);
                if (watch is not null && _fallback.MayWatch(nodes[next].Name))
                {
                    // Watch until the watch ends; the read right after it sees whatever changed in between.
                    if (await WatchAsync(nodes[next], ct) is { NodeFailed: true }) next = (next + 1) % nodes.Count;
                    continue;
                }
                // A watch due back soon is not kept waiting for a long poll interval.
                var until = watch is null ? options.PollInterval : _fallback.UntilWatch(nodes[next].Name);
                await Task.Delay(until < options.PollInterval ? until : options.PollInterval, time, ct);
                continue;
            }
            var why = string.Join("; ", failures);
            if (_status?.Health != MonitorHealth.Unreachable)
                logger.LogWarning("Cluster {Cluster} is unreachable: {Why}", _cluster.Name, why);
            _watching = null;
            await SetStatusAsync(MonitorHealth.Unreachable, null, $"no node answered ({why})",
                [new MonitorUnreachable(time.GetUtcNow(), _cluster.Name, why)], ct);
            await Task.Delay(options.UnreachableRetry, time, ct);
        }
    }

    /// <summary>
    /// A node whose connection is open and answered lately is left after <see cref="MonitorOptions.ReadTimeout"/>; another
    /// (its read opens the connection) after <see cref="MonitorOptions.FirstContactTimeout"/>. A round gives every node its turn.
    /// </summary>
    private LiveNodePolicy Policy(int nodes) =>
        new(options.FirstContactTimeout, options.FirstContactTimeout * nodes) { Known = n => _answered.ContainsKey(n.Name) ? options.ReadTimeout : null };

    private async Task<WatchEnd> WatchAsync(SshTarget node, CancellationToken ct)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var standbys = KeepStandbysCheckedAsync(node, watching.Token);
        var end = await watch!.RunAsync(node, state => ObserveAsync(node.Name, state, [], Events, ct), ct);
        await watching.CancelAsync();
        await standbys;
        if (ct.IsCancellationRequested) return end;
        var pause = _fallback.Ended(node.Name, end);
        var level = end.Kind == WatchEndKind.Ended && pause == TimeSpan.Zero ? LogLevel.Information : LogLevel.Warning;
        logger.Log(level, "Cluster {Cluster}: the watch on {Node} ended ({Kind}: {Reason}) after {Streamed}; polling, next watch in {Pause}",
            _cluster.Name, node.Name, end.Kind, end.Reason, end.Streamed, pause);
        if (end.NodeFailed)
        {
            _answered.TryRemove(node.Name, out _);
            _left = [new NodeFailure(node.Name, end.Kind == WatchEndKind.Silent ? NodeFailureKind.TimedOut : NodeFailureKind.NoAnswer, end.Reason)];
        }
        return end;
    }

    // While a watch lasts the loop does not pass its reads, so the other nodes' connections are kept known to work from here.
    private async Task KeepStandbysCheckedAsync(SshTarget watched, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.StandbyCheckInterval, time, ct);
                CheckStandbys(_cluster.Nodes, watched, ct);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void Forget(IReadOnlyList<NodeFailure> failures)
    {
        foreach (var failure in failures)
        {
            _answered.TryRemove(failure.Node, out _);
            logger.LogInformation("Cluster {Cluster}: could not read the state from {Node}: {Reason}", _cluster.Name, failure.Node, failure.Reason);
        }
    }

    private void CheckStandbys(IReadOnlyList<SshTarget> nodes, SshTarget watched, CancellationToken ct)
    {
        if (!_standbyCheck.IsCompleted || time.GetElapsedTime(_lastStandbyCheck) < options.StandbyCheckInterval && _lastStandbyCheck != 0) return;
        _lastStandbyCheck = time.GetTimestamp();
        _standbyCheck = Task.WhenAll(nodes.Where(n => n != watched).Select(async node =>
        {
            try
            {
                await reader.ReadAsync(node, options.FirstContactTimeout, ct);
                _answered[node.Name] = true;
            }
            catch (Exception e) when (e is NodeNotAnsweredException or OperationCanceledException)
            {
                _answered.TryRemove(node.Name, out _);
            }
        }));
    }

    /// <param name="mode">How the state came: <see cref="Events"/> from a watch, <see cref="Polling"/> from a read; the status says which.</param>
    private async Task ObserveAsync(string node, ClusterState state, IReadOnlyList<NodeFailure> failures, string mode, CancellationToken ct)
    {
        var own = new List<ClusterEvent>();
        var modeChanged = _mode != mode;
        _mode = mode;
        if (_watching != node)
        {
            var moved = _watching is not null || failures.Count > 0;
            var because = failures.Count == 0 ? null : string.Join("; ", failures);
            var message = moved ? $"watching from {node} ({mode}), moved from {_watching ?? failures[0].Node}{(because is null ? "" : $" ({because})")}" : $"watching from {node} ({mode})";
            if (moved)
            {
                logger.LogWarning("Cluster {Cluster}: now {Message}", _cluster.Name, message);
                own.Add(new MonitorMoved(time.GetUtcNow(), node, because));
            }
            _watching = node;
            _status = new MonitorStatus(MonitorHealth.Watching, node, message, time.GetUtcNow());
        }
        else if (_status?.Health != MonitorHealth.Watching || modeChanged)
            _status = new MonitorStatus(MonitorHealth.Watching, node, $"watching from {node} ({mode})", time.GetUtcNow());
        else if (own.Count == 0 && _last is not null && SameState(_last, state))
            return; // nothing new: the common case, every half second

        var now = time.GetUtcNow();
        var events = ClusterDiff.Between(_last, state, now);
        _tracker ??= new FailoverTracker(state);
        var completed = _tracker.Observe(events) is { } done ? FailoverSummary.From(done) : null;
        var inProgress = _tracker.InProgress is { } open ? FailoverSummary.From(open) : null;
        _last = state;
        IReadOnlyList<ClusterEvent> all = [.. own, .. events];
        await StoreAsync(all, completed, ct);
        var status = _status!;
        feeds.Publish(_cluster.Id, sequence => new ClusterChange(_cluster.Id, sequence, status, state, all, inProgress, completed));
        if (completed is not null)
            logger.LogInformation("Cluster {Cluster}: failover after {Trigger} took {Duration}", _cluster.Name, completed.Trigger, completed.Duration);
    }

    private async Task SetStatusAsync(MonitorHealth health, string? node, string message, IReadOnlyList<ClusterEvent> events, CancellationToken ct)
    {
        if (_status is { } now && now.Health == health && now.Node == node) return;
        var status = _status = new MonitorStatus(health, node, message, time.GetUtcNow());
        await StoreAsync(events, null, ct);
        var inProgress = _tracker?.InProgress is { } open ? FailoverSummary.From(open) : null;
        feeds.Publish(_cluster.Id, sequence => new ClusterChange(_cluster.Id, sequence, status, null, events, inProgress, null));
    }

    private async Task StoreAsync(IReadOnlyList<ClusterEvent> events, FailoverSummary? completed, CancellationToken ct)
    {
        var records = events.Select(ClusterEventRecord.From).ToList();
        try
        {
            await history.AppendAsync(_cluster.Id, records, completed, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The live view matters more than the history: keep watching, say what was not stored.
            logger.LogError(e, "Cluster {Cluster}: could not store {Count} events", _cluster.Name, records.Count);
        }
    }

    // crm_mon stamps every document with the time it ran; that alone is not a change.
    private static bool SameState(ClusterState a, ClusterState b) => Unstamped(a) == Unstamped(b);

    private static ClusterState Unstamped(ClusterState s) => s with { Summary = s.Summary with { LastUpdate = null, PacemakerdState = null } };
}
