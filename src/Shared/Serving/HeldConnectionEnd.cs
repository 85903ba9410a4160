namespace StorageHa.Shared.Serving;

/// <summary>How a probe's held connection to a VIP service ended: what a client connected the same way lived through.</summary>
public enum ConnectionEnd
{
    /// <summary>Reset by the other end (a tickle ACK drew it, or the new node knew no such connection): the client reconnects at once.</summary>
    Reset,
    /// <summary>Closed by the server (smbd or Ganesha stopped it): the client reconnects at once.</summary>
    Closed,
    /// <summary>No answer within the probe's timeout: the client's request hung until it gave up waiting.</summary>
    TimedOut,
}

/// <summary>A probe's held connection to <paramref name="Vip"/>'s service ended at <paramref name="At"/> (when the failed ask was sent).</summary>
/// <param name="Reason">The probe's failure in the admin's words ("connection reset by the VIP's node", "no answer within 1.0 s").</param>
public sealed record HeldConnectionEnd(string Vip, FileService Service, ConnectionEnd How, DateTimeOffset At, string Reason);
