namespace StorageHa.Server.Monitoring;

/// <summary>
/// When the monitor watches a node's events and when it polls instead: never with events off; after a watch that
/// could not start on a node (an old helper, no libcib), that node is polled for <see cref="MonitorOptions.EventRetry"/>
/// (a helper deployed meanwhile is then used); after a watch that ended, the next one starts after one poll, or, when
/// the watches keep ending within <see cref="StableWatch"/>, after a pause that doubles up to EventRetry.
/// </summary>
public sealed class WatchFallback(MonitorOptions options, TimeProvider time)
{
    /// <summary>A watch that streamed this long was fine: whatever ended it is not a pattern.</summary>
    public static readonly TimeSpan StableWatch = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (DateTimeOffset NotBefore, TimeSpan LastPause)> _nodes = new(StringComparer.Ordinal);

    /// <summary>Whether to start a watch on the node now, rather than poll it.</summary>
    public bool MayWatch(string node) =>
        options.Events && (!_nodes.TryGetValue(node, out var held) || time.GetUtcNow() >= held.NotBefore);

    /// <summary>How long until a watch may start on the node: a poller waits no longer than this (never, with events off).</summary>
    public TimeSpan UntilWatch(string node) =>
        !options.Events ? TimeSpan.MaxValue
        : _nodes.TryGetValue(node, out var held) && held.NotBefore > time.GetUtcNow() ? held.NotBefore - time.GetUtcNow() : TimeSpan.Zero;

    /// <summary>The watch on the node ended so; returns how long that node is polled before the next watch.</summary>
    public TimeSpan Ended(string node, WatchEnd end)
    {
        var last = _nodes.TryGetValue(node, out var held) ? held.LastPause : TimeSpan.Zero;
        var pause = end.Kind switch
        {
            WatchEndKind.NotStarted => options.EventRetry,
            _ when end.Streamed >= StableWatch => TimeSpan.Zero,
            _ => last == TimeSpan.Zero ? FirstPause : Min(last * 2, options.EventRetry),
        };
        _nodes[node] = (time.GetUtcNow() + pause, pause);
        return pause;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
