namespace StorageHa.Shared.Serving;

/// <summary>The file services a VIP fronts, as the console probes them from the clients' side.</summary>
public enum FileService { Smb, Nfs }

public enum ServingState
{
    /// <summary>The service answered the probe as itself (an SMB2 answer on 445, an accepted RPC reply on 2049).</summary>
    Served,
    /// <summary>It did not answer within the probe's timeout, refused the connection, or answered as something else.</summary>
    NotServed,
    /// <summary>The console has no route to the VIP's network: it cannot tell whether clients are served.</summary>
    Unreachable,
}

/// <summary>
/// A VIP's service changed state: served, then not, then served again. <paramref name="At"/> is when the state began as
/// far as the probes can tell: a served answer's arrival, or the sending of the first probe that went unanswered.
/// </summary>
/// <param name="Vip">The VIP's address.</param>
/// <param name="Reason">For a state other than served: why, in the admin's words ("no answer within 1.0 s", "connection refused").</param>
public sealed record ServiceTransition(string Vip, FileService Service, ServingState State, DateTimeOffset At, string? Reason = null)
{
    public string Describe() => State switch
    {
        ServingState.Served => $"{Service} served through {Vip}",
        ServingState.NotServed => $"{Service} not served through {Vip}{(Reason is null ? "" : $" ({Reason})")}",
        _ => $"{Service} through {Vip}: the console cannot reach it{(Reason is null ? "" : $" ({Reason})")}",
    };
}

/// <summary>
/// Each VIP's availability per service as a time-stamped series of transitions, kept for one cluster. Probes report every
/// result; only changes are kept, and a result older than the latest change (a slow probe overtaken by a faster one) is
/// dropped, as is a failure of a probe sent before the latest served answer (the service answered after it was asked:
/// a reconnect that hung on the node giving up the VIP while the next one was answered by its new node).
/// Not thread-safe: its owner serialises the probes' reports.
/// </summary>
public sealed class ServiceAvailability(int keep = 500)
{
    private readonly Dictionary<(string Vip, FileService Service), List<ServiceTransition>> _series = [];
    private readonly Dictionary<(string Vip, FileService Service), DateTimeOffset> _lastAnswer = [];

    /// <summary>Takes one probe's result; returns the transition when the state changed, else null.</summary>
    public ServiceTransition? Record(string vip, FileService service, ServingState state, DateTimeOffset at, string? reason = null)
    {
        if (!_series.TryGetValue((vip, service), out var series)) _series[(vip, service)] = series = [];
        if (state == ServingState.Served)
            _lastAnswer[(vip, service)] = _lastAnswer.TryGetValue((vip, service), out var last) && last > at ? last : at;
        else if (_lastAnswer.TryGetValue((vip, service), out var answered) && at < answered) return null;
        if (series.Count > 0 && (series[^1].State == state || at < series[^1].At)) return null;
        var transition = new ServiceTransition(vip, service, state, at, reason);
        series.Add(transition);
        if (series.Count > keep) series.RemoveRange(0, series.Count - keep);
        return transition;
    }

    /// <summary>Each probed VIP service's state now: its latest transition.</summary>
    public IReadOnlyList<ServiceTransition> Current =>
        [.. _series.Values.Where(s => s.Count > 0).Select(s => s[^1]).OrderBy(t => t.Vip, StringComparer.Ordinal).ThenBy(t => t.Service)];

    /// <summary>One VIP service's transitions, oldest first (empty when never probed).</summary>
    public IReadOnlyList<ServiceTransition> Series(string vip, FileService service) =>
        _series.TryGetValue((vip, service), out var series) ? [.. series] : [];

    /// <summary>Drops the VIP services no longer probed (a VIP removed from the spec).</summary>
    public void KeepOnly(IEnumerable<(string Vip, FileService Service)> probed)
    {
        var keep = probed.ToHashSet();
        foreach (var gone in _series.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            _series.Remove(gone);
            _lastAnswer.Remove(gone);
        }
    }
}
