using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Operations;

namespace StorageHa.Server.Operations;

/// <summary>The node ran the operation's command, and it failed: the message says which command and what it printed.</summary>
public sealed class OperationFailedException(string node, string message) : NodeSshException(node, message);

/// <summary>How long an operation's command may take on the node.</summary>
public sealed record OperationOptions
{
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Runs operations on a live node of a cluster as the signed-in operator: checked against the cluster's current state,
/// run through the audited SSH runner, and written to the audit log in the admin's words.
/// </summary>
public sealed class ClusterOperator(OperationTargets targets, ISshRunner ssh, IAuditLog audit, ICurrentActor actor,
    OperationOptions options, TimeProvider time) : IClusterOperations
{
    public const string AuditAction = "cluster.operation";

    public async Task<OperationOutcome> RunAsync(long clusterId, ClusterOperation operation, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        operation.EnsureWellFormed();
        var cluster = await targets.ForAsync(clusterId, ct);
        operation.Ensure(cluster.State);
        var argv = operation.Argv(OperationTool.Pcs);
        var (node, result) = await OnLiveNodeAsync(cluster, argv, who, operation.Kind, ct);
        var failure = result.Succeeded ? null : Failure(result);
        await WriteAuditAsync(who, cluster, operation.Summary, node, failure ?? "done", result.ExitCode);
        if (failure is not null)
            throw new OperationFailedException(node.Display, $"{operation.Summary} failed on {node.Name}: {ShellCommand.Join(argv)} exited with {result.ExitCode}: {failure}");
        return new OperationOutcome(node.Name, ShellCommand.Join(argv), result.StdOut.Trim());
    }

    public async Task<FailureSimulation> SimulateFailureAsync(long clusterId, SimulatedFailure failure, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        failure.EnsureWellFormed();
        var cluster = await targets.ForAsync(clusterId, ct);
        failure.Ensure(cluster.State);
        string[] query = ["cibadmin", "--query"];
        var (node, cib) = await OnLiveNodeAsync(cluster, query, who, "simulate-failure", ct);
        if (!cib.Succeeded)
            throw new OperationFailedException(node.Display, $"Reading the CIB from {node.Name} failed: cibadmin --query exited with {cib.ExitCode}: {Failure(cib)}");
        var result = await FailureWhatIf.RunAsync(cib.StdOut, cluster.State, failure, ct);
        await WriteAuditAsync(who, cluster, failure.Summary, node,
            $"nothing was changed; {result.Moves.Count} resource(s) would move or stop{(result.Quorate ? "" : ", and the survivors would lose quorum")}", 0);
        return result;
    }

    /// <summary>Runs argv on the first node that answers, the monitor's own first; a node that cannot be reached passes it on.</summary>
    private async Task<(SshTarget Node, CommandResult Result)> OnLiveNodeAsync(OperationCluster cluster, IReadOnlyList<string> argv,
        string who, string kind, CancellationToken ct)
    {
        var run = new SshRunOptions { Actor = who, Timeout = options.CommandTimeout, AuditAction = $"operation.{kind}" };
        var unanswered = new List<string>();
        foreach (var node in cluster.Nodes)
        {
            try { return (node, await ssh.RunAsync(node, argv, run, ct)); }
            // Every operation is idempotent, so one whose connection dropped may be run again on the next node.
            catch (Exception e) when (e is NodeUnreachableException or ConnectionDroppedException or HostKeyMismatchException or NodeLoginFailedException)
            {
                unanswered.Add($"{node.Name}: {e.Message}");
            }
        }
        if (cluster.Problem is not null) unanswered.Add(cluster.Problem);
        throw new NodeUnreachableException(cluster.Name, $"No node of {cluster.Name} could run {ShellCommand.Join(argv)}. " +
            (unanswered.Count == 0 ? "The console cannot log in to any of its nodes." : string.Join(" ", unanswered)));
    }

    private Task WriteAuditAsync(string who, OperationCluster cluster, string summary, SshTarget node, string outcome, int exitCode) =>
        audit.WriteAsync(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who, Action = AuditAction, Target = cluster.Name, ExitCode = exitCode,
            Detail = $"{summary} (run on {node.Name}): {outcome}",
        }, CancellationToken.None);

    private static string Failure(CommandResult result) =>
        FirstLines(result.StdErr) ?? FirstLines(result.StdOut) ?? "it printed nothing";

    private static string? FirstLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3).ToArray();
        return lines.Length == 0 ? null : string.Join(" ", lines);
    }
}
