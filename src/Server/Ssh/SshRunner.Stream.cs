using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using StorageHa.Shared.Commands;

namespace StorageHa.Server.Ssh;

/// <summary>Commands that run until the console stops them, their output read as it comes (a watch), through the same door.</summary>
public interface ISshStreamRunner
{
    /// <summary>
    /// Starts argv on the node over its pooled connection (quoted, through sudo for a non-root login, stdin /dev/null) and
    /// audits the start once; <see cref="SshRunOptions.Timeout"/> bounds the start only (connect and session open), not the run.
    /// </summary>
    Task<NodeStream> StartStreamAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default);
}

/// <summary>A command running on a node, its stdout read as it comes; disposing it stops the command and closes its channel.</summary>
public sealed class NodeStream : IAsyncDisposable
{
    /// <summary>How long a stopped command's channel may take to close before the console stops waiting for it.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);
    private readonly SshCommand _command;
    private readonly Task _execution;
    private readonly CancellationTokenSource _stop;
    private readonly long _started;
    private readonly TimeProvider _time;
    private int _disposed;

    internal NodeStream(string node, SshCommand command, Task execution, CancellationTokenSource stop, TimeProvider time)
    {
        Node = node;
        _command = command;
        _execution = execution;
        _stop = stop;
        _time = time;
        _started = time.GetTimestamp();
        Completion = CompleteAsync();
    }

    public string Node { get; }

    /// <summary>The command's stdout; a read returns 0 once the command ended (or the connection dropped).</summary>
    public Stream Output => _command.OutputStream;

    /// <summary>How the command ended: its exit code (128 + signal) and stderr; the exit code is -1 when the connection dropped first.</summary>
    public Task<CommandResult> Completion { get; }

    private async Task<CommandResult> CompleteAsync()
    {
        try { await _execution; }
        catch (Exception) { /* stopped by us, or the connection dropped: the exit status says which, if any */ }
        var exit = _command.ExitStatus ?? (_command.ExitSignal is null ? -1 : 128);
        string stderr;
        try { stderr = _command.Error; }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException) { stderr = ""; }
        return new CommandResult(exit, "", stderr, _time.GetElapsedTime(_started), _command.ExitSignal);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync(); // SSH.NET signals the command and closes the channel
        try { await Completion.WaitAsync(StopGrace); }
        catch (TimeoutException) { /* a dead connection never confirms; the pool finds that out on its next use */ }
        _command.Dispose();
        _stop.Dispose();
    }
}

public sealed partial class SshRunner : ISshStreamRunner
{
    public async Task<NodeStream> StartStreamAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count, nameof(argv));
        var sudo = ThroughSudo(target, options);
        var commandLine = ShellCommand.Join(sudo ? Sudo.Wrap(argv) : argv) + " </dev/null";
        var auditedLine = ShellCommand.Join(argv.Select((word, i) => options.SecretArguments.Contains(i) ? Redacted : word));
        var started = time.GetTimestamp();
        try
        {
            var stream = await OpenStreamAsync(target, commandLine, auditedLine, options, ct);
            await WriteAuditAsync(target, auditedLine, options, null, Describe(target, options, time.GetElapsedTime(started), "started, streaming until the console stops it"), ct);
            return stream;
        }
        catch (Exception ex)
        {
            var detail = Describe(target, options, time.GetElapsedTime(started), ex is OperationCanceledException ? "cancelled" : "did not start: " + ex.Message);
            await WriteAuditAsync(target, auditedLine, options, null, detail, CancellationToken.None);
            throw;
        }
    }

    private async Task<NodeStream> OpenStreamAsync(SshTarget target, string commandLine, string auditedLine, SshRunOptions options, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.Timeout);
        PooledConnection connection;
        try { connection = await pool.GetAsync(target, limit.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw CommandTimedOutException.BeforeStart(target.Display, auditedLine, options.Timeout);
        }
        var command = connection.Client.CreateCommand(commandLine, Encoding.UTF8);
        var stop = new CancellationTokenSource();
        // SSH.NET opens the channel synchronously (as in CommandAttempt): on another thread, waited for within the start's limit.
        var open = Task.Factory.StartNew(() => command.ExecuteAsync(stop.Token), CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        try
        {
            await open.WaitAsync(limit.Token);
            return new NodeStream(target.Display, command, open.Unwrap(), stop, time);
        }
        catch (Exception ex) when (ex is OperationCanceledException && !ct.IsCancellationRequested
            || ex is SshConnectionException or SocketException or SshException or ObjectDisposedException or IOException || ex is InvalidOperationException && !connection.Client.IsConnected)
        {
            // A session that did not open on a pooled connection: the connection is dead for the next command too.
            pool.Discard(target, connection.Client);
            await stop.CancelAsync();
            _ = open.ContinueWith(t => { _ = t.Exception; command.Dispose(); stop.Dispose(); }, TaskScheduler.Default);
            throw ex is OperationCanceledException
                ? new NodeUnreachableException(target.Display, $"{target.Display} did not open a session for {auditedLine} within {options.Timeout.TotalSeconds:0.#} s: the node may have died or hung.")
                : new ConnectionDroppedException(target.Display, $"The connection to {target.Display} dropped before {auditedLine} started: {ex.Message}", ex);
        }
        catch
        {
            await stop.CancelAsync();
            _ = open.ContinueWith(t => { _ = t.Exception; command.Dispose(); stop.Dispose(); }, TaskScheduler.Default);
            throw;
        }
    }
}
