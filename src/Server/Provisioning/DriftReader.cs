using StorageHa.Server.Ssh;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Provisioning;

/// <summary>Reads the live CIB from one node (<c>cibadmin --query</c>, audited like every node command) and compares it with the spec's plan.</summary>
public sealed class DriftReader(ISshRunner ssh)
{
    public static readonly IReadOnlyList<string> QueryCib = ["cibadmin", "--query"];

    public async Task<DriftReport> ReadAsync(SshTarget node, Plan plan, string actor, CancellationToken ct = default)
    {
        var result = await ssh.RunAsync(node, QueryCib, new SshRunOptions { Actor = actor, Timeout = TimeSpan.FromSeconds(30) }, ct);
        if (!result.Succeeded)
            throw new InvalidOperationException($"{node.Display} did not give its CIB (cibadmin --query exited {result.ExitCode}): {result.StdErr.Trim()} " +
                "— is the cluster running there?");
        return Drift.Find(plan, result.StdOut);
    }
}
