using System.Text.RegularExpressions;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Serving;

/// <summary>
/// "Done" means clients are served: <c>serve-check.sh</c> (beside this file) run on every node asks smbd for a real tree
/// connect to each share, Ganesha for its exports and each virtual IP for its service ports, and prints one line per thing.
/// This builds its command from the spec and reads its output into typed results.
/// </summary>
public static partial class ServeCheck
{
    /// <summary>The plan step that ends every apply, join and re-apply.</summary>
    public const string StepId = "serve-check";
    public const int SmbPort = 445;
    public const int NfsPort = 2049;

    public static NodeScript Script { get; } = NodeScript.Named("serve-check");

    /// <summary>The check as an argv for every node: the spec's shares, exports and virtual IPs as positional arguments.</summary>
    public static IReadOnlyList<string> Command(ClusterSpec spec)
    {
        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var nfs = spec.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;
        var argv = new List<string>();
        if (smb)
            foreach (var share in spec.Shares)
                argv.AddRange(["share", share.Name, share.Path, YesNo(share.GuestOk), YesNo(share.ReadOnly), SmbPrincipal.RenderList(share.ValidUsers)]);
        if (nfs)
            foreach (var export in spec.Exports) argv.AddRange(["export", export.Path]);
        var ports = string.Join(',', new[] { smb ? SmbPort : 0, nfs ? NfsPort : 0 }.Where(p => p > 0));
        foreach (var vip in spec.VirtualIps) argv.AddRange(["vip", vip.Address, ports]);
        return Script.Command(argv);
    }

    public static PlanStep Step(ClusterSpec spec) =>
        new(StepId, StepTarget.AllNodes,
            "Check that clients are served, on every node: each share answers a real SMB tree connect, Ganesha lists each export, " +
            "each folder exists with the access the share needs, each virtual IP answers on its service ports",
            new CheckServing(Command(spec)));

    /// <summary>What one node's run printed, as results; a run that printed none (the check could not run) is one failure for the node.</summary>
    public static IReadOnlyList<ServeResult> Parse(string node, string output)
    {
        var results = new List<ServeResult>();
        foreach (Match m in Line().Matches(output))
        {
            var served = m.Groups["state"].Value == "ok";
            var subject = m.Groups["kind"].Value switch
            {
                "config" => ServeSubject.Config,
                "module" => ServeSubject.Module,
                "share" => ServeSubject.Share,
                "export" => ServeSubject.Export,
                _ => ServeSubject.VirtualIp,
            };
            results.Add(new(node, subject, m.Groups["name"].Value, served, served ? null : m.Groups["cause"].Value.Trim()));
        }
        if (results.Count == 0)
            results.Add(new(node, ServeSubject.Node, node, false,
                "the serve check did not run: " + (output.Trim() is { Length: > 0 } said ? said.Split('\n')[^1].Trim() : "no output")));
        return results;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    [GeneratedRegex(@"^(?:.*?)@@serve\t(?<state>ok|fail)\t(?<kind>config|module|share|export|vip)\t(?<name>[^\t\n]*)(?:\t(?<cause>[^\n]*))?$", RegexOptions.Multiline)]
    private static partial Regex Line();
}

public enum ServeSubject { Node, Config, Module, Share, Export, VirtualIp }

/// <summary>One thing checked on one node: served, or not and why (the cause as the node gave it).</summary>
public sealed record ServeResult(string Node, ServeSubject Subject, string Name, bool Served, string? Cause = null)
{
    /// <summary>In the admin's words, e.g. "node2: share public: smbd could not load vfs module fileid (install samba-vfs-modules)".</summary>
    public override string ToString() => Subject == ServeSubject.Node
        ? $"{Node}: {Cause}"
        : $"{Node}: {Noun} {Name}: {(Served ? "served" : Cause)}";

    private string Noun => Subject switch
    {
        ServeSubject.Config => "configuration",
        ServeSubject.Module => "VFS module",
        ServeSubject.Share => "share",
        ServeSubject.Export => "export",
        _ => "virtual IP",
    };
}

/// <summary>A whole serve check of a cluster: every node's results, and when.</summary>
public sealed record ServeReport(DateTimeOffset CheckedAt, IReadOnlyList<ServeResult> Results)
{
    public bool Served => Results.Count > 0 && Results.All(r => r.Served);

    public IReadOnlyList<ServeResult> Failures => Results.Where(r => !r.Served).ToArray();

    /// <summary>One line for a job's failure or the dashboard: every failure, or what was proven.</summary>
    public string Summary => Served
        ? $"Served: {Count(ServeSubject.Share, "share")}, {Count(ServeSubject.Export, "export")} and {Count(ServeSubject.VirtualIp, "virtual IP")} checked on {Results.Select(r => r.Node).Distinct().Count()} node(s)."
        : "Not served: " + string.Join("; ", Failures);

    private string Count(ServeSubject subject, string noun)
    {
        var n = Results.Where(r => r.Subject == subject).Select(r => r.Name).Distinct().Count();
        return $"{n} {noun}{(n == 1 ? "" : "s")}";
    }

    /// <summary>The report a job's serve-check step gives: each node's output read back.</summary>
    public static ServeReport FromRuns(DateTimeOffset checkedAt, IEnumerable<NodeRun> runs) =>
        new(checkedAt, runs.SelectMany(r => ServeCheck.Parse(r.Node, r.Output)).ToArray());
}
