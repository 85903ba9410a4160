using System.Globalization;
using System.Threading.Channels;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Deployment;
using StorageHa.Server.Ssh;
using StorageHa.Shared.State;

namespace StorageHa.Server.Monitoring;

/// <summary>How a watch ended, which decides what the monitor does next (<see cref="WatchFallback"/>).</summary>
public enum WatchEndKind
{
    /// <summary>It never streamed: a node helper without watch-state, no libcib, Pacemaker not running there. Poll that node.</summary>
    NotStarted,
    /// <summary>It streamed, then ended: killed, the CIB connection lost, the channel closed, or output that is not a stream.</summary>
    Ended,
    /// <summary>No record (not even a heartbeat) within its time: the node or the watch hangs. Leave the node, as a silent read would.</summary>
    Silent,
    /// <summary>A state that is not one (Pacemaker starting or stopping there): ask another node, as a read would.</summary>
    NoAnswer,
}

/// <param name="Streamed">How long it delivered records; zero when it never did.</param>
public sealed record WatchEnd(WatchEndKind Kind, string Reason, TimeSpan Streamed)
{
    /// <summary>The node should be left for another, as after a failed read.</summary>
    public bool NodeFailed => Kind is WatchEndKind.Silent or WatchEndKind.NoAnswer;
}

/// <summary>
/// The cluster's state as it changes: runs <c>storageha-node watch-state</c> on one node over one SSH channel (audited
/// once per start, as "monitor" under <see cref="AuditAction"/>), reads its records and hands each state, read by the
/// same parser as a poll, to the monitor, until the stream ends, falls silent or is stopped.
/// </summary>
public sealed class StateWatch(ISshStreamRunner ssh, MonitorOptions options, NodeHelperLayout layout, TimeProvider time)
{
    public const string AuditAction = "monitor.watch";

    /// <summary>The node helper's command, paced by the options.</summary>
    public IReadOnlyList<string> Command =>
        [layout.BinaryPath, "watch-state", "--heartbeat", Seconds(options.EventHeartbeat), "--reread", Seconds(options.EventReread)];

    /// <summary>A stream with no record for this long is silent: the patience a read gets, and at least two heartbeats missed.</summary>
    public TimeSpan SilenceLimit => options.ReadTimeout > options.EventHeartbeat * 2 ? options.ReadTimeout : options.EventHeartbeat * 2;

    /// <summary>Streams states from <paramref name="node"/> to <paramref name="observe"/> until the watch ends; says how it ended.</summary>
    /// <param name="observe">Called with each state, one at a time, in order.</param>
    public async Task<WatchEnd> RunAsync(SshTarget node, Func<ClusterState, Task> observe, CancellationToken ct)
    {
        NodeStream stream;
        try
        {
            stream = await ssh.StartStreamAsync(node, Command, new SshRunOptions { Actor = "monitor", AuditAction = AuditAction, Timeout = options.FirstContactTimeout }, ct);
        }
        catch (NodeSshException e)
        {
            return new WatchEnd(WatchEndKind.Silent, e.Message, TimeSpan.Zero);
        }
        await using (stream)
        {
            var records = Channel.CreateUnbounded<StateRecord>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var reading = Task.Factory.StartNew(() => Read(stream.Output, records.Writer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var first = default(long?);
            var end = await ConsumeAsync(records.Reader, observe, () => first ??= time.GetTimestamp(), ct);
            var streamed = first is { } since ? time.GetElapsedTime(since) : TimeSpan.Zero;
            if (ct.IsCancellationRequested) return end with { Streamed = streamed };
            await stream.DisposeAsync();
            // Closing the channel ends the reader's blocking read; a dead connection may never say so.
            try { await reading.WaitAsync(TimeSpan.FromSeconds(2)); }
            catch (TimeoutException) { }
            if (first is null && end.Kind is WatchEndKind.Ended or WatchEndKind.Silent)
            {
                // Never a record: the node's own words say why (an old helper's usage, no libcib, no CIB), else what the console saw.
                CommandResult result;
                try { result = await stream.Completion.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None); }
                catch (TimeoutException) { return new WatchEnd(WatchEndKind.NotStarted, end.Reason, TimeSpan.Zero); }
                return new WatchEnd(WatchEndKind.NotStarted, NotStartedBecause(result, end.Reason), TimeSpan.Zero);
            }
            return end with { Streamed = streamed };
        }
    }

    private async Task<WatchEnd> ConsumeAsync(ChannelReader<StateRecord> records, Func<ClusterState, Task> observe, Func<long> streaming, CancellationToken ct)
    {
        var started = false;
        while (true)
        {
            // The first record waits for the helper to start and crm_mon's first read; then heartbeats keep it short.
            var patience = started ? SilenceLimit : options.FirstContactTimeout;
            StateRecord record;
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(patience);
                record = await records.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return new WatchEnd(WatchEndKind.Ended, "stopped", TimeSpan.Zero);
            }
            catch (OperationCanceledException)
            {
                return new WatchEnd(WatchEndKind.Silent, $"the watch sent nothing for {patience.TotalSeconds:0.#} s", TimeSpan.Zero);
            }
            catch (ChannelClosedException closed)
            {
                return new WatchEnd(WatchEndKind.Ended, closed.InnerException?.Message ?? "the watch ended", TimeSpan.Zero);
            }
            started = true;
            switch (record)
            {
                case StateRead read:
                    ClusterState state;
                    try { state = ClusterQueries.State.Read(new CommandResult(0, read.Xml, "", TimeSpan.Zero)); }
                    catch (NoAnswerException e) { return new WatchEnd(WatchEndKind.NoAnswer, e.Message, TimeSpan.Zero); }
                    streaming();
                    await observe(state);
                    break;
                case StateProblem problem:
                    return new WatchEnd(WatchEndKind.NoAnswer, problem.Message, TimeSpan.Zero);
            }
        }
    }

    /// <summary>On its own thread: SSH.NET's output stream blocks until bytes come or the channel closes.</summary>
    private static void Read(Stream output, ChannelWriter<StateRecord> records)
    {
        var reader = new StateStreamReader();
        var buffer = new byte[64 * 1024];
        try
        {
            int count;
            while ((count = output.Read(buffer)) > 0)
            {
                reader.Append(buffer.AsSpan(0, count));
                while (reader.Next() is { } record) records.TryWrite(record);
            }
            records.TryComplete(new IOException(reader.Greeted ? "the watch ended (the command exited or its channel closed)" : "the watch ended before it began"));
        }
        catch (Exception e) when (e is StateStreamException or IOException or ObjectDisposedException)
        {
            records.TryComplete(e);
        }
    }

    private string NotStartedBecause(CommandResult result, string seen) => (result.ExitCode, FirstLine(result.StdErr)) switch
    {
        (127, _) => $"there is no node helper at {layout.BinaryPath} (deploy it)",
        (2, var said) when said?.StartsWith("usage:", StringComparison.Ordinal) == true => "the node helper there has no watch-state (an older version: deploy the current one)",
        (_, { } said) => $"{said} (exit {result.ExitCode})",
        _ => seen,
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
