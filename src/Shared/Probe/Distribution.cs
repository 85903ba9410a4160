namespace StorageHa.Shared.Probe;

/// <summary>Which distributions' package names, repositories and units apply.</summary>
public enum DistributionFamily { Debian, RedHat, Suse }

/// <summary>How far the console's knowledge of a distribution is proven (docs/distributions.md).</summary>
public enum DistributionTesting
{
    /// <summary>The lab's end-to-end tests build, fail over and tear down clusters on it.</summary>
    Live,
    /// <summary>Names, repositories and units taken from the release's own documentation and package lists, and unit-tested; never run.</summary>
    OnPaper,
    /// <summary>A release the console has no profile for: its family's names, unchecked.</summary>
    FamilyOnly,
}

/// <summary>The package manager whose command installs packages there.</summary>
public enum PackageInstaller { Apt, Dnf, Zypper }

/// <summary>
/// What each part of the cluster is called as a package there. Null: no package of its own to ask for (the VFS modules
/// ship inside samba on Red Hat and SUSE; on an unknown distribution nobody knows the smbclient package's name).
/// </summary>
public sealed record ClusterPackages(
    string Pacemaker, string Pcs, string Corosync, IReadOnlyList<string> ResourceAgents, string Ctdb, string Samba,
    string? SambaVfsModules, string? SmbClient, string Ganesha, string GaneshaVfs)
{
    // Samba only recommends its VFS modules there, so an install without recommends has no fileid module.
    public static readonly ClusterPackages Debian = new(
        "pacemaker", "pcs", "corosync", ["resource-agents"], "ctdb", "samba", "samba-vfs-modules", "smbclient", "nfs-ganesha", "nfs-ganesha-vfs")
        { DomainMember = ["winbind", "libnss-winbind"] };

    // Ubuntu splits resource-agents: -base holds IPaddr2 and systemd, -extra the CTDB and anything agents the cluster uses.
    public static readonly ClusterPackages Ubuntu = Debian with { ResourceAgents = ["resource-agents-base", "resource-agents-extra"] };

    // The samba package holds the VFS modules (fileid.so is in its %files); smbclient comes in samba-client.
    // winbindd is samba-winbind there; its NSS module comes in samba-winbind-modules.
    // GlusterFS's FUSE client is glusterfs-fuse there, NFS's mount helper nfs-utils, DLM's daemon dlm.
    public static readonly ClusterPackages RedHat = Debian with
    {
        SambaVfsModules = null, SmbClient = "samba-client", DomainMember = ["samba-winbind", "samba-winbind-modules"],
        StorageNames = new Dictionary<string, string> { ["glusterfs-client"] = "glusterfs-fuse", ["nfs-common"] = "nfs-utils", ["dlm-controld"] = "dlm" },
    };

    public static readonly ClusterPackages Suse = RedHat;

    /// <summary>The names every known distribution shares: all that can be asked for where the distribution is unknown.</summary>
    public static readonly ClusterPackages Shared = Debian with { SambaVfsModules = null, SmbClient = null, DomainMember = [] };

    /// <summary>What a member of an Active Directory domain needs: winbindd and its NSS module (the ids of domain users).</summary>
    public IReadOnlyList<string> DomainMember { get; init; } = [];

    /// <summary>Where a cluster filesystem's package (<see cref="Inventory.ClusterFilesystemKind.DebianPackages"/>) has another name here.</summary>
    public IReadOnlyDictionary<string, string> StorageNames { get; init; } = new Dictionary<string, string>();

    /// <summary>What every node needs to mount this cluster filesystem, under this distribution's names.</summary>
    public IReadOnlyList<string> Storage(Inventory.ClusterFilesystemKind filesystem) =>
        [.. filesystem.DebianPackages.Select(p => StorageNames.GetValueOrDefault(p, p))];

    /// <summary>What Ganesha needs to export this cluster filesystem, under this distribution's names.</summary>
    public IReadOnlyList<string> StorageExport(Inventory.ClusterFilesystemKind filesystem) =>
        [.. filesystem.DebianExportPackages.Select(p => StorageNames.GetValueOrDefault(p, p))];

    /// <summary>What installing this package takes: Ganesha exports through its VFS backend, packaged apart everywhere.</summary>
    public IReadOnlyList<string> InstallNames(string package) => package == Ganesha ? [Ganesha, GaneshaVfs] : [package];
}

/// <summary>How a repository that some packages come from is turned on before they install.</summary>
public enum RepositoryKind
{
    /// <summary>A Red Hat subscription repository: subscription-manager repos --enable=ID.</summary>
    Subscription,
    /// <summary>A repository shipped disabled: dnf --enablerepo=ID.</summary>
    Disabled,
    /// <summary>A release package (from the enabled extras) that adds and enables the repository: dnf install ID first.</summary>
    ReleasePackage,
    /// <summary>No repository of the distribution has these packages: the admin must add one (the advice says which).</summary>
    NotShipped,
}

/// <summary>A repository beyond the default ones, which of the cluster's packages come from it, and how to turn it on.</summary>
public sealed record PackageRepository(string Id, RepositoryKind Kind, IReadOnlyList<string> Packages, string? Advice = null);

/// <summary>The systemd units of the cluster's services there (the lsb: init scripts and the chrony unit share these names).</summary>
public sealed record ServiceUnits(
    string Smbd, string Nmbd, string Winbind, string Ctdb, string Ganesha, string Corosync, string Pacemaker, string Pcsd, string TimeSync)
{
    public static readonly ServiceUnits Debian = new("smbd", "nmbd", "winbind", "ctdb", "nfs-ganesha", "corosync", "pacemaker", "pcsd", "chrony");
    // Samba's own unit names, which Red Hat and SUSE keep (and so does an unknown distribution, as a guess); chrony's daemon name.
    public static readonly ServiceUnits RedHat = Debian with { Smbd = "smb", Nmbd = "nmb", TimeSync = "chronyd" };
}

/// <summary>
/// A distribution as the console must know it: its package names, the repositories they need, its unit names, whether
/// installing the cluster packages starts a one-node cluster, and whether any of this is tested live. One profile per
/// release the console knows (docs/distributions.md); other releases get their family's profile, marked untested.
/// </summary>
public sealed record Distribution(
    string Name,
    DistributionFamily? Family,
    DistributionTesting Testing,
    PackageInstaller? Installer,
    ClusterPackages Packages,
    IReadOnlyList<PackageRepository> Repositories,
    ServiceUnits Units,
    bool DefaultClusterAfterInstall)
{
    private static readonly string[] DebianIds = ["debian", "ubuntu"];
    private static readonly string[] RedHatIds = ["rhel", "centos", "fedora", "rocky", "almalinux", "ol"];
    private static readonly string[] SuseIds = ["suse", "sles", "opensuse", "opensuse-leap", "opensuse-tumbleweed"];

    /// <summary>The releases the console has a profile for, as os-release ID and VERSION_ID (a major version matches its minors).</summary>
    public static readonly IReadOnlyList<(string Id, string Version, string Name, DistributionTesting Testing)> Known =
    [
        ("debian", "12", "Debian 12", DistributionTesting.Live),
        ("ubuntu", "22.04", "Ubuntu 22.04", DistributionTesting.OnPaper),
        ("ubuntu", "24.04", "Ubuntu 24.04", DistributionTesting.OnPaper),
        ("rhel", "9", "Red Hat Enterprise Linux 9", DistributionTesting.OnPaper),
        ("rocky", "9", "Rocky Linux 9", DistributionTesting.OnPaper),
        ("almalinux", "9", "AlmaLinux 9", DistributionTesting.OnPaper),
    ];

    /// <summary>The profile for an os-release's ID, ID_LIKE and VERSION_ID; a distribution of no known family gets one that installs nothing.</summary>
    public static Distribution Of(string? id, string? like, string? versionId)
    {
        var known = Known.FirstOrDefault(k => k.Id == id && (versionId == k.Version || versionId?.StartsWith(k.Version + ".", StringComparison.Ordinal) == true));
        var name = known.Name ?? (id is null ? "an unknown distribution" : $"{id} {versionId}".TrimEnd());
        var testing = known.Name is null ? DistributionTesting.FamilyOnly : known.Testing;
        var major = versionId?.Split('.')[0];
        var ids = new[] { id }.Concat((like ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        if (ids.Any(DebianIds.Contains))
            return new(name, DistributionFamily.Debian, testing, PackageInstaller.Apt, id == "ubuntu" ? ClusterPackages.Ubuntu : ClusterPackages.Debian, [],
                ServiceUnits.Debian, DefaultClusterAfterInstall: true);
        if (ids.Any(RedHatIds.Contains))
            return new(name, DistributionFamily.RedHat, testing, PackageInstaller.Dnf, ClusterPackages.RedHat, RedHatRepositories(id, major),
                ServiceUnits.RedHat, DefaultClusterAfterInstall: false);
        if (ids.Any(SuseIds.Contains))
            return new(name, DistributionFamily.Suse, testing, PackageInstaller.Zypper, ClusterPackages.Suse, [], ServiceUnits.RedHat, DefaultClusterAfterInstall: false);
        return new(name, null, testing, null, ClusterPackages.Shared, [], ServiceUnits.RedHat, DefaultClusterAfterInstall: false);
    }

    /// <summary>The one command that installs these packages (the probe's names) with the repositories they need, or null where none can.</summary>
    public string? InstallCommand(IEnumerable<string> packages)
    {
        var names = packages.SelectMany(Packages.InstallNames).Distinct().ToArray();
        var repositories = Repositories.Where(r => r.Packages.Intersect(names).Any()).ToArray();
        if (Installer is not { } installer || repositories.Any(r => r.Kind == RepositoryKind.NotShipped)) return null;
        string[] Ids(RepositoryKind kind, string prefix) => repositories.Where(r => r.Kind == kind).Select(r => prefix + r.Id).ToArray();
        var list = string.Join(' ', names);
        var install = installer switch
        {
            PackageInstaller.Apt => $"apt-get install -y {list}",
            PackageInstaller.Zypper => $"zypper install -y {list}",
            _ => string.Join(' ', ["dnf", .. Ids(RepositoryKind.Disabled, "--enablerepo="), "install", "-y", list]),
        };
        var first = new List<string>();
        if (Ids(RepositoryKind.Subscription, "--enable=") is { Length: > 0 } subscriptions)
            first.Add($"subscription-manager repos {string.Join(' ', subscriptions)}");
        if (Ids(RepositoryKind.ReleasePackage, "") is { Length: > 0 } releases)
            first.Add($"dnf install -y {string.Join(' ', releases)}");
        return string.Join(" && ", [.. first, install]);
    }

    /// <summary>What to tell the admin where <see cref="InstallCommand"/> has no command for this package.</summary>
    public string InstallAdvice(string package) =>
        Repositories.FirstOrDefault(r => r.Kind == RepositoryKind.NotShipped && r.Packages.Contains(package))?.Advice
        ?? "Install it with the distribution's package manager.";

    /// <summary>Frees the usual reclaimable space: the package cache and old journal files.</summary>
    public string? CleanupCommand => Installer switch
    {
        PackageInstaller.Apt => "apt-get clean && journalctl --vacuum-size=100M",
        PackageInstaller.Dnf => "dnf clean all && journalctl --vacuum-size=100M",
        PackageInstaller.Zypper => "zypper clean --all && journalctl --vacuum-size=100M",
        _ => null,
    };

    /// <summary>
    /// Pacemaker, pcs, corosync and resource-agents live in the High Availability add-on, CTDB in Resilient Storage: on RHEL
    /// subscription repositories, on its rebuilds repositories shipped disabled ("ha" on 8, "highavailability" on 9).
    /// RHEL ships no NFS-Ganesha; Rocky, Alma and CentOS Stream 9 carry the CentOS Storage SIG's release package in extras.
    /// </summary>
    private static IReadOnlyList<PackageRepository> RedHatRepositories(string? id, string? major)
    {
        var packages = ClusterPackages.RedHat;
        string[] ha = [packages.Pacemaker, packages.Pcs, packages.Corosync, .. packages.ResourceAgents];
        string[] ganesha = [packages.Ganesha, packages.GaneshaVfs];
        if (id == "fedora") return [];
        if (id == "rhel")
        {
            var rhel = major ?? "9";
            return
            [
                new($"rhel-{rhel}-for-$(arch)-highavailability-rpms", RepositoryKind.Subscription, ha),
                new($"rhel-{rhel}-for-$(arch)-resilientstorage-rpms", RepositoryKind.Subscription, [packages.Ctdb]),
                new("nfs-ganesha", RepositoryKind.NotShipped, ganesha,
                    $"Red Hat Enterprise Linux ships no NFS-Ganesha: add the CentOS Storage SIG's NFS-Ganesha repository for EL{rhel} "
                    + "(https://sigs.centos.org/storage/), then install nfs-ganesha and nfs-ganesha-vfs."),
            ];
        }
        PackageRepository[] clone =
        [
            new(major == "8" ? "ha" : "highavailability", RepositoryKind.Disabled, ha),
            new("resilientstorage", RepositoryKind.Disabled, [packages.Ctdb]),
        ];
        return major == "9" && id is "rocky" or "almalinux" or "centos"
            ? [.. clone, new("centos-release-nfs-ganesha5", RepositoryKind.ReleasePackage, ganesha)]
            : clone;
    }
}
