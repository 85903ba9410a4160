using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Storage;

/// <summary>
/// What the storage health check looks at, from the cluster's <see cref="StorageSpec"/>: the mount point on every node,
/// the type it must be mounted as (when the cluster mounts it), and the GlusterFS volume behind it (when known from the spec).
/// </summary>
public sealed record StorageHealthTarget(string MountPoint, StorageMounting Mounting, string? FsType, string? Volume)
{
    public static StorageHealthTarget Of(StorageSpec storage) => storage.Mounting == StorageMounting.ByCluster
        ? new(storage.MountPoint, storage.Mounting, ClusterFilesystems.Of(storage.Type).FsType,
            storage.Type == ClusterFilesystem.GlusterFs ? GlusterVolume.OfDevice(storage.Device) : null)
        : new(storage.MountPoint, storage.Mounting, null, null);

    /// <summary>storage-health.sh on one node: its mount, space, inodes and a write under the mount point.</summary>
    public IReadOnlyList<string> NodeCommand => NodeScript.Named("storage-health").Command(MountPoint);

    /// <summary>The type mounted is the one wanted: FUSE filesystems show as fuse.TYPE (GlusterFS as fuse.glusterfs).</summary>
    public bool Accepts(string fsType) => FsType is null || fsType == FsType || fsType == "fuse." + FsType;

    /// <summary>
    /// The GlusterFS volume to ask about: the spec's, or else the one the nodes have mounted (servers that mount a Gluster volume
    /// themselves); null when nothing says GlusterFS.
    /// </summary>
    public string? VolumeOf(IEnumerable<NodeStorageHealth> nodes) =>
        Volume ?? nodes.Select(n => n.Mount).OfType<MountedFilesystem>().Where(m => m.FsType == "fuse.glusterfs")
            .Select(m => GlusterVolume.OfDevice(m.Source)).OfType<string>().FirstOrDefault();
}

/// <summary>GlusterFS's names: the volume a mount's device string names, and the node script that asks glusterd about it.</summary>
public static class GlusterVolume
{
    /// <summary>"localhost:/vol", "n1,n2:/vol/subdir" or "n1:vol" → "vol"; null when the device names no volume.</summary>
    public static string? OfDevice(string? device) => GlusterVolumeAddress.Parse(device)?.Volume;

    /// <summary>gluster-health.sh on one Gluster server: the volume's status, its bricks and what waits to heal, as XML.</summary>
    public static IReadOnlyList<string> HealthCommand(string volume) => NodeScript.Named("gluster-health").Command(volume);
}
