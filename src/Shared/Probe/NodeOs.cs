namespace StorageHa.Shared.Probe;

/// <summary>The node's distribution family: decides the exact command that installs or fixes something there.</summary>
public sealed record NodeOs(string? Id, string? Like, string? VersionId)
{
    private static readonly string[] DebianFamily = ["debian", "ubuntu"];
    private static readonly string[] RedHatFamily = ["rhel", "centos", "fedora", "rocky", "almalinux", "ol"];
    private static readonly string[] SuseFamily = ["suse", "sles", "opensuse", "opensuse-leap", "opensuse-tumbleweed"];

    public static NodeOs Of(NodeFacts facts) => new(facts.OsId, facts.OsLike, facts.OsVersion);

    public bool IsDebianLike => IsIn(DebianFamily);
    public bool IsRedHatLike => !IsDebianLike && IsIn(RedHatFamily);
    public bool IsSuseLike => !IsDebianLike && !IsRedHatLike && IsIn(SuseFamily);

    /// <summary>The family whose package names apply, or null on a distribution we do not know.</summary>
    public DistributionFamily? Family =>
        IsDebianLike ? DistributionFamily.Debian : IsRedHatLike ? DistributionFamily.RedHat : IsSuseLike ? DistributionFamily.Suse : null;

    /// <summary>The install command for these probe package names, or null on a distribution we do not know.</summary>
    public string? InstallCommand(IEnumerable<string> packages)
    {
        var names = string.Join(' ', packages.SelectMany(DistributionNames));
        if (IsDebianLike) return $"apt-get install -y {names}";
        if (IsSuseLike) return $"zypper install -y {names}";
        if (!IsRedHatLike) return null;
        // Pacemaker, pcs and CTDB live in the High Availability / Resilient Storage add-on repositories.
        var needsHa = packages.Any(p => p is "pacemaker" or "pcs" or "corosync" or "resource-agents");
        var needsRs = packages.Contains("ctdb");
        if (Id == "rhel" && (needsHa || needsRs))
        {
            var major = VersionId?.Split('.')[0] ?? "9";
            var repos = new List<string>();
            if (needsHa) repos.Add($"--enable=rhel-{major}-for-$(arch)-highavailability-rpms");
            if (needsRs) repos.Add($"--enable=rhel-{major}-for-$(arch)-resilientstorage-rpms");
            return $"subscription-manager repos {string.Join(' ', repos)} && dnf install -y {names}";
        }
        if (Id != "fedora" && (needsHa || needsRs))
        {
            var repos = new List<string>();
            if (needsHa) repos.Add("--enablerepo=highavailability");
            if (needsRs) repos.Add("--enablerepo=resilientstorage");
            return $"dnf {string.Join(' ', repos)} install -y {names}";
        }
        return $"dnf install -y {names}";
    }

    /// <summary>Starts a service now and at every boot.</summary>
    public static string EnableCommand(params string[] units) => $"systemctl enable --now {string.Join(' ', units)}";

    /// <summary>Stops a service now and keeps it from starting at boot (the cluster starts it instead).</summary>
    public static string DisableCommand(params string[] units) => $"systemctl disable --now {string.Join(' ', units)}";

    /// <summary>Samba's units: smbd/nmbd on Debian, smb/nmb on Red Hat and SUSE.</summary>
    public string[] SambaUnits => IsDebianLike ? ["smbd", "nmbd"] : ["smb", "nmb"];

    /// <summary>Installs and starts chrony, the time service every supported distribution ships.</summary>
    public string? TimeSyncFix
    {
        get
        {
            var install = InstallCommand(["chrony"]);
            return install is null ? null : $"{install} && {EnableCommand(IsDebianLike ? "chrony" : "chronyd")}";
        }
    }

    /// <summary>Frees the usual reclaimable space: the package cache and old journal files.</summary>
    public string? CleanupCommand =>
        IsDebianLike ? "apt-get clean && journalctl --vacuum-size=100M"
        : IsRedHatLike ? "dnf clean all && journalctl --vacuum-size=100M"
        : IsSuseLike ? "zypper clean --all && journalctl --vacuum-size=100M"
        : null;

    private IEnumerable<string> DistributionNames(string package) =>
        // Ganesha exports local and cluster file systems through its VFS backend, packaged apart.
        package == "nfs-ganesha" ? ["nfs-ganesha", "nfs-ganesha-vfs"] : [package];

    private bool IsIn(string[] family) =>
        family.Contains(Id) || (Like ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(family.Contains);
}
