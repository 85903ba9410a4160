using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StorageHa.Shared.Console;

namespace StorageHa.Client.Tests.Shared;

/// <summary>The pages' state stream, fed by the test through a channel: snapshots as given, then every published change.</summary>
public sealed class ChannelClusterStream : IClusterStateStream
{
    private readonly Dictionary<long, ClusterSnapshot> _snapshots = [];
    private readonly Channel<ClusterChange> _changes = Channel.CreateUnbounded<ClusterChange>();

    public void Add(ClusterSnapshot snapshot) => _snapshots[snapshot.ClusterId] = snapshot;

    public void Publish(ClusterChange change) => Assert.True(_changes.Writer.TryWrite(change));

    public Task<ClusterSubscription> SubscribeAsync(long clusterId, CancellationToken ct) =>
        Task.FromResult(new ClusterSubscription(_snapshots.GetValueOrDefault(clusterId) ?? NotWatched(clusterId), Read(c => c.ClusterId == clusterId, ct)));

    /// <summary>A cluster the test gave no snapshot: no node can be reached, no state read.</summary>
    private static ClusterSnapshot NotWatched(long clusterId) =>
        new(clusterId, $"cluster {clusterId}", 0, new MonitorStatus(MonitorHealth.NotConfigured, null, "no node can be reached yet", DateTimeOffset.UnixEpoch), null, null, [], []);

    public Task<OverviewSubscription> SubscribeAllAsync(CancellationToken ct) =>
        Task.FromResult(new OverviewSubscription([.. _snapshots.Values], Read(_ => true, ct)));

    private async IAsyncEnumerable<ClusterChange> Read(Func<ClusterChange, bool> mine, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var change in _changes.Reader.ReadAllAsync(ct))
            if (mine(change)) yield return change;
    }
}
