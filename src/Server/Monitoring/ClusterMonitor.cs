using StorageHa.Server.ClusterAccess;
using StorageHa.Shared.Console;
using StorageHa.Server.Ssh;
using StorageHa.Shared.State;

namespace StorageHa.Server.Monitoring;

/// <summary>How often and how patiently the monitors read.</summary>
public sealed record MonitorOptions
{
    /// <summary>Pause between two reads; with crm_mon's own ~0.3 s a change shows within about 0.7 s.</summary>
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
}

/// <summary>A cluster to watch and the nodes to read it from, in the order to try them.</summary>
/// <param name="Problem">Why some or all of its nodes cannot be read (no credential, host key not accepted).</param>
public sealed record MonitoredCluster(long Id, string Name, IReadOnlyList<SshTarget> Nodes, string? Problem = null);

/// <summary>
/// Watches one cluster: reads crm_mon from one live node, moves to the next node when that one fails, diffs each new
/// state into events, groups them into failovers, stores them, and publishes the change to the cluster's feed.
/// </summary>
public sealed class ClusterMonitor(MonitoredCluster cluster, CrmMonReader reader, ClusterFeeds feeds, ClusterHistoryStore history,
    MonitorOptions options, TimeProvider time, ILogger<ClusterMonitor> logger)
{
    private volatile MonitoredCluster _cluster = cluster;
    // Nodes whose connection is open and answered lately; the background standby check writes it too.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _answered = new(StringComparer.Ordinal);
    private long _lastStandbyCheck;
    private Task _standbyCheck = Task.CompletedTask;
    private ClusterState? _last;
    private FailoverTracker? _tracker;
    private MonitorStatus? _status;
    private string? _watching;

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
                failures = answer.Passed;
                Forget(failures);
                _answered[answer.Node.Name] = true;
                next = Math.Max(0, nodes.ToList().FindIndex(n => n.Name == answer.Node.Name));
                await ObserveAsync(answer.Node.Name, answer.Value, failures, ct);
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
                await Task.Delay(options.PollInterval, time, ct);
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

    private async Task ObserveAsync(string node, ClusterState state, IReadOnlyList<NodeFailure> failures, CancellationToken ct)
    {
        var own = new List<ClusterEvent>();
        if (_watching != node)
        {
            var moved = _watching is not null || failures.Count > 0;
            var because = failures.Count == 0 ? null : string.Join("; ", failures);
            var message = moved ? $"watching from {node}, moved from {_watching ?? failures[0].Node}{(because is null ? "" : $" ({because})")}" : $"watching from {node}";
            if (moved)
            {
                logger.LogWarning("Cluster {Cluster}: now {Message}", _cluster.Name, message);
                own.Add(new MonitorMoved(time.GetUtcNow(), node, because));
            }
            _watching = node;
            _status = new MonitorStatus(MonitorHealth.Watching, node, message, time.GetUtcNow());
        }
        else if (_status?.Health != MonitorHealth.Watching)
            _status = new MonitorStatus(MonitorHealth.Watching, node, $"watching from {node}", time.GetUtcNow());
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
