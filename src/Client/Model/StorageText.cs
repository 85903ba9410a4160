using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Model;

/// <summary>The cluster filesystem in the admin's words: the filesystems' names and the one line the review and the plan page show.</summary>
public static class StorageText
{
    public static string Name(ClusterFilesystem filesystem) => filesystem switch
    {
        ClusterFilesystem.GlusterFs => "GlusterFS",
        ClusterFilesystem.CephFs => "CephFS",
        ClusterFilesystem.Nfs => "NFS",
        ClusterFilesystem.Gfs2 => "GFS2",
        _ => filesystem.ToString(),
    };

    public const string OnPaper = "on paper, untested here";

    public const string ServersChecked = "the console checks it on every node before anything starts: mounted, the same filesystem and device string on every node, and writable";

    /// <summary>"Storage: …" for the wizard's review and the plan page.</summary>
    public static string Line(StorageSpec? storage) => storage switch
    {
        null => "Storage: not declared (not recommended): nothing checks that the shared state and the data are on one filesystem every node mounts.",
        { Mounting: StorageMounting.ByServers } => $"Storage: mounted by the servers at {storage.MountPoint}; {ServersChecked}.",
        _ => $"Storage: {Name(storage.Type)} {storage.Device} mounted by the cluster at {storage.MountPoint}" +
             (storage.Options is { } options ? $" with {options}" : "") +
             (ClusterFilesystems.Of(storage.Type).Proven ? "" : $" ({OnPaper})") +
             "; CTDB, Samba and Ganesha run only where it is mounted.",
    };
}
