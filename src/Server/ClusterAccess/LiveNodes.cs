using System.Runtime.ExceptionServices;
using StorageHa.Server.Ssh;

namespace StorageHa.Server.ClusterAccess;

/// <summary>Why a node gave no answer, in the words the admin acts on.</summary>
public enum NodeFailureKind
{
    /// <summary>Refused, no route, the connection dropped, or no session opened: the node or its sshd is down or hung.</summary>
    Unreachable,
    /// <summary>It did not answer within its time.</summary>
    TimedOut,
    /// <summary>Its host key changed or was never accepted: it may not be our node at all, so the console did not log in.</summary>
    HostKey,
    /// <summary>The login was refused, or the credential may not be used there (or cannot be read), or its sudo wants a password.</summary>
    Credential,
    /// <summary>It answered, but not with what was asked (no cluster running there, the tool failed).</summary>
    NoAnswer,
    /// <summary>Not asked: the time for the whole search was used up before its turn.</summary>
    NotAsked,
}

/// <summary>One node that gave no answer, and why.</summary>
public sealed record NodeFailure(string Node, NodeFailureKind Kind, string Reason)
{
    public override string ToString() => $"{Node}: {Reason}";
}

/// <summary>What a node answered, which node it was, and the nodes asked before it that did not answer.</summary>
public sealed record NodeAnswer<T>(SshTarget Node, T Value, IReadOnlyList<NodeFailure> Passed);

/// <summary>One node did not answer; <see cref="Failure"/> says which and why.</summary>
public sealed class NodeNotAnsweredException(NodeFailure failure, Exception? inner = null) : Exception(failure.ToString(), inner)
{
    public NodeFailure Failure { get; } = failure;
}

/// <summary>No node of the cluster answered: the message names every node asked and why each failed.</summary>
public sealed class NoLiveNodeException(string cluster, string question, IReadOnlyList<NodeFailure> failures, string? problem)
    : NodeSshException(cluster, $"No node of {cluster} answered {question}: " +
        (failures.Count == 0 && problem is null ? "there is no node the console can log in to."
            : string.Join("; ", [.. failures.Select(f => f.ToString()), .. problem is null ? Array.Empty<string>() : [problem]])))
{
    public IReadOnlyList<NodeFailure> Failures { get; } = failures;
}

/// <summary>How long to wait for each node, and for the whole search.</summary>
/// <param name="PerNode">One node's connect, login and answer together (the SSH runner's one limit).</param>
/// <param name="Total">Every node's turn together: a cluster of dead nodes costs at most this.</param>
public sealed record LiveNodePolicy(TimeSpan PerNode, TimeSpan Total)
{
    /// <summary>
    /// A node needing a new connection costs SSH.NET's connect and login (well under a second on a LAN, the connect
    /// timeout of 15 s at most on a node that died), then the query (a second or two on a loaded node): 20 s lets a slow
    /// live node answer and gives up on a dead one. 45 s for the search lets two dead nodes pass before a third answers.
    /// </summary>
    public static readonly LiveNodePolicy Default = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45));

    /// <summary>A shorter wait for a node known to answer (the monitor's, whose connection is open), or null for <see cref="PerNode"/>.</summary>
    public Func<SshTarget, TimeSpan?> Known { get; init; } = _ => null;
}

/// <summary>A cluster's nodes to ask, in the order to ask them.</summary>
/// <param name="Problem">Why some of its nodes cannot be asked at all (no credential, no accepted host key), if so.</param>
public sealed record ClusterNodes(string Cluster, IReadOnlyList<SshTarget> Nodes, string? Problem = null);

/// <summary>Who asks, as the audit log shows it.</summary>
public sealed record Asker(string Actor, string AuditAction);

/// <summary>
/// The one way the console reaches a running cluster: asks its nodes in the order given until one answers, within one
/// timeout policy, and says which node answered; when none does, says for each node why.
/// </summary>
/// <remarks>
/// Every failure passes the question on to the next node, a changed host key or a refused login too: SSH.NET refuses the
/// host key before any credential is sent, and the same question on another node is as good. They are never silent:
/// the answer lists them in <see cref="NodeAnswer{T}.Passed"/>, and the error names them with their kind.
/// </remarks>
public sealed class LiveNodes(ISshRunner ssh, TimeProvider time)
{
    /// <summary>The first of the cluster's nodes (in their order) that answers <paramref name="query"/>.</summary>
    public async Task<NodeAnswer<T>> FindAsync<T>(ClusterNodes cluster, ClusterQuery<T> query, Asker asker, LiveNodePolicy policy, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var failures = new List<NodeFailure>();
        foreach (var node in cluster.Nodes)
        {
            var left = policy.Total - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                failures.Add(new(node.Name, NodeFailureKind.NotAsked, $"not asked: the {policy.Total.TotalSeconds:0.#} s for the whole search were used up"));
                continue;
            }
            var wait = policy.Known(node) ?? policy.PerNode;
            try
            {
                var value = await AskAsync(node, query, asker, wait < left ? wait : left, ct);
                return new NodeAnswer<T>(node, value, failures);
            }
            // A command that changes the cluster and timed out may still be running there: not started a second time elsewhere.
            catch (NodeNotAnsweredException e) when (query.ChangesTheCluster && e.InnerException is CommandTimedOutException { Started: true } running)
            {
                ExceptionDispatchInfo.Throw(running);
            }
            catch (NodeNotAnsweredException e) { failures.Add(e.Failure); }
        }
        throw new NoLiveNodeException(cluster.Cluster, query.CommandLine, failures, cluster.Problem);
    }

    /// <summary>
    /// The same question to every node at once, each within <paramref name="timeout"/>: <paramref name="read"/> of each
    /// node's answer, or <paramref name="unanswered"/> with why the node gave none.
    /// </summary>
    public Task<T[]> AskEachAsync<TAnswer, T>(ClusterNodes cluster, ClusterQuery<TAnswer> query, Asker asker, TimeSpan timeout,
        Func<string, TAnswer, T> read, Func<string, string, T> unanswered, CancellationToken ct) =>
        Task.WhenAll(cluster.Nodes.Select(async node =>
        {
            try { return read(node.Name, await AskAsync(node, query, asker, timeout, ct)); }
            catch (NodeNotAnsweredException e) { return unanswered(node.Name, e.Failure.Reason); }
        }));

    /// <summary>The answer of one node, within <paramref name="timeout"/> (connect, login and command together).</summary>
    public async Task<T> AskAsync<T>(SshTarget node, ClusterQuery<T> query, Asker asker, TimeSpan timeout, CancellationToken ct)
    {
        CommandResult result;
        try
        {
            result = await ssh.RunAsync(node, query.Argv, new SshRunOptions { Actor = asker.Actor, AuditAction = asker.AuditAction, Timeout = timeout, StandardInput = query.StandardInput }, ct);
        }
        catch (NodeSshException e) when (!ct.IsCancellationRequested)
        {
            throw new NodeNotAnsweredException(new NodeFailure(node.Name, KindOf(e), e.Message), e);
        }
        try { return query.Read(result); }
        catch (NoAnswerException e) { throw new NodeNotAnsweredException(new NodeFailure(node.Name, NodeFailureKind.NoAnswer, e.Message), e); }
    }

    private static NodeFailureKind KindOf(NodeSshException e) => e switch
    {
        HostKeyMismatchException or HostKeyNotPinnedException => NodeFailureKind.HostKey,
        NodeLoginFailedException or CredentialNotConfirmedException or PrivateKeyUnreadableException or SudoRefusedException => NodeFailureKind.Credential,
        CommandTimedOutException => NodeFailureKind.TimedOut,
        _ => NodeFailureKind.Unreachable,
    };
}
