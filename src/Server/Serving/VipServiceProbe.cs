using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Serving;

/// <summary>One VIP service to probe: where, and whether the console has an address in the VIP's own network.</summary>
/// <param name="OnConsoleNetwork">False when the console is on another network: failures before any answer then say so rather than guess.</param>
public sealed record ProbeTarget(string Vip, FileService Service, int Port, bool OnConsoleNetwork = true);

/// <summary>
/// Probes one VIP service every interval, as a client would find it: over the held connection while it answers (one
/// connection to the node, whatever the rate), and, once it does not, with a new connection each interval (several may be
/// pending while connects hang), so that service coming back is seen within an interval of its first answer.
/// Each result goes to <paramref name="report"/>: served at the answer's arrival, not served at the failed probe's sending;
/// how each held connection ended goes to <paramref name="ended"/> (reset or closed, or hung until the timeout: a tickle's effect).
/// </summary>
public sealed class VipServiceProbe(ProbeTarget target, ServiceProbeOptions options, SemaphoreSlim slots, TimeProvider time,
    Action<ProbeTarget, ServingState, DateTimeOffset, string?> report, Action<HeldConnectionEnd>? ended = null) : IDisposable
{
    private readonly IPAddress _address = IPAddress.Parse(target.Vip);
    // New connections pending at once: as many as fit in a timeout, so a connect that hangs never hides service back.
    private readonly int _maxPending = (int)Math.Ceiling(options.Timeout / options.Interval) + 1;
    private ProbeConnection? _held;
    private int _pending;
    // Pending attempts whose TCP connection stands: the service is reached, its answer is coming or timing out.
    private int _connected;
    private bool _everServed;
    private volatile bool _notServed;
    // The held connection broke and no new one has been answered yet.
    private volatile bool _reconnecting;

    public ProbeTarget Target => target;

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var tick = time.GetTimestamp();
            try { await TickAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            var left = options.Interval - time.GetElapsedTime(tick);
            try { if (left > TimeSpan.Zero) await Task.Delay(left, time, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task TickAsync(CancellationToken ct)
    {
        var sentAt = time.GetUtcNow();
        if (Volatile.Read(ref _held) is { } held)
        {
            if (!slots.Wait(0)) return; // the console-wide bound: skip this tick rather than queue (a queued probe's time would lie)
            Exception? failure = null;
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                limit.CancelAfter(options.Timeout);
                await held.AskAsync(limit.Token);
            }
            catch (Exception e) when (!ct.IsCancellationRequested) { failure = e; }
            finally { slots.Release(); }
            if (failure is null)
            {
                Report(ServingState.Served, time.GetUtcNow(), null);
                return;
            }
            Interlocked.CompareExchange(ref _held, null, held);
            held.Dispose();
            ended?.Invoke(Ended(failure, sentAt));
            if (failure is OperationCanceledException)
            {
                // The held connection stalls: requests of a client connected there stall the same way.
                Report(ServingState.NotServed, sentAt, NoAnswer());
            }
            else
            {
                // Closed or reset (smbd restarted, a tickle after the VIP moved): a client reconnects at once; so does the probe.
                // A reconnect may hang on the node giving up the VIP while the next one is answered by its new node, so until one
                // is answered a new one is tried every interval, and a hung one's failure counts only if none was answered since.
                _reconnecting = true;
                _ = AttemptAsync(sentAt, ct);
                return;
            }
        }
        // Each connection that reaches the node costs smbd a process: while served (or not known yet) one at a time; while not
        // served or reconnecting, one every interval even if an earlier one reached the node and waits (smbd blocked in a
        // recovery), so the first answer after it is seen within an interval.
        if (Volatile.Read(ref _pending) < _maxPending && (_notServed || _reconnecting || Volatile.Read(ref _connected) == 0)) _ = AttemptAsync(sentAt, ct);
    }

    /// <summary>A new connection and the service's opening exchange, bounded by the timeout; kept as the held one if none is.</summary>
    private async Task AttemptAsync(DateTimeOffset sentAt, CancellationToken ct)
    {
        if (!slots.Wait(0)) return;
        Interlocked.Increment(ref _pending);
        var connected = 0;
        Exception? failure = null;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(options.Timeout);
            var connection = await ProbeConnection.OpenAsync(target.Service, _address, target.Port,
                () => { connected = 1; Interlocked.Increment(ref _connected); }, limit.Token);
            var answeredAt = time.GetUtcNow();
            if (Interlocked.CompareExchange(ref _held, connection, null) is not null) connection.Dispose();
            _reconnecting = false;
            Report(ServingState.Served, answeredAt, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            failure = e;
        }
        catch (OperationCanceledException) { }
        finally
        {
            if (connected == 1) Interlocked.Decrement(ref _connected);
            Interlocked.Decrement(ref _pending);
            slots.Release();
        }
        if (failure is null) return;
        var (state, reason) = Classify(failure);
        // A quick refusal (a connection refused or closed while the VIP moves) counts as the clients' a timeout later, as an
        // unanswered probe does: a client whose connect is refused tries again, and one served by then saw a delay, not an
        // outage. The availability drops it then if a later probe was answered since it was sent.
        var left = sentAt + options.Timeout - time.GetUtcNow();
        try { if (state == ServingState.NotServed && left > TimeSpan.Zero) await Task.Delay(left, time, ct); }
        catch (OperationCanceledException) { return; }
        Report(state, sentAt, reason);
    }

    private void Report(ServingState state, DateTimeOffset at, string? reason)
    {
        _notServed = state != ServingState.Served;
        if (state == ServingState.Served) _everServed = true;
        // Another network, never answered: the console cannot tell a VIP without service from one it cannot reach.
        else if (state == ServingState.NotServed && !target.OnConsoleNetwork && !_everServed)
            (state, reason) = (ServingState.Unreachable, $"the console is on another network and has had no answer from it ({reason})");
        report(target, state, at, reason);
    }

    private (ServingState, string) Classify(Exception e) => e switch
    {
        OperationCanceledException => (ServingState.NotServed, NoAnswer()),
        SocketException { SocketErrorCode: SocketError.NetworkUnreachable } =>
            (ServingState.Unreachable, "the console has no route to its network"),
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => (ServingState.NotServed, "connection refused"),
        SocketException { SocketErrorCode: SocketError.HostUnreachable } => (ServingState.NotServed, "no host answers at that address"),
        SocketException s => (ServingState.NotServed, $"connection failed: {s.SocketErrorCode}"),
        InvalidServiceAnswerException x => (ServingState.NotServed, $"answered, but not as {target.Service}: {x.Message}"),
        EndOfStreamException or IOException => (ServingState.NotServed, "the connection was closed before an answer"),
        _ => (ServingState.NotServed, e.Message),
    };

    private HeldConnectionEnd Ended(Exception failure, DateTimeOffset sentAt)
    {
        var (how, reason) = failure switch
        {
            OperationCanceledException => (ConnectionEnd.TimedOut, NoAnswer()),
            // A write after a RST fails with ECONNRESET, or EPIPE once the reset was taken (after a FIN the write passes, the read ends).
            SocketException s when WasReset(s) => (ConnectionEnd.Reset, "the held connection was reset"),
            IOException { InnerException: SocketException s } when WasReset(s) => (ConnectionEnd.Reset, "the held connection was reset"),
            EndOfStreamException => (ConnectionEnd.Closed, "the server closed the held connection"),
            _ => (ConnectionEnd.Closed, $"the held connection failed: {failure.Message}"),
        };
        return new HeldConnectionEnd(target.Vip, target.Service, how, sentAt, reason);
    }

    private static bool WasReset(SocketException e) =>
        e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;

    private string NoAnswer() => string.Create(CultureInfo.InvariantCulture, $"no answer within {options.Timeout.TotalSeconds:0.0#} s");

    public void Dispose() => Interlocked.Exchange(ref _held, null)?.Dispose();
}
