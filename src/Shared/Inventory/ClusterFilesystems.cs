using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>
/// What mounting one kind of cluster filesystem takes: mount's type, the device's form, the node packages, and whether it
/// is proven in the lab or supported on paper only.
/// </summary>
/// <param name="FsType">The type mount and ocf:heartbeat:Filesystem take (fstype=).</param>
/// <param name="DeviceExample">How the device is written, shown next to the field.</param>
/// <param name="DebianPackages">What every node needs to mount it (Debian/Ubuntu names); modprobe (kmod) for the Filesystem agent.</param>
/// <param name="Proven">Mounted, failed and healed in the lab's tests; false: written from the documentation, untested here.</param>
/// <param name="Needs">What else the admin must provide, in their words.</param>
public sealed record ClusterFilesystemKind(ClusterFilesystem Filesystem, string FsType, string DeviceExample,
    IReadOnlyList<string> DebianPackages, bool Proven, string Needs)
{
    /// <summary>What Ganesha needs on every node to export it over NFS beyond its VFS backend (Debian/Ubuntu names).</summary>
    public IReadOnlyList<string> DebianExportPackages { get; init; } = [];

    /// <summary>Null when <paramref name="device"/> has this filesystem's form; what is wrong otherwise.</summary>
    public string? DeviceError(string? device) => Filesystem switch
    {
        ClusterFilesystem.Gfs2 => InputRules.AbsolutePath(device) is { } path ? path
            : device!.StartsWith("/dev/", StringComparison.Ordinal) ? null : "must be a block device under /dev (e.g. /dev/vg_cluster/lv_data)",
        _ => InputRules.NetworkDevice(device, DeviceExample),
    };
}

/// <summary>The cluster filesystems, each with what it needs.</summary>
public static class ClusterFilesystems
{
    public static IReadOnlyList<ClusterFilesystemKind> All { get; } =
    [
        new(ClusterFilesystem.GlusterFs, "glusterfs", "localhost:/volume", ["glusterfs-client", "kmod"], Proven: true,
            "A started GlusterFS volume. Write the same server on every node (localhost:/volume when every node is a Gluster server) " +
            "and name the others in backup-volfile-servers=; set network.ping-timeout low (e.g. 5 s) or a lost server blocks writes for 42 s.")
        {
            // Ganesha's VFS backend cannot export a FUSE mount (no kernel file handles): NFS goes through libgfapi.
            DebianExportPackages = ["nfs-ganesha-gluster"],
        },
        new(ClusterFilesystem.CephFs, "ceph", "mon1,mon2,mon3:/path", ["ceph-common", "kmod"], Proven: false,
            "A CephFS with a client key on every node (options name=…,secretfile=/etc/ceph/….secret). Not tested here: the lab's kernel has no CephFS client."),
        new(ClusterFilesystem.Nfs, "nfs4", "nas.example.com:/export", ["nfs-common", "kmod"], Proven: false,
            "An NFSv4 server outside the cluster, itself highly available; it must honour locks for CTDB's recovery lock. Not tested here: the lab's kernel has no NFS client."),
        new(ClusterFilesystem.Gfs2, "gfs2", "/dev/vg_cluster/lv_data", ["gfs2-utils", "dlm-controld", "kmod"], Proven: false,
            "A block device every node sees, formatted with the cluster's name as lock table, DLM running as a clone before the mount, and working fencing. Not tested here: the lab's kernel has no GFS2."),
    ];

    public static ClusterFilesystemKind Of(ClusterFilesystem filesystem) => All.Single(k => k.Filesystem == filesystem);
}
