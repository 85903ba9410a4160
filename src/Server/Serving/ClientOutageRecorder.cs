using StorageHa.Server.Monitoring;
using StorageHa.Shared.Console;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Serving;

/// <summary>
/// Gives each completed failover the clients' outage of every probed VIP service: the cluster's side completes when the
/// VIPs run again, the clients' only when they are answered again, so this waits for that (at most
/// <see cref="ServiceProbeOptions.ClientOutageWait"/>), then stores it with the failover and tells the live stream.
/// </summary>
public sealed class ClientOutageRecorder(ClusterFeeds feeds, ClusterHistoryStore history, ServiceProbeOptions options, TimeProvider time,
    ILogger<ClientOutageRecorder> logger)
{
    public async Task RunAsync(ServiceProbes probes, CancellationToken ct)
    {
        var pending = new List<Task>();
        try
        {
            var subscription = await feeds.SubscribeAllAsync(ct);
            await foreach (var change in subscription.Changes.WithCancellation(ct))
            {
                pending.RemoveAll(t => t.IsCompleted);
                if (change.Completed is { } completed && probes.Of(change.ClusterId) is { } cluster)
                    pending.Add(RecordAsync(cluster, completed, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        await Task.WhenAll(pending);
    }

    /// <summary>Waits until every probed VIP service's outage in <paramref name="failover"/> has ended, then stores and publishes them.</summary>
    public async Task<FailoverSummary?> RecordAsync(ClusterServiceProbes cluster, FailoverSummary failover, CancellationToken ct)
    {
        try
        {
            var end = failover.End ?? time.GetUtcNow();
            // A probe's failure is known a timeout after it was sent, and one may be sent an interval after the change.
            var until = end + options.Timeout + options.Interval;
            var giveUp = time.GetUtcNow() + options.ClientOutageWait;
            IReadOnlyList<ClientOutage> outages;
            while (true)
            {
                outages = Measure(cluster, failover.Start, until);
                var now = time.GetUtcNow();
                if (now >= until && !outages.Any(o => o.Open) || now >= giveUp) break;
                await Task.Delay(options.Interval, time, ct);
            }
            if (outages.Count == 0) return null;
            var revised = failover with { ClientOutages = outages };
            if (!await history.SetClientOutagesAsync(cluster.ClusterId, revised, ct))
                logger.LogWarning("Cluster {Cluster}: the failover of {Start:O} is not stored; its clients' outage is not kept", cluster.ClusterId, failover.Start);
            feeds.PublishServing(cluster.ClusterId, null, revised);
            foreach (var o in outages)
                logger.LogInformation("Cluster {Cluster}: failover after {Trigger}: clients of {Service} through {Vip}: {View} {Outage}",
                    cluster.ClusterId, failover.Trigger, o.Service, o.Vip, o.View, o.Outage);
            return revised;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { return null; }
        catch (Exception e)
        {
            logger.LogError(e, "Cluster {Cluster}: could not record the clients' outage of the failover of {Start:O}", cluster.ClusterId, failover.Start);
            return null;
        }
    }

    /// <summary>Every VIP service probed, not only those whose VIP moved: a recovery (CTDB's) may stall the others too.</summary>
    private static List<ClientOutage> Measure(ClusterServiceProbes cluster, DateTimeOffset start, DateTimeOffset until)
    {
        var probed = cluster.Targets.OrderBy(t => t.Vip, StringComparer.Ordinal).ThenBy(t => t.Service);
        return [.. probed.Select(t => ClientOutage.From(cluster.Series(t.Vip, t.Service), start, until)).OfType<ClientOutage>()];
    }
}
