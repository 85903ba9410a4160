using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace StorageHa.Server.Ssh;

/// <summary>One command to run: the line sent to the node, the line audited, its stdin, its options and when it began.</summary>
internal sealed record CommandRequest(string CommandLine, string AuditedLine, string? Input, SshRunOptions Options, long Started);

/// <summary>The command did not start on the node (its session never opened), so running it again cannot run it twice.</summary>
/// <param name="Why">How the connection failed, in a few words for the message of a second attempt.</param>
internal sealed class CommandNotStartedException(NodeSshException reason, string why) : Exception(reason.Message, reason)
{
    public NodeSshException Reason { get; } = reason;
    public string Why { get; } = why;
}

/// <summary>One try at running a command on one connection: opens its session, sends its input, waits for its end.</summary>
internal sealed class CommandAttempt(SshConnectionPool pool, TimeProvider time)
{
    /// <summary>How long a connection we gave up on may take to end its pending open once closed (a closed socket ends it at once).</summary>
    private static readonly TimeSpan AbandonedOpenGrace = TimeSpan.FromSeconds(1);

    /// <summary>What the command left; throws <see cref="CommandNotStartedException"/> when provably nothing ran, else an admin-worded error.</summary>
    /// <param name="left">What is left of the command's timeout.</param>
    /// <param name="limit">Fires when the command's timeout is over (or ct is cancelled): the same across attempts.</param>
    /// <param name="freshConnection">The connection was opened for this command: the node answered the handshake a moment ago.</param>
    public async Task<CommandResult> RunAsync(SshTarget target, SshClient client, CommandRequest request, TimeSpan left, CancellationToken limit, CancellationToken ct,
        bool freshConnection = false)
    {
        SshCommand? command = null;
        Task<Task>? open = null;
        Task? execution = null;
        var finished = false;
        var opened = false;
        // On a pooled connection a session opens in milliseconds unless the node died since; on one just opened the node is
        // alive, and a busy one (its sshd setting up the session, PAM, a login's sudo) may take seconds: it gets the connect time.
        var openLimit = freshConnection ? pool.Settings.ConnectTimeout : pool.Settings.ChannelOpenTimeout;
        using var opening = CancellationTokenSource.CreateLinkedTokenSource(limit);
        // A command timeout as short as the open limit bounds the open by itself: two timers of one length race.
        if (openLimit < left) opening.CancelAfter(openLimit);
        try
        {
            command = client.CreateCommand(request.CommandLine, Encoding.UTF8);
            // SSH.NET opens the command's channel synchronously (up to the 15 s connection timeout on a node that died
            // since the last command): open it on another thread and stop waiting after a short while.
            var pending = command;
            open = Task.Factory.StartNew(() => pending.ExecuteAsync(limit), CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
            execution = open.Unwrap();
            // SSH.NET sends the remote process a signal when limit fires.
            await open.WaitAsync(opening.Token);
            opened = true;
            if (request.Input is not null) await SendInputAsync(command, request.Input);
            // WaitAsync stops waiting at once, even if a dead connection never answers the signal.
            await execution.WaitAsync(limit);
            finished = true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !opened)
        {
            // A connection that cannot open a session is dead whichever limit came first: the next command must not wait on it too.
            pool.Discard(target, client);
            if (limit.IsCancellationRequested) throw new CommandTimedOutException(target.Display, request.AuditedLine, request.Options.Timeout);
            var reason = NotAnswering(target, request.AuditedLine, openLimit);
            if (await EndedInChannelOpenAsync(open!, ct)) throw new CommandNotStartedException(reason, $"did not open a session within {openLimit.TotalSeconds:0.#} s");
            throw reason;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CommandTimedOutException(target.Display, request.AuditedLine, request.Options.Timeout);
        }
        // A reset can surface as a bare SocketException from SSH.NET's send: a broken connection like SshConnectionException.
        catch (Exception ex) when (ex is SshConnectionException or SocketException || ex is SshException or ObjectDisposedException or IOException or InvalidOperationException && !client.IsConnected)
        {
            pool.Discard(target, client);
            if (!opened && InChannelOpen(ex)) throw new CommandNotStartedException(DroppedBeforeStart(target, request, ex), "had dropped");
            throw Dropped(target, request, ex);
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
                throw Dropped(target, request, null);
            var exitCode = command.ExitStatus ?? 128 + SignalNumber(command.ExitSignal);
            return new CommandResult(exitCode, command.Result, command.Error, time.GetElapsedTime(request.Started), command.ExitSignal);
        }
    }

    // The connection was discarded, which ends its pending open: where that open ended tells whether the exec request had gone out.
    private static async Task<bool> EndedInChannelOpenAsync(Task open, CancellationToken ct)
    {
        try
        {
            await open.WaitAsync(AbandonedOpenGrace, ct);
            return false; // it opened after all: the command may be running
        }
        catch (TimeoutException) { return false; }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception ex) { return InChannelOpen(ex); }
    }

    // SSH.NET sends the exec request only after ChannelSession.Open returned: a failure thrown inside Open proves nothing ran.
    private static bool InChannelOpen(Exception ex) =>
        new StackTrace(ex).GetFrames().Any(frame =>
            frame.GetMethod() is { Name: "Open", DeclaringType.FullName: "Renci.SshNet.Channels.ChannelSession" });

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

    private static NodeUnreachableException NotAnswering(SshTarget target, string auditedLine, TimeSpan waited) =>
        new(target.Display,
            $"{target.Display} did not open a session for {auditedLine} within {waited.TotalSeconds:0.#} s on its open connection: " +
            "the node may have died or hung. The command did not start; the console dropped the connection, and the next command opens a new one.");

    private ConnectionDroppedException DroppedBeforeStart(SshTarget target, CommandRequest request, Exception cause) =>
        new(target.Display,
            $"The connection to {target.Display} dropped after {time.GetElapsedTime(request.Started).TotalSeconds:0.#} s, before the session for " +
            $"{request.AuditedLine} opened: the command did not start. The node may have rebooted, sshd may have restarted, or the network was cut; " +
            "the next command opens a new connection.", cause);

    private ConnectionDroppedException Dropped(SshTarget target, CommandRequest request, Exception? cause) =>
        new(target.Display,
            $"The connection to {target.Display} dropped after {time.GetElapsedTime(request.Started).TotalSeconds:0.#} s while running: {request.AuditedLine}. " +
            "The node may have rebooted, sshd may have restarted, or the network was cut. The command may or may not have finished there; " +
            "the next command opens a new connection.", cause);

    private static int SignalNumber(string? signal) => signal switch
    {
        "HUP" => 1, "INT" => 2, "QUIT" => 3, "ILL" => 4, "ABRT" => 6, "FPE" => 8, "KILL" => 9,
        "USR1" => 10, "SEGV" => 11, "USR2" => 12, "PIPE" => 13, "ALRM" => 14, "TERM" => 15,
        _ => 0,
    };
}
