using StorageHa.Shared.Console;
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
    /// <summary>The command's one time limit, from the call on: waiting for the node's connection (or opening it), then running.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Sent to the command's stdin, then end-of-file. The way to hand a command a secret: never audited.</summary>
    public string? StandardInput { get; init; }
    /// <summary>Positions in argv whose values the audit log shows as ***.</summary>
    public IReadOnlySet<int> SecretArguments { get; init; } = new HashSet<int>();
    public string AuditAction { get; init; } = "ssh.run";
    /// <summary>
    /// Runs as the SSH user itself, even when that is not root: only for what is the user's own (its authorized_keys,
    /// its private upload directory). Every other command of a non-root login runs through <c>sudo -n --</c>.
    /// </summary>
    public bool AsLoginUser { get; init; }
}

/// <summary>The one door through which the console runs commands on nodes.</summary>
public interface ISshRunner
{
    /// <summary>
    /// Runs argv on the node (quoted by ShellCommand.Join) over its pooled connection, and audits it; as root: a login
    /// as another user runs it through <c>sudo -n --</c> (<see cref="Sudo"/>), and a sudo that refuses throws <see cref="SudoRefusedException"/>.
    /// </summary>
    Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default);

    /// <summary>First contact: the host key the node shows, without logging in.</summary>
    Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default);

    /// <summary>
    /// Writes content to a new file at remotePath over SFTP (same login, same pinned host key), and audits path, size and SHA-256.
    /// A login as another user than root writes to a private temporary directory and installs the file from there with sudo, root-owned.
    /// </summary>
    Task<UploadResult> UploadAsync(SshTarget target, Stream content, string remotePath, SshUploadOptions options, CancellationToken ct = default);
}

/// <summary>Runs commands over pooled SSH connections with timeouts, cancellation and an audit entry for each.</summary>
/// <remarks>A command whose session never opened on a stale pooled connection runs once more on a fresh one: it cannot have run.</remarks>
public sealed partial class SshRunner(SshConnectionPool pool, IAuditLog audit, TimeProvider time) : ISshRunner
{
    private const string Redacted = "***";
    private const string RetriedOnFresh = "retried on a fresh connection";
    private readonly CommandAttempt _attempt = new(pool, time);

    public Task<SshHostKey> FetchHostKeyAsync(string name, string address, int port, CancellationToken ct = default) =>
        pool.FetchHostKeyAsync(name, address, port, ct);

    public async Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, SshRunOptions options, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count, nameof(argv));
        var input = string.IsNullOrEmpty(options.StandardInput) ? null : options.StandardInput;
        var sudo = ThroughSudo(target, options);
        // Without input, stdin is /dev/null: SSH.NET sends no end-of-file for an empty stdin, so a reading command would hang.
        var commandLine = ShellCommand.Join(sudo ? Sudo.Wrap(argv) : argv) + (input is null ? " </dev/null" : "");
        var auditedLine = ShellCommand.Join(argv.Select((word, i) => options.SecretArguments.Contains(i) ? Redacted : word));
        var request = new CommandRequest(commandLine, auditedLine, input, options, time.GetTimestamp());
        try
        {
            var (result, retried) = await ExecuteAsync(target, request, ct);
            var refusal = sudo ? Sudo.Refusal(result.ExitCode, result.StdErr) : null;
            var outcome = string.Join("; ", new[] { retried ? RetriedOnFresh : null, result.ExitSignal, refusal is null ? null : "refused by sudo: " + result.StdErr.Trim() }.OfType<string>());
            await WriteAuditAsync(target, auditedLine, options, result.ExitCode, Describe(target, options, result.Duration, outcome), ct);
            // The command never ran: no caller may read sudo's complaint as the command's own failure.
            if (refusal is { } refused) throw new SudoRefusedException(target.Display, target.User, refused);
            return result;
        }
        catch (Exception ex) when (ex is not SudoRefusedException)
        {
            var detail = Describe(target, options, time.GetElapsedTime(request.Started), ex is OperationCanceledException ? "cancelled" : ex.Message);
            await WriteAuditAsync(target, auditedLine, options, null, detail, CancellationToken.None);
            throw;
        }
    }

    private async Task<(CommandResult Result, bool Retried)> ExecuteAsync(SshTarget target, CommandRequest request, CancellationToken ct)
    {
        // The one limit of the command, from this call on: connecting, both attempts and the wait for its end. Callers
        // set Options.Timeout and wrap no timer of their own around RunAsync (a dead node must not cost two limits).
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(request.Options.Timeout);
        var limitStarted = time.GetTimestamp();
        PooledConnection connection;
        try { connection = await pool.GetAsync(target, limit.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw CommandTimedOutException.BeforeStart(target.Display, request.AuditedLine, request.Options.Timeout);
        }
        try
        {
            return (await _attempt.RunAsync(target, connection.Client, request, request.Options.Timeout - time.GetElapsedTime(limitStarted), limit.Token, ct,
                freshConnection: !connection.Reused), false);
        }
        catch (CommandNotStartedException stale) when (connection.Reused)
        {
            return (await RetryOnFreshConnectionAsync(target, request, stale.Why, limitStarted, limit.Token, ct), true);
        }
        catch (CommandNotStartedException notStarted)
        {
            // A connection opened for this very command that cannot open a session: the node is not answering, so no second wait.
            throw notStarted.Reason;
        }
    }

    private async Task<CommandResult> RetryOnFreshConnectionAsync(SshTarget target, CommandRequest request, string staleWhy, long limitStarted, CancellationToken limit, CancellationToken ct)
    {
        try
        {
            PooledConnection fresh;
            try { fresh = await pool.GetAsync(target, limit); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw CommandTimedOutException.BeforeStart(target.Display, request.AuditedLine, request.Options.Timeout);
            }
            return await _attempt.RunAsync(target, fresh.Client, request, request.Options.Timeout - time.GetElapsedTime(limitStarted), limit, ct, freshConnection: true);
        }
        catch (CommandNotStartedException second) { throw AfterFreshTry(second.Reason, staleWhy); }
        catch (NodeSshException second) { throw AfterFreshTry(second, staleWhy); }
    }

    /// <summary>The second attempt's error, saying that the console had already given up on the pooled connection.</summary>
    private static NodeSshException AfterFreshTry(NodeSshException second, string staleWhy)
    {
        var message = $"{second.Message} (The console had tried a fresh connection because the pooled one {staleWhy}.)";
        return second switch
        {
            NodeUnreachableException => new NodeUnreachableException(second.Node, message, second),
            ConnectionDroppedException => new ConnectionDroppedException(second.Node, message, second),
            NodeLoginFailedException => new NodeLoginFailedException(second.Node, message, second),
            _ => second,
        };
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

    /// <summary>Whether the command runs through sudo: a login as another user than root, unless the command is that user's own.</summary>
    private static bool ThroughSudo(SshTarget target, SshRunOptions options) => !options.AsLoginUser && Sudo.IsNeeded(target.User);

    /// <summary>Who ran it, as the audit shows it: "admin@192.0.2.11:22 (sudo)" when it ran as root through sudo.</summary>
    private static string Login(SshTarget target, bool sudo) => $"{target.User}@{target.Endpoint}" + (sudo ? " (sudo)" : "");

    private static string Describe(SshTarget target, SshRunOptions options, TimeSpan duration, string? outcome)
    {
        var parts = new List<string> { Login(target, ThroughSudo(target, options)), $"{duration.TotalSeconds:0.###} s" };
        if (options.StandardInput is not null) parts.Add("with input on stdin (not recorded)");
        if (!string.IsNullOrEmpty(outcome)) parts.Add(outcome);
        return string.Join("; ", parts);
    }
}
