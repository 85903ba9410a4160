using StorageHa.Server.Ssh;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.ClusterAccess;

/// <summary>A node answered, but not with what was asked (no cluster runs there, the tool failed): ask another node.</summary>
public sealed class NoAnswerException(string reason) : Exception(reason);

/// <summary>
/// One question the console asks a node of a running cluster: the command, and how to read its answer. Reading throws
/// <see cref="NoAnswerException"/> when the node answered without what was asked, so that another node is asked.
/// </summary>
public sealed record ClusterQuery<T>(IReadOnlyList<string> Argv, Func<CommandResult, T> Read)
{
    /// <summary>An operation rather than a read: one that timed out while running is not started on another node.</summary>
    public bool ChangesTheCluster { get; init; }

    /// <summary>The command as the audit log and the messages show it.</summary>
    public string CommandLine => ShellCommand.Join(Argv);

    /// <summary>Sent to the command's standard input (a password, say): never audited, printed or logged.</summary>
    public string? StandardInput { get; init; }

    /// <summary>The command line only: a record would print <see cref="StandardInput"/> too.</summary>
    public override string ToString() => CommandLine;
}

/// <summary>The console's questions to a running cluster, each spelled once.</summary>
public static class ClusterQueries
{
    /// <summary>The live CIB as XML (<c>cibadmin --query</c>).</summary>
    public static readonly ClusterQuery<string> Cib = new(["cibadmin", "--query"], result => result.Succeeded ? result.StdOut
        : throw new NoAnswerException($"cibadmin --query exited {result.ExitCode} ({FirstLine(result) ?? "no output"}): is the cluster running there?"));

    /// <summary>
    /// The cluster's state (<c>crm_mon -1 --output-as=xml</c>) read by the console's one crm_mon parser. Measured on a lab node:
    /// ~0.3 s and ~64 ms CPU per run, no dearer than a <c>cibadmin</c> epoch query, so the monitor polls it itself.
    /// </summary>
    public static readonly ClusterQuery<ClusterState> State = new(ClusterCondition.Query, ReadState);

    /// <summary>An operation: its exit status is the answer (a failure is reported, not passed on to another node).</summary>
    public static ClusterQuery<CommandResult> Operation(IReadOnlyList<string> argv) => new(argv, result => result) { ChangesTheCluster = true };

    /// <summary>An operation's check before it runs: its refusal, or null when it may run; a check that cannot be read asks another node.</summary>
    public static ClusterQuery<ValidationError?> Check(OperationCheck check) => new(check.Argv, result =>
    {
        try
        {
            return check.Refusal(new OperationCheckResult(result.ExitCode, result.StdOut, result.StdErr));
        }
        catch (FormatException e)
        {
            throw new NoAnswerException(e.Message);
        }
    });

    private static ClusterState ReadState(CommandResult result)
    {
        try
        {
            var state = CrmMonParser.Parse(result.StdOut);
            if (result.Succeeded || state.Nodes.Count > 0) return state;
        }
        catch (CrmMonParseException e) when (result.Succeeded)
        {
            // Pacemaker starting up: crm_mon exits 0 with no status ("Could not connect to the CIB"): a node not read, ask again.
            throw new NoAnswerException(e.Message);
        }
        catch (CrmMonParseException) { /* explained below by its exit code */ }
        throw new NoAnswerException($"crm_mon exited with {result.ExitCode} ({FirstLine(result) ?? "no output"}); is the cluster running there?");
    }

    private static string? FirstLine(CommandResult result) => FirstLine(result.StdErr) ?? FirstLine(result.StdOut);

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
