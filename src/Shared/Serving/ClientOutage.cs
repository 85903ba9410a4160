namespace StorageHa.Shared.Serving;

public enum ClientView
{
    /// <summary>The probes failed, from <see cref="ClientOutage.NotServedAt"/> until a served answer at <see cref="ClientOutage.ServedAt"/> (null: not yet).</summary>
    Outage,
    /// <summary>Every probe during the failover was answered.</summary>
    ServedThroughout,
    /// <summary>The console has no route to the VIP: what clients saw is not known.</summary>
    CannotReach,
}

/// <summary>
/// What the clients of one VIP's service saw during a failover, from the console's probes: the time from the first failed
/// probe to the first served answer. The cluster's view (node lost, VIP started elsewhere) is the failover's
/// <see cref="State.VipOutage"/>; this is the clients' side of it.
/// </summary>
/// <param name="Vip">The VIP's address.</param>
public sealed record ClientOutage(string Vip, FileService Service, ClientView View, DateTimeOffset? NotServedAt = null, DateTimeOffset? ServedAt = null,
    string? Reason = null)
{
    /// <summary>Null unless an outage that has ended.</summary>
    public TimeSpan? Outage => ServedAt - NotServedAt;

    /// <summary>Still without service: served again is not seen yet.</summary>
    public bool Open => View == ClientView.Outage && ServedAt is null;

    /// <summary>
    /// The clients' outage of one VIP service in a failover seen by the cluster from <paramref name="start"/> to
    /// <paramref name="until"/> (its end, plus the probes' own delay): the not-served span in effect at the start (the
    /// probes often see a crash before the cluster does), else the first to begin before <paramref name="until"/>; null
    /// when the service was never probed by then, or never served before that span (nobody was a client yet).
    /// </summary>
    public static ClientOutage? From(IReadOnlyList<ServiceTransition> series, DateTimeOffset start, DateTimeOffset until)
    {
        var known = series.Where(t => t.At <= until).ToList();
        if (known.Count == 0) return null;
        var first = known[0];
        var atStart = known.LastOrDefault(t => t.At <= start);
        var window = known.Where(t => t.At > start).ToList();
        var unreachable = (atStart is { State: ServingState.Unreachable } ? atStart : null) ?? window.FirstOrDefault(t => t.State == ServingState.Unreachable);
        if (unreachable is not null) return new ClientOutage(first.Vip, first.Service, ClientView.CannotReach, Reason: unreachable.Reason);
        var down = atStart is { State: ServingState.NotServed } ? atStart : window.FirstOrDefault(t => t.State == ServingState.NotServed);
        if (down is null) return new ClientOutage(first.Vip, first.Service, ClientView.ServedThroughout);
        // Never served before: a VIP still being built, not clients losing service.
        if (ReferenceEquals(down, first)) return null;
        var up = series.FirstOrDefault(t => t.At > down.At && t.State != ServingState.NotServed);
        return up?.State == ServingState.Unreachable
            ? new ClientOutage(first.Vip, first.Service, ClientView.CannotReach, Reason: up.Reason)
            : new ClientOutage(first.Vip, first.Service, ClientView.Outage, down.At, up?.At, down.Reason);
    }
}
