using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using StorageHa.Client.Services;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Ssh;

/// <summary>What a command left behind on the node.</summary>
/// <param name="ExitSignal">Set when the command was killed by a signal (then ExitCode is 128 + its number).</param>
public sealed record CommandResult(int ExitCode, string StdOut, string StdErr, TimeSpan Duration, string? ExitSignal = null)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>How to run one command: who asks for it, how long it may take, what it reads on stdin.</summary>
public sealed record SshRunOptions
{
    /// <summary>The user (or job) on whose behalf the command runs, as written to the audit log.</summary>
    public required string Actor { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Sent to the command's stdin, then end-of-file. The way to hand a command a secret: never audited.</summary>
    public string? StandardInput { get; init; }
    /// <summary>Positions in argv whose values the audit log shows as ***.</summary>
    public IReadOnlySet<int> SecretArguments { get; init; } = new HashSet<int>();
    public string AuditAction { get; init; } = "ssh.run";
}

/// <summary>The one door through which the console runs commands on nodes.</summary>
public interface ISshRunner
{
    /// <summary>Runs argv on the node (quoted by ShellCommand.Join) over its pooled connection, and audits it.</summary>
    Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default);

    /// <summary>First contact: the host key the node shows, without logging in.</summary>
    Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default);

    /// <summary>Writes content to a new file at remotePath over SFTP (same login, same pinned host key), and audits path, size and SHA-256.</summary>
    Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default);
}

/// <summary>Runs commands over pooled SSH connections with timeouts, cancellation and an audit entry for each.</summary>
public sealed partial class SshRunner(SshConnectionPool pool, IAuditLog audit, TimeProvider time) : ISshRunner
{
    private const string Redacted = "***";

    public Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default) =>
        pool.FetchHostKeyAsync(name, address, port, ct);

    public async Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count, nameof(argv));
        var input = string.IsNullOrEmpty(options.StandardInput) ? null : options.StandardInput;
        // Without input, stdin is /dev/null: SSH.NET sends no end-of-file for an empty stdin, so a reading command would hang.
        var commandLine = ShellCommand.Join(argv) + (input is null ? " </dev/null" : "");
        var auditedLine = ShellCommand.Join(argv.Select((word, i) => options.SecretArguments.Contains(i) ? Redacted : word));
        var started = time.GetTimestamp();
        try
        {
            var result = await ExecuteAsync(target, commandLine, auditedLine, input, options, started, ct);
            await WriteAuditAsync(target, auditedLine, options, result.ExitCode, Describe(target, options, result.Duration, result.ExitSignal), ct);
            return result;
        }
        catch (Exception ex)
        {
            var detail = Describe(target, options, time.GetElapsedTime(started), ex is OperationCanceledException ? "cancelled" : ex.Message);
            await WriteAuditAsync(target, auditedLine, options, null, detail, CancellationToken.None);
            throw;
        }
    }

    private async Task<CommandResult> ExecuteAsync(SshTarget target, string commandLine, string auditedLine, string? input, SshRunOptions options, long started, CancellationToken ct)
    {
        var client = await pool.GetAsync(target, ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(options.Timeout);
        SshCommand? command = null;
        Task? execution = null;
        var finished = false;
        var opened = false;
        var openLimit = pool.Settings.ChannelOpenTimeout;
        using var opening = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
        // A command timeout as short as the open limit bounds the open by itself: two timers of one length race.
        if (openLimit < options.Timeout) opening.CancelAfter(openLimit);
        try
        {
            command = client.CreateCommand(commandLine, Encoding.UTF8);
            // SSH.NET opens the command's channel synchronously (up to the 15 s connection timeout on a node that died
            // since the last command): open it on another thread and stop waiting after a short while.
            var pending = command;
            var open = Task.Factory.StartNew(() => pending.ExecuteAsync(limit.Token), CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
            execution = open.Unwrap();
            // SSH.NET sends the remote process a signal when limit fires.
            await open.WaitAsync(opening.Token);
            opened = true;
            if (input is not null) await SendInputAsync(command, input);
            // WaitAsync stops waiting at once, even if a dead connection never answers the signal.
            await execution.WaitAsync(limit.Token);
            finished = true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !opened)
        {
            // A connection that cannot open a session is dead whichever limit came first: the next command must not wait on it too.
            if (!limit.IsCancellationRequested) throw NotAnswering(target, client, auditedLine, openLimit);
            pool.Discard(target, client);
            throw new CommandTimedOutException(target.Display, auditedLine, options.Timeout);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CommandTimedOutException(target.Display, auditedLine, options.Timeout);
        }
        catch (SshConnectionException ex)
        {
            throw Dropped(target, client, auditedLine, started, ex);
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or IOException or InvalidOperationException && !client.IsConnected)
        {
            throw Dropped(target, client, auditedLine, started, ex);
        }
        finally
        {
            // A command we stopped waiting for is released when SSH.NET is done with it.
            var abandoned = command;
            if (!finished && execution is not null) _ = execution.ContinueWith(t => { _ = t.Exception; abandoned?.Dispose(); }, TaskScheduler.Default);
            else if (!finished) abandoned?.Dispose();
        }

        using (command)
        {
            if (command.ExitStatus is null && command.ExitSignal is null && !client.IsConnected)
                throw Dropped(target, client, auditedLine, started, null);
            var exitCode = command.ExitStatus ?? 128 + SignalNumber(command.ExitSignal);
            return new CommandResult(exitCode, command.Result, command.Error, time.GetElapsedTime(started), command.ExitSignal);
        }
    }

    private static async Task SendInputAsync(SshCommand command, string input)
    {
        try
        {
            // Closing the stream sends end-of-file, so the command knows the input is complete.
            await using var stdin = command.CreateInputStream();
            await stdin.WriteAsync(Encoding.UTF8.GetBytes(input));
        }
        catch (InvalidOperationException) { /* the command already finished and no longer reads */ }
    }

    private NodeUnreachableException NotAnswering(SshTarget target, SshClient client, string auditedLine, TimeSpan waited)
    {
        pool.Discard(target, client);
        return new NodeUnreachableException(target.Display,
            $"{target.Display} did not open a session for {auditedLine} within {waited.TotalSeconds:0.#} s on its open connection: " +
            "the node may have died or hung. The command did not start; the console dropped the connection, and the next command opens a new one.");
    }

    private ConnectionDroppedException Dropped(SshTarget target, SshClient client, string auditedLine, long started, Exception? cause)
    {
        pool.Discard(target, client);
        return new ConnectionDroppedException(target.Display,
            $"The connection to {target.Display} dropped after {time.GetElapsedTime(started).TotalSeconds:0.#} s while running: {auditedLine}. " +
            "The node may have rebooted, sshd may have restarted, or the network was cut. The command may or may not have finished there; " +
            "the next command opens a new connection.", cause);
    }

    private Task WriteAuditAsync(SshTarget target, string auditedLine, SshRunOptions options, int? exitCode, string detail, CancellationToken ct) =>
        audit.WriteAsync(new AuditEntry
        {
            At = time.GetUtcNow(),
            Actor = options.Actor,
            Action = options.AuditAction,
            Target = target.Name,
            Command = auditedLine,
            ExitCode = exitCode,
            Detail = detail,
        }, ct);

    private static string Describe(SshTarget target, SshRunOptions options, TimeSpan duration, string? outcome)
    {
        var parts = new List<string> { $"{target.User}@{target.Endpoint}", $"{duration.TotalSeconds:0.###} s" };
        if (options.StandardInput is not null) parts.Add("with input on stdin (not recorded)");
        if (!string.IsNullOrEmpty(outcome)) parts.Add(outcome);
        return string.Join("; ", parts);
    }

    private static int SignalNumber(string? signal) => signal switch
    {
        "HUP" => 1, "INT" => 2, "QUIT" => 3, "ILL" => 4, "ABRT" => 6, "FPE" => 8, "KILL" => 9,
        "USR1" => 10, "SEGV" => 11, "USR2" => 12, "PIPE" => 13, "ALRM" => 14, "TERM" => 15,
        _ => 0,
    };
}
