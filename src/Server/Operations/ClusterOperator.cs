using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Operations;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Operations;

/// <summary>The node ran the operation's command, and it failed: the message says which command and what it printed.</summary>
public sealed class OperationFailedException(string node, string message) : NodeSshException(node, message);

/// <summary>How long an operation's command may take on the node.</summary>
public sealed record OperationOptions
{
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Each node gets the command's time; the search, the time to pass dead nodes plus the command's own.</summary>
    public LiveNodePolicy Policy => new(CommandTimeout, LiveNodePolicy.Default.Total + CommandTimeout);
}

/// <summary>
/// Runs operations on a live node of a cluster as the signed-in operator: checked against the cluster's current state,
/// run through the audited SSH runner, and written to the audit log in the admin's words.
/// </summary>
public sealed class ClusterOperator(OperationTargets targets, LiveNodes live, IAuditLog audit, ICurrentActor actor,
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
        var asker = new Asker(who, $"operation.{operation.Kind}");
        var reach = cluster.Reach with { Nodes = [.. cluster.Nodes.Where(n => operation.MayRunOn(cluster.State, n.Name))] };
        if (reach.Nodes.Count == 0)
            throw new InvalidInputException([new ValidationError("node", $"no node of {cluster.Name} may run it: {operation.Summary} runs from another online node")]);
        SshTarget node;
        CommandResult result;
        if (operation.Precheck is { } precheck)
        {
            // The check and the operation on the same node: what it saw is what the operation acts on.
            var (checkedOn, answer, _) = await live.FindAsync(reach, ClusterQueries.Check(precheck), asker, options.Policy, ct);
            if (answer is { } refusal)
            {
                await WriteAuditAsync(who, cluster, operation.Summary, checkedOn, $"refused: {refusal.Message}", 1);
                throw new InvalidInputException([refusal]);
            }
            (node, result) = (checkedOn, await live.AskAsync(checkedOn, ClusterQueries.Operation(argv), asker, options.CommandTimeout, ct));
        }
        else
            // Every other operation is idempotent, so one whose node could not be reached (or whose connection dropped) runs on the next.
            (node, result, _) = await live.FindAsync(reach, ClusterQueries.Operation(argv), asker, options.Policy, ct);
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
        var (node, cib, _) = await live.FindAsync(cluster.Reach, ClusterQueries.Cib, new Asker(who, "operation.simulate-failure"),
            LiveNodePolicy.Default, ct);
        var result = await FailureWhatIf.RunAsync(cib, cluster.State, failure, ct);
        await WriteAuditAsync(who, cluster, failure.Summary, node,
            $"nothing was changed; {result.Moves.Count} resource(s) would move or stop{(result.Quorate ? "" : ", and the survivors would lose quorum")}", 0);
        return result;
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
