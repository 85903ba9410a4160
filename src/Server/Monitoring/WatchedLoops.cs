namespace StorageHa.Server.Monitoring;

/// <summary>
/// One background loop per cluster, running while at least one watcher holds it (a dashboard page, a hub client): the
/// console's pollers ask the nodes only while someone looks. However many watch a cluster, its loop runs once.
/// </summary>
public sealed class WatchedLoops : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Watched> _watched = [];

    /// <summary>Starts the cluster's <paramref name="loop"/> (if no one watches it yet) until every watch is disposed; its token is cancelled then.</summary>
    public IDisposable Watch(long clusterId, Func<long, CancellationToken, Task> loop)
    {
        lock (_gate)
        {
            if (!_watched.TryGetValue(clusterId, out var watched))
            {
                var stop = new CancellationTokenSource();
                _watched[clusterId] = watched = new Watched(stop);
                _ = Task.Run(() => loop(clusterId, stop.Token));
            }
            watched.Watchers++;
            return new Release(this, clusterId);
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> for the cluster every <paramref name="interval"/> while watched. A cluster that left the
    /// inventory (<see cref="KeyNotFoundException"/>) ends its loop; another failure (the inventory, the history: the nodes'
    /// failures are in the readings) is logged and tried again after the interval.
    /// </summary>
    public IDisposable Every(long clusterId, TimeSpan interval, TimeProvider time, Func<long, CancellationToken, Task> step, ILogger logger) =>
        Watch(clusterId, async (id, ct) =>
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    await step(id, ct);
                    await Task.Delay(interval, time, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
                catch (KeyNotFoundException) { return; }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Cluster {Cluster}: a watched reading failed", id);
                    try { await Task.Delay(interval, time, ct); } catch (OperationCanceledException) { return; }
                }
            }
        });

    private void Unwatch(long clusterId)
    {
        lock (_gate)
        {
            if (!_watched.TryGetValue(clusterId, out var watched) || --watched.Watchers > 0) return;
            _watched.Remove(clusterId);
            watched.Stop.Cancel();
            watched.Stop.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var watched in _watched.Values) { watched.Stop.Cancel(); watched.Stop.Dispose(); }
            _watched.Clear();
        }
    }

    private sealed class Watched(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;
        public int Watchers { get; set; }
    }

    private sealed class Release(WatchedLoops owner, long clusterId) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) owner.Unwatch(clusterId);
        }
    }
}
