using StorageHa.Shared.Console;
using StorageHa.Shared.Serving;

namespace StorageHa.Client.Tests.Shared;

/// <summary>Serve checks in memory: the latest per cluster, and what a check run now answers.</summary>
public sealed class TestServeChecks : IServeChecks
{
    private readonly Dictionary<long, ServeReport> _last = [];

    /// <summary>What the next <see cref="RunAsync"/> finds.</summary>
    public ServeReport? Next { get; set; }
    public int Runs { get; private set; }

    public void Keep(long clusterId, ServeReport report) => _last[clusterId] = report;

    public Task<ServeReport?> LastAsync(long clusterId, CancellationToken ct = default) => Task.FromResult(_last.GetValueOrDefault(clusterId));

    public Task<ServeReport> RunAsync(long clusterId, CancellationToken ct = default)
    {
        Runs++;
        var report = Next ?? throw new InvalidOperationException("No node answered.");
        _last[clusterId] = report;
        return Task.FromResult(report);
    }
}
