using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>Who mounts the cluster filesystem: the servers themselves (fstab, systemd, their admin) or the cluster, through Pacemaker.</summary>
public enum StorageMounting { ByServers, ByCluster }

/// <summary>
/// The cluster filesystems the cluster can mount. GlusterFS is proven in the lab; the others are supported on paper (the
/// lab's kernel has no CephFS, NFS or GFS2 client): <see cref="ClusterFilesystems"/> says what each needs.
/// </summary>
public enum ClusterFilesystem { GlusterFs, CephFs, Nfs, Gfs2 }

/// <summary>
/// The cluster filesystem every node mounts at <see cref="MountPoint"/>: the shares' and exports' data, CTDB's recovery
/// lock and Ganesha's state lie under it. Mounted by the servers (checked on every node before anything starts) or by
/// the cluster (a cloned Filesystem resource that CTDB, Samba and Ganesha follow).
/// </summary>
public sealed record StorageSpec
{
    public StorageMounting Mounting { get; init; } = StorageMounting.ByServers;
    public required string MountPoint { get; init; }
    /// <summary>When the cluster mounts it: the filesystem's type.</summary>
    public ClusterFilesystem Type { get; init; } = ClusterFilesystem.GlusterFs;
    /// <summary>
    /// When the cluster mounts it: what is mounted, written the same on every node (Samba's fileid module compares the
    /// mounted device string across nodes), e.g. localhost:/vol for GlusterFS.
    /// </summary>
    public string? Device { get; init; }
    /// <summary>When the cluster mounts it: mount options, comma-separated (e.g. backup-volfile-servers=n2:n3); null for none.</summary>
    public string? Options { get; init; }

    /// <summary>True when <paramref name="path"/> is the mount point or lies under it.</summary>
    public bool Holds(string path) =>
        path == MountPoint || path.StartsWith(MountPoint == "/" ? "/" : MountPoint + "/", StringComparison.Ordinal);

    /// <summary>Null when <paramref name="path"/> (a share's or an export's) lies on the cluster filesystem; the error for its field otherwise.</summary>
    public string? Outside(string path) =>
        Holds(path) ? null : $"must lie on the cluster filesystem at {MountPoint}: elsewhere each node would serve its own disk";

    /// <summary>Every error, named by its field under "storage.".</summary>
    public IEnumerable<ValidationError> Validate()
    {
        if (InputRules.AbsolutePath(MountPoint) is { } mountPoint) yield return new("storage.mountPoint", mountPoint);
        else if (MountPoint == "/") yield return new("storage.mountPoint", "must be the cluster filesystem's own directory, not '/'");
        if (Mounting != StorageMounting.ByCluster)
        {
            if (Device is not null) yield return new("storage.device", "is only for a filesystem the cluster mounts");
            if (Options is not null) yield return new("storage.options", "are only for a filesystem the cluster mounts");
            yield break;
        }
        if (!Enum.IsDefined(Type)) { yield return new("storage.type", $"'{Type}' is not a supported cluster filesystem"); yield break; }
        if (ClusterFilesystems.Of(Type).DeviceError(Device) is { } device) yield return new("storage.device", device);
        if (Options is not null && InputRules.MountOptions(Options) is { } options) yield return new("storage.options", options);
    }
}
