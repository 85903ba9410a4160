using StorageHa.Shared.Console;

namespace StorageHa.Client.Tests.Shared;

/// <summary>The stored history of the clusters: the failovers the test puts in, and which cluster the page asked for.</summary>
public sealed class InMemoryHistory : IClusterHistory
{
    public List<FailoverSummary> Failovers { get; } = [];
    public long AskedFor { get; private set; }

    public Task<IReadOnlyList<FailoverSummary>> ListFailoversAsync(long clusterId, int take = 100, CancellationToken ct = default)
    {
        AskedFor = clusterId;
        return Task.FromResult<IReadOnlyList<FailoverSummary>>([.. Failovers.Take(take)]);
    }

    public Task<IReadOnlyList<ClusterEventRecord>> ListEventsAsync(long clusterId, DateTimeOffset? since = null, int take = 1000, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ClusterEventRecord>>([]);
}
