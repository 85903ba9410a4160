using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

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

        var missing = NodePackages.Missing(facts, purpose);
        foreach (var package in missing)
        {
            var command = os.InstallCommand([package.Name]);
            var how = command is null ? " " + os.Distribution.InstallAdvice(package.Name) : "";
            findings.Add(new(FindingSeverity.Blocker, $"{package.Name} is not installed: {package.Why}.{how}", command));
        }
        // The thing itself: a module the package list cannot explain (a partial install, a custom build) fails every share just the same.
        if (missing.All(p => p.Service != ClusterPurpose.Smb))
            foreach (var module in MissingVfsModules(facts, purpose))
                findings.Add(new(FindingSeverity.Blocker,
                    $"smbd here has no VFS module {module}, which smb.conf loads for every share: no share would open ({NodePackages.VfsModuleFix(os)}).",
                    os.Distribution.Packages.SambaVfsModules is { } vfs ? os.InstallCommand([vfs]) : null));

        if (facts.Domain is { } domain) findings.AddRange(DomainFindings(domain));

        if (IsInstalled(facts, "pcs") && IsStopped(facts, "pcsd"))
            // The console's plan writes corosync.conf itself and runs pcs only locally (pcs -f, cib-push): it never needs pcsd.
            findings.Add(new(FindingSeverity.Warning, "pcsd is not running: the console does not need it, but pcs commands that reach other nodes (pcs host auth, pcs cluster setup) do.",
                NodeOs.EnableCommand(os.Units.Pcsd)));
        if (facts.Units is not null) findings.AddRange(SystemdFindings(facts));
        else if (IsRunning(facts, "smbd") && !IsRunning(facts, "ctdbd"))
            findings.Add(new(FindingSeverity.Warning, "smbd runs on its own. In a clustered NAS, CTDB starts Samba; stop it and keep it from starting at boot.",
                NodeOs.DisableCommand(os.Units.Smbd, os.Units.Nmbd)));
        if (facts.Units is null && IsRunning(facts, "ganesha.nfsd") && !IsRunning(facts, "pacemakerd"))
            findings.Add(new(FindingSeverity.Warning, "NFS-Ganesha runs on its own. In a clustered NAS, Pacemaker starts it; stop it and keep it from starting at boot.",
                NodeOs.DisableCommand(os.Units.Ganesha)));

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

    /// <summary>
    /// The domain as the node sees it: no DC found means no join and no domain login from this node; a clock further off
    /// than Kerberos allows makes every ticket fail.
    /// </summary>
    public static IEnumerable<ProbeFinding> DomainFindings(DomainLookup domain)
    {
        if (!domain.Found)
        {
            yield return new(FindingSeverity.Blocker,
                $"No domain controller of the Active Directory domain was found from this node: {domain.Problem}. The node's resolver{domain.AsksFor} must " +
                "answer the domain's SRV records (_ldap._tcp.dc._msdcs.<domain>): point /etc/resolv.conf at the domain's DNS servers, and check that the DC is up.", null);
            yield break;
        }
        if (domain.ClockOffsetSeconds is { } offset && Math.Abs(offset) > DomainLookup.MaxClockSkewSeconds)
            yield return new(FindingSeverity.Blocker,
                $"This node's clock is {Math.Abs(offset)} s {(offset > 0 ? "behind" : "ahead of")} the domain controller {domain.Controller}'s: Kerberos refuses more than " +
                $"{DomainLookup.MaxClockSkewSeconds} s, so the join and every domain login would fail. Synchronise the node's clock with the domain's (chrony, pointed at the DC).", null);
        else if (domain.ClockOffsetSeconds is { } drift && Math.Abs(drift) > 60)
            yield return new(FindingSeverity.Warning,
                $"This node's clock is {Math.Abs(drift)} s off the domain controller {domain.Controller}'s: Kerberos allows {DomainLookup.MaxClockSkewSeconds} s; synchronise it before it drifts further.", null);
    }

    /// <summary>What a systemd server's admin must know before the console builds a cluster on it.</summary>
    private static IEnumerable<ProbeFinding> SystemdFindings(NodeFacts facts)
    {
        var units = facts.Units!;
        if (facts.ExistingCluster is { IsRunningPackageDefault: true } packaged)
            yield return new(FindingSeverity.Info,
                $"The corosync package's own one-node cluster '{packaged.Name}' runs here, from its default corosync.conf, with nothing configured in it " +
                "(what installing pacemaker and corosync does on Debian and Ubuntu). The console replaces it with its cluster when it builds one.", null);
        else if (facts.ExistingCluster is { IsConfigured: true } existing)
            yield return new(FindingSeverity.Warning,
                $"This node is already set up for {existing.Describe()}. The console builds a cluster only on nodes in no cluster, in that same cluster, " +
                "or in the package's default one-node cluster: a plan for another cluster refuses this node and changes nothing on it. " +
                "If that cluster is no longer wanted, `pcs cluster destroy` on this node ends it and deletes its configuration.", null);

        var standalone = units.Where(u => u.Enabled && TakenOverUnits.Contains(u.Name)).Select(u => u.Name).ToArray();
        if (standalone.Length > 0)
            yield return new(FindingSeverity.Info,
                $"{string.Join(", ", standalone)} start at boot on their own. When the console builds the cluster it hands them over (stops them and keeps " +
                "systemd from starting them) and the cluster runs them; a teardown gives them back as they were.", null);
        var notAtBoot = units.Where(u => u.Installed && !u.Enabled && u.Name is "corosync" or "pacemaker").Select(u => u.Name).ToArray();
        if (notAtBoot.Length > 0)
            yield return new(FindingSeverity.Info,
                $"{string.Join(" and ", notAtBoot)} do not start at boot: the console enables them when it builds the cluster, so that a rebooted node rejoins by itself.", null);
        if (units.Any(u => u.Name == "pcsd" && u.Active))
            yield return new(FindingSeverity.Info,
                "pcsd runs and listens on port 2224 (pcs's web UI and its node-to-node commands). The console does not need it; keep that port to the cluster's network.", null);
    }

    /// <summary>The services a cluster runs instead of systemd (under any distribution's name).</summary>
    private static readonly HashSet<string> TakenOverUnits = ["ctdb", "smbd", "nmbd", "winbind", "smb", "nmb", "nfs-ganesha"];

    /// <summary>The VFS modules smb.conf loads that smbd on this node cannot (none when the node serves no SMB, or has no smbd to ask).</summary>
    public static IReadOnlyList<string> MissingVfsModules(NodeFacts facts, ClusterPurpose purpose) =>
        purpose == ClusterPurpose.Nfs || facts.SambaVfsModules is not { } modules ? [] : ConfigFiles.VfsModules.Except(modules).ToArray();

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
