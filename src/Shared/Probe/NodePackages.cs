using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Probe;

/// <summary>A package a node needs, under its distribution's name: for which file services (null: every cluster), and why.</summary>
public sealed record NodePackage(string Name, string Why, ClusterPurpose? Service = null)
{
    public bool IsNeededFor(ClusterPurpose purpose) => Service is null || purpose == ClusterPurpose.Both || purpose == Service;
}

/// <summary>
/// Every package the console's generated configuration and its checks use, the one list the probe asks for and the
/// plan requires, named as each distribution's profile names them (<see cref="ClusterPackages"/>).
/// </summary>
public static class NodePackages
{
    private sealed record Need(string Why, ClusterPurpose? Service, Func<ClusterPackages, IEnumerable<string?>> Names);

    private static readonly Need[] Needs =
    [
        new("it runs the cluster's resources and moves them on failure", null, p => [p.Pacemaker]),
        new("the console configures the cluster with it", null, p => [p.Pcs]),
        new("it carries the cluster's membership and messages", null, p => [p.Corosync]),
        new("it holds the agents that start and watch VIPs and services", null, p => p.ResourceAgents),
        new("it clusters Samba across the nodes", ClusterPurpose.Smb, p => [p.Ctdb]),
        new("it serves the SMB shares", ClusterPurpose.Smb, p => [p.Samba]),
        new("smb.conf loads its fileid module (the same file ids on every node); without it no share opens", ClusterPurpose.Smb, p => [p.SambaVfsModules]),
        new("the console's serve check connects to every share with smbclient", ClusterPurpose.Smb, p => [p.SmbClient]),
        new("it serves the NFS exports", ClusterPurpose.Nfs, p => [p.Ganesha]),
    ];

    private static readonly Need DomainMember = new("winbind maps the domain's users and groups to ids for smbd and the node", ClusterPurpose.Smb, p => p.DomainMember);

    // Declared before Names, which reads it: static fields initialise in the order written.
    private static readonly Need Storage = new("the cluster mounts its filesystem with it", null, p => ClusterFilesystems.All.SelectMany(k => p.Storage(k).Concat(p.StorageExport(k))));

    /// <summary>Every name the probe asks the package manager about, of every known distribution (dpkg and rpm just omit the ones they do not know).</summary>
    public static IReadOnlyList<string> Names { get; } =
        Needs.Append(DomainMember).Append(Storage).SelectMany(n => new[] { ClusterPackages.Debian, ClusterPackages.Ubuntu, ClusterPackages.RedHat, ClusterPackages.Suse }.SelectMany(n.Names))
            .OfType<string>().Distinct().ToArray();

    /// <summary>What a node of this distribution needs for these services; on an unknown distribution, the names all share.</summary>
    public static IReadOnlyList<NodePackage> Needed(ClusterPurpose purpose, NodeOs os) =>
        Needs.SelectMany(n => n.Names(os.Distribution.Packages).OfType<string>().Select(name => new NodePackage(name, n.Why, n.Service)))
            .Where(p => p.IsNeededFor(purpose)).ToArray();

    /// <summary>What the node lacks of <see cref="Needed"/>.</summary>
    public static IReadOnlyList<NodePackage> Missing(NodeFacts facts, ClusterPurpose purpose) =>
        Needed(purpose, NodeOs.Of(facts)).Where(p => facts.Packages.FirstOrDefault(x => x.Name == p.Name)?.Version is null).ToArray();

    /// <summary>What the node lacks to be a member of an Active Directory domain.</summary>
    public static IReadOnlyList<NodePackage> MissingForDomain(NodeFacts facts) =>
        NodeOs.Of(facts).Distribution.Packages.DomainMember.Where(name => facts.Packages.FirstOrDefault(x => x.Name == name)?.Version is null)
            .Select(name => new NodePackage(name, DomainMember.Why, ClusterPurpose.Smb)).ToArray();

    /// <summary>
    /// What the node lacks to mount this cluster filesystem (the client, and kmod: the Filesystem agent loads the module
    /// with modprobe) and, when it serves NFS, to export it.
    /// </summary>
    public static IReadOnlyList<NodePackage> MissingForStorage(NodeFacts facts, ClusterFilesystemKind filesystem, bool servesNfs)
    {
        var packages = NodeOs.Of(facts).Distribution.Packages;
        var mount = packages.Storage(filesystem).Select(name => new NodePackage(name, $"the cluster mounts its {filesystem.FsType} filesystem with it (the Filesystem agent loads its module with modprobe)"));
        var export = servesNfs ? packages.StorageExport(filesystem).Select(name => new NodePackage(name, $"Ganesha exports the {filesystem.FsType} volume through it", ClusterPurpose.Nfs)) : [];
        return mount.Concat(export).Where(p => facts.Packages.FirstOrDefault(x => x.Name == p.Name)?.Version is null).ToArray();
    }

    /// <summary>Where a VFS module smb.conf names comes from, for the admin's fix.</summary>
    public static string VfsModuleFix(NodeOs os) => os.Distribution.Packages.SambaVfsModules is { } package ? $"install {package}" : "reinstall samba";
}
