using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Probe;

/// <summary>Judges a node's facts: what is missing or wrong for a StorageHa cluster, each with the command that fixes it.</summary>
public static class ProbeFindings
{
    /// <summary>Below this, Pacemaker's CIB history, CTDB's databases and the logs run out of room soon.</summary>
    public const long LowSpaceBytes = 1L << 30;
    public const long CriticalSpaceBytes = 100L << 20;

    /// <summary>Where the cluster keeps its state on a node: the file system holding it must have room.</summary>
    private static readonly string[] StatePaths = ["/", "/var/lib/pacemaker", "/var/lib/ctdb"];

    public static IReadOnlyList<ProbeFinding> For(NodeFacts facts, ClusterPurpose purpose, bool complete = true)
    {
        var os = NodeOs.Of(facts);
        var findings = new List<ProbeFinding>();
        if (!complete)
            findings.Add(new(FindingSeverity.Blocker, "The probe's output ended early, so these facts are incomplete. Probe the node again.", null));
        if (facts.OsId is null)
            findings.Add(new(FindingSeverity.Warning, "The node has no /etc/os-release, so the console cannot tell its distribution or how to install packages.", null));

        foreach (var package in Needed(purpose).Where(p => !IsInstalled(facts, p.Name)))
        {
            var command = os.InstallCommand([package.Name]);
            var how = command is null ? " Install it with the distribution's package manager." : "";
            findings.Add(new(FindingSeverity.Blocker, $"{package.Name} is not installed: {package.Why}.{how}", command));
        }

        if (IsInstalled(facts, "pcs") && IsStopped(facts, "pcsd"))
            // The console's plan writes corosync.conf itself and runs pcs only locally (pcs -f, cib-push): it never needs pcsd.
            findings.Add(new(FindingSeverity.Warning, "pcsd is not running: the console does not need it, but pcs commands that reach other nodes (pcs host auth, pcs cluster setup) do.",
                NodeOs.EnableCommand("pcsd")));
        if (IsRunning(facts, "smbd") && !IsRunning(facts, "ctdbd"))
            findings.Add(new(FindingSeverity.Warning, "smbd runs on its own. In a clustered NAS, CTDB starts Samba; stop it and keep it from starting at boot.",
                NodeOs.DisableCommand(os.SambaUnits)));
        if (IsRunning(facts, "ganesha.nfsd") && !IsRunning(facts, "pacemakerd"))
            findings.Add(new(FindingSeverity.Warning, "NFS-Ganesha runs on its own. In a clustered NAS, Pacemaker starts it; stop it and keep it from starting at boot.",
                NodeOs.DisableCommand("nfs-ganesha")));

        if (facts.TimeSynchronized == false)
            findings.Add(new(FindingSeverity.Warning,
                $"The clock is not synchronised ({facts.TimeSyncSource}). Cluster nodes need the same time for Corosync, for locks and to read logs side by side.",
                os.TimeSyncFix));
        else if (facts.TimeSynchronized is null)
            findings.Add(new(FindingSeverity.Warning,
                "The console cannot tell whether the clock is synchronised: neither timedatectl, chronyc nor ntpq answered. Install and start chrony.",
                os.TimeSyncFix));

        foreach (var fs in StateFilesystems(facts))
        {
            if (fs.FreeBytes >= LowSpaceBytes) continue;
            var severity = fs.FreeBytes < CriticalSpaceBytes ? FindingSeverity.Blocker : FindingSeverity.Warning;
            findings.Add(new(severity,
                $"Only {Size(fs.FreeBytes)} free on {fs.MountPoint} (of {Size(fs.SizeBytes)}), where the cluster keeps its state and logs. Free some space.",
                os.CleanupCommand));
        }
        return findings;
    }

    private static IEnumerable<(string Name, string Why)> Needed(ClusterPurpose purpose)
    {
        yield return ("pacemaker", "it runs the cluster's resources and moves them on failure");
        yield return ("corosync", "it carries the cluster's membership and messages");
        yield return ("pcs", "the console configures the cluster with it");
        yield return ("resource-agents", "it holds the agents that start and watch VIPs and services");
        if (purpose is ClusterPurpose.Smb or ClusterPurpose.Both)
        {
            yield return ("ctdb", "it clusters Samba across the nodes");
            yield return ("samba", "it serves the SMB shares");
        }
        if (purpose is ClusterPurpose.Nfs or ClusterPurpose.Both)
            yield return ("nfs-ganesha", "it serves the NFS exports");
    }

    /// <summary>The distinct file systems that hold the cluster's state paths (longest mount-point prefix wins).</summary>
    private static IEnumerable<FilesystemSpace> StateFilesystems(NodeFacts facts) =>
        StatePaths.Select(path => facts.Filesystems
                .Where(fs => path == fs.MountPoint || path.StartsWith(fs.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal))
                .MaxBy(fs => fs.MountPoint.Length))
            .OfType<FilesystemSpace>()
            .Distinct();

    private static bool IsInstalled(NodeFacts facts, string package) => facts.Packages.Any(p => p.Name == package && p.Version is not null);
    private static bool IsRunning(NodeFacts facts, string process) => facts.Services.Any(s => s.Name == process && s.Running);
    private static bool IsStopped(NodeFacts facts, string process) => facts.Services.Any(s => s.Name == process && !s.Running);

    private static string Size(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.#} GiB" : $"{bytes / (double)(1L << 20):0.#} MiB";
}
