using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Identity;

/// <summary>
/// Whether one node is a healthy member of the cluster's domain, as Samba's own tools say: <c>net ads testjoin</c> (the
/// machine account in the shared secrets.tdb still logs in to the domain) and <c>wbinfo -t</c> (winbind on this node
/// reaches a DC with the trust secret). Null: not asked, because the node could not be reached (<see cref="Unreachable"/> says why).
/// </summary>
public sealed record NodeJoinHealth(string Node)
{
    public bool? Joined { get; init; }
    /// <summary>net's own words when the join is not valid.</summary>
    public string? JoinMessage { get; init; }
    public bool? TrustOk { get; init; }
    /// <summary>wbinfo's own words when the trust check failed.</summary>
    public string? TrustMessage { get; init; }
    /// <summary>Why neither tool could be asked (the node did not answer over SSH).</summary>
    public string? Unreachable { get; init; }

    public bool Healthy => Joined == true && TrustOk == true;

    /// <summary>"joined", or "not joined (why)", "joined, trust failing (why)", "unknown (why)": the dashboard's one line.</summary>
    public string Summary => (Joined, TrustOk) switch
    {
        (true, true) => "joined",
        (true, _) => $"joined, trust failing ({TrustMessage})",
        (false, _) => $"not joined ({JoinMessage})",
        _ => $"unknown ({Unreachable})",
    };
}

/// <summary>Every node's join health at one moment; no nodes when the cluster does not join a domain.</summary>
public sealed record JoinHealthReport(DateTimeOffset CheckedAt, IdentityMode Mode, string? Realm, IReadOnlyList<NodeJoinHealth> Nodes)
{
    public bool Healthy => Nodes.All(n => n.Healthy);
}

/// <summary>The two commands and how to read what they print (Samba 4.x: source3/utils/net_ads.c, nsswitch/wbinfo.c).</summary>
public static class JoinCheck
{
    public static readonly IReadOnlyList<string> TestJoin = StorageHa.Shared.Provisioning.NodeCommands.DomainJoined;
    public static readonly IReadOnlyList<string> TrustSecret = ["wbinfo", "-t"];

    private const string JoinOk = "Join is OK";
    private const string JoinNotValid = "Join to domain is not valid: ";
    private const string TrustSucceeded = "via RPC calls succeeded";

    /// <summary>net ads testjoin: "Join is OK" (exit 0), or "Join to domain is not valid: &lt;reason&gt;" (exit 255) on stderr.</summary>
    public static (bool Joined, string? Message) ReadTestJoin(int exitCode, string stdOut, string stdErr)
    {
        if (exitCode == 0 && Lines(stdOut).Contains(JoinOk)) return (true, null);
        var notValid = Lines(stdErr).Concat(Lines(stdOut)).FirstOrDefault(l => l.StartsWith(JoinNotValid, StringComparison.Ordinal));
        return (false, notValid?[JoinNotValid.Length..] ?? Otherwise("net", "samba-common-bin", exitCode, stdOut, stdErr));
    }

    /// <summary>
    /// wbinfo -t: "checking the trust secret for domain LAB via RPC calls succeeded" (exit 0); on failure "… failed" and on
    /// stderr "error code was NT_STATUS_… (0x…)" and/or "failed to call wbcCheckTrustCredentials: WBC_ERR_…", the most precise taken.
    /// </summary>
    public static (bool TrustOk, string? Message) ReadTrustSecret(int exitCode, string stdOut, string stdErr)
    {
        if (exitCode == 0 && Lines(stdOut).Any(l => l.EndsWith(TrustSucceeded, StringComparison.Ordinal))) return (true, null);
        var lines = Lines(stdErr).ToList();
        var why = lines.FirstOrDefault(l => l.StartsWith("error code was ", StringComparison.Ordinal))
            ?? lines.FirstOrDefault(l => l.StartsWith("failed to call wbcCheckTrustCredentials: ", StringComparison.Ordinal));
        return (false, why ?? Otherwise("wbinfo", "winbind", exitCode, stdOut, stdErr));
    }

    /// <summary>Neither expected line: the tool is missing (named with its package) or said something else (its first line).</summary>
    private static string Otherwise(string tool, string package, int exitCode, string stdOut, string stdErr)
    {
        var first = Lines(stdErr).Concat(Lines(stdOut)).FirstOrDefault();
        if (exitCode == 127 || first?.EndsWith($"{tool}: command not found", StringComparison.Ordinal) == true || first?.EndsWith($"{tool}: not found", StringComparison.Ordinal) == true)
            return $"{tool} is not installed on the node (package {package})";
        return first ?? $"{tool} exited with {exitCode} and said nothing";
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
