using StorageHa.Server.Ssh;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Server.Probe;

/// <summary>Runs the probe script on a node over SSH and reads its output: the node as it is, with what to fix.</summary>
public sealed class NodeProber(ISshRunner ssh, TimeProvider time)
{
    /// <summary>The probe only reads; on a busy node dpkg-query and df can take a few seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public Task<NodeFacts> ProbeAsync(SshTarget target, string actor, CancellationToken ct = default) =>
        ProbeAsync(target, actor, ClusterPurpose.Both, ct);

    /// <param name="purpose">The cluster's file services: decides whether Samba/CTDB and Ganesha count as missing.</param>
    /// <param name="realm">The Active Directory realm the cluster joins: the probe also looks up its DC and clock from the node.</param>
    public async Task<NodeFacts> ProbeAsync(SshTarget target, string actor, ClusterPurpose purpose, CancellationToken ct = default, string? realm = null)
    {
        var command = NodeProbe.For(realm);
        var options = new SshRunOptions { Actor = actor, Timeout = Timeout, AuditAction = "node.probe" };
        try
        {
            // A login as another user than root probes through sudo, as every command runs: that is its sudo check.
            return Read(target, await ssh.RunAsync(target, command, options, ct), purpose);
        }
        catch (SudoRefusedException refused)
        {
            // Still show what the user itself can see, with the one thing that blocks everything else.
            var facts = Read(target, await ssh.RunAsync(target, command, options with { AsLoginUser = true }, ct), purpose);
            return facts with { Findings = [new ProbeFinding(FindingSeverity.Blocker, refused.Message, Sudo.FixCommand(target.User)), .. facts.Findings] };
        }
    }

    private NodeFacts Read(SshTarget target, CommandResult result, ClusterPurpose purpose)
    {
        if (result.ExitCode != 0)
            throw new ProbeFailedException(target.Display,
                $"The probe failed on {target.Display} with exit code {result.ExitCode}: {result.StdErr.Trim()} " +
                "Is /bin/sh a POSIX shell there, and may the user run commands?");
        return ProbeReport.Parse(result.StdOut, time.GetUtcNow(), purpose);
    }
}

/// <summary>The node answered, but the probe script itself failed there.</summary>
public sealed class ProbeFailedException(string node, string message) : NodeSshException(node, message);
