using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Probe;

/// <summary>Which distributions package something under a name.</summary>
[Flags]
public enum DistributionFamily { Debian = 1, RedHat = 2, Suse = 4, Any = Debian | RedHat | Suse }

/// <summary>A package a node needs: for which file services (null: every cluster), under which distributions' name, and why.</summary>
public sealed record NodePackage(string Name, string Why, ClusterPurpose? Service = null, DistributionFamily On = DistributionFamily.Any)
{
    public bool IsNeededFor(ClusterPurpose purpose, NodeOs os) =>
        (Service is null || purpose == ClusterPurpose.Both || purpose == Service) && (On == DistributionFamily.Any || os.Family is { } family && On.HasFlag(family));
}

/// <summary>
/// Every package the console's generated configuration and its checks use, the one list the probe asks for and the
/// plan requires. Samba only recommends its VFS modules on Debian and Ubuntu, so an install without recommends has no
/// fileid module and no share opens (Red Hat and SUSE ship the modules smb.conf names in the samba package itself).
/// </summary>
public static class NodePackages
{
    public static readonly IReadOnlyList<NodePackage> All =
    [
        new("pacemaker", "it runs the cluster's resources and moves them on failure"),
        new("pcs", "the console configures the cluster with it"),
        new("corosync", "it carries the cluster's membership and messages"),
        new("resource-agents", "it holds the agents that start and watch VIPs and services"),
        new("ctdb", "it clusters Samba across the nodes", ClusterPurpose.Smb),
        new("samba", "it serves the SMB shares", ClusterPurpose.Smb),
        new("samba-vfs-modules", "smb.conf loads its fileid module (the same file ids on every node); without it no share opens", ClusterPurpose.Smb, DistributionFamily.Debian),
        new("smbclient", "the console's serve check connects to every share with it", ClusterPurpose.Smb, DistributionFamily.Debian),
        new("samba-client", "the console's serve check connects to every share with it (smbclient)", ClusterPurpose.Smb, DistributionFamily.RedHat | DistributionFamily.Suse),
        new("nfs-ganesha", "it serves the NFS exports", ClusterPurpose.Nfs),
    ];

    /// <summary>Every name the probe asks the package manager about (dpkg and rpm just omit the ones they do not know).</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>What a node of this distribution needs for these services; on an unknown distribution, the names all share.</summary>
    public static IReadOnlyList<NodePackage> Needed(ClusterPurpose purpose, NodeOs os) => All.Where(p => p.IsNeededFor(purpose, os)).ToArray();

    /// <summary>What the node lacks of <see cref="Needed"/>.</summary>
    public static IReadOnlyList<NodePackage> Missing(NodeFacts facts, ClusterPurpose purpose) =>
        Needed(purpose, NodeOs.Of(facts)).Where(p => facts.Packages.FirstOrDefault(x => x.Name == p.Name)?.Version is null).ToArray();

    /// <summary>Where a VFS module smb.conf names comes from, for the admin's fix.</summary>
    public static string VfsModuleFix(NodeOs os) => os.Family == DistributionFamily.Debian ? "install samba-vfs-modules" : "reinstall samba";
}
