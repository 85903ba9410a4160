using System.Net;
using System.Net.NetworkInformation;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Serving;

/// <summary>
/// The probes of one cluster's VIPs and the availability they record: each change of a VIP service's state is kept in the
/// cluster's series and published to its live stream (the dashboard's panel, the hub, the state API).
/// </summary>
public sealed class ClusterServiceProbes(long clusterId, ServiceProbeOptions options, SemaphoreSlim slots, ClusterFeeds feeds, TimeProvider time,
    ILogger logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly ServiceAvailability _availability = new();
    private readonly Dictionary<ProbeTarget, (VipServiceProbe Probe, CancellationTokenSource Stop, Task Running)> _probes = [];
    // The held connections that ended lately, oldest first: what a drill reads the tickle's effect from.
    private readonly Queue<HeldConnectionEnd> _ended = new();
    private const int KeepEnded = 200;

    public long ClusterId => clusterId;

    /// <summary>Probes exactly <paramref name="targets"/> from now on: new ones start, removed ones stop and are forgotten.</summary>
    public async Task ProbeAsync(IReadOnlyCollection<ProbeTarget> targets)
    {
        foreach (var target in targets.Where(t => !_probes.ContainsKey(t)))
        {
            var probe = new VipServiceProbe(target, options, slots, time, Record, Ended);
            var stop = new CancellationTokenSource();
            _probes[target] = (probe, stop, Task.Run(() => probe.RunAsync(stop.Token)));
        }
        var gone = _probes.Keys.Except(targets).ToList();
        foreach (var target in gone) await StopAsync(target);
        if (gone.Count > 0)
        {
            lock (_gate) _availability.KeepOnly(_probes.Keys.Select(t => (t.Vip, t.Service)));
            Publish();
        }
    }

    /// <summary>One VIP service's transitions, oldest first.</summary>
    public IReadOnlyList<ServiceTransition> Series(string vip, FileService service)
    {
        lock (_gate) return _availability.Series(vip, service);
    }

    /// <summary>Every probed VIP service's state now.</summary>
    public IReadOnlyList<ServiceTransition> Current
    {
        get { lock (_gate) return _availability.Current; }
    }

    public IReadOnlyList<ProbeTarget> Targets => [.. _probes.Keys];

    /// <summary>The probes' held connections that ended lately (the last 200), oldest first.</summary>
    public IReadOnlyList<HeldConnectionEnd> ConnectionEnds
    {
        get { lock (_gate) return [.. _ended]; }
    }

    private void Ended(HeldConnectionEnd end)
    {
        lock (_gate)
        {
            _ended.Enqueue(end);
            while (_ended.Count > KeepEnded) _ended.Dequeue();
        }
        logger.LogInformation("Cluster {Cluster}: {Service} through {Vip}: {Reason} ({How}, asked at {At:HH:mm:ss.fff})", clusterId, end.Service, end.Vip, end.Reason, end.How, end.At);
    }

    private void Record(ProbeTarget target, ServingState state, DateTimeOffset at, string? reason)
    {
        ServiceTransition? changed;
        lock (_gate) changed = _availability.Record(target.Vip, target.Service, state, at, reason);
        if (changed is null) return;
        logger.LogInformation("Cluster {Cluster}: {Change} since {At:HH:mm:ss.fff}", clusterId, changed.Describe(), changed.At);
        Publish();
    }

    private void Publish()
    {
        var current = Current;
        feeds.PublishServing(clusterId, current);
    }

    private async Task StopAsync(ProbeTarget target)
    {
        var (probe, stop, running) = _probes[target];
        _probes.Remove(target);
        await stop.CancelAsync();
        await running;
        probe.Dispose();
        stop.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var target in _probes.Keys.ToList()) await StopAsync(target);
    }

    /// <summary>Whether one of the console's own addresses is in the VIP's network (its address and prefix).</summary>
    public static bool OnConsoleNetwork(string vip, int prefix)
    {
        var address = IPAddress.Parse(vip);
        var network = new IPNetwork(Masked(address, prefix), prefix);
        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(u => u.Address.AddressFamily == address.AddressFamily && network.Contains(u.Address));
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPAddress(bytes);
    }
}
