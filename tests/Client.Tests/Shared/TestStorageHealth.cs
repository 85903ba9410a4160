using StorageHa.Shared.Console;
using StorageHa.Shared.Storage;

namespace StorageHa.Client.Tests.Shared;

/// <summary>Storage health in memory: the reports a check answers per cluster, and the watches the pages hold now.</summary>
public sealed class TestStorageHealth : IStorageHealth
{
    private readonly Dictionary<long, StorageHealthReport> _reports = [];
    private int _watching;

    /// <summary>How many pages watch the storage now.</summary>
    public int Watching => Volatile.Read(ref _watching);

    public void Answer(long clusterId, StorageHealthReport report) => _reports[clusterId] = report;

    public Task<StorageHealthReport> CheckAsync(long clusterId, CancellationToken ct = default) =>
        _reports.TryGetValue(clusterId, out var report) ? Task.FromResult(report)
            : throw new KeyNotFoundException($"Cluster {clusterId} declares no cluster filesystem.");

    public Task<IDisposable> WatchAsync(long clusterId, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _watching);
        return Task.FromResult<IDisposable>(new Release(this));
    }

    private sealed class Release(TestStorageHealth owner) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) Interlocked.Decrement(ref owner._watching);
        }
    }
}
