using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Identity;

namespace StorageHa.Server.Identity;

/// <summary>
/// Asks nodes whether their domain join is healthy: <c>net ads testjoin</c> and <c>wbinfo -t</c> on every node at once,
/// through the live-node door (audited, as root through sudo where the login is not root, bounded in time).
/// </summary>
public sealed class JoinHealthCheck(LiveNodes live)
{
    public const string AuditAction = "identity.health";

    /// <summary>
    /// Each command's limit, connecting included: testjoin asks the DC over LDAP and Kerberos, and Kerberos tries each KDC
    /// for a few seconds before it gives up, so a DC that went away answers within this and a dead node costs no more.
    /// </summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private static readonly ClusterQuery<(bool, string?)> TestJoin = new(JoinCheck.TestJoin, r => JoinCheck.ReadTestJoin(r.ExitCode, r.StdOut, r.StdErr));
    private static readonly ClusterQuery<(bool, string?)> TrustSecret = new(JoinCheck.TrustSecret, r => JoinCheck.ReadTrustSecret(r.ExitCode, r.StdOut, r.StdErr));

    /// <summary>Every node's health, in the order given; a node that does not answer over SSH is reported unreachable, with why.</summary>
    public async Task<IReadOnlyList<NodeJoinHealth>> CheckAsync(IReadOnlyList<SshTarget> nodes, string actor, CancellationToken ct)
    {
        var asker = new Asker(actor, AuditAction);
        return await Task.WhenAll(nodes.Select(node => CheckNodeAsync(node, asker, ct)));
    }

    private async Task<NodeJoinHealth> CheckNodeAsync(SshTarget node, Asker asker, CancellationToken ct)
    {
        try
        {
            // One after the other: the second rides the connection the first opened.
            var (joined, joinMessage) = await live.AskAsync(node, TestJoin, asker, CommandTimeout, ct);
            var (trustOk, trustMessage) = await live.AskAsync(node, TrustSecret, asker, CommandTimeout, ct);
            return new NodeJoinHealth(node.Name) { Joined = joined, JoinMessage = joinMessage, TrustOk = trustOk, TrustMessage = trustMessage };
        }
        catch (NodeNotAnsweredException e)
        {
            return new NodeJoinHealth(node.Name) { Unreachable = e.Failure.Reason };
        }
    }
}
