using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// What the cluster filesystem adds to a plan: its checks on every node, the mount point, the packages it needs, and
/// warnings for the data that does not lie on it. The Filesystem resource itself is in <see cref="CibBatch"/>.
/// </summary>
public static class StoragePlan
{
    /// <summary>How long the check after the first batch waits on each node for the cluster to mount the filesystem.</summary>
    private const int MountTimeoutSeconds = 120;

    public const string CheckStepId = "storage-mounted";

    /// <summary>
    /// Filesystems the servers mount: before anything is written there or started, every node must have it mounted, the
    /// same device with the same type, and writable.
    /// </summary>
    public static PlanStep ServersMounted(StorageSpec storage) =>
        new(CheckStepId, StepTarget.AllNodes,
            $"Check that every node has the cluster filesystem mounted at {storage.MountPoint} (mounted by the servers themselves), " +
            "the same device with the same type on every node, and writable there",
            new CheckMounted(storage.MountPoint, 0));

    /// <summary>After the first batch: the cluster mounted the filesystem on every node, the same everywhere, writable.</summary>
    public static PlanStep ClusterMounted(StorageSpec storage) =>
        new(CheckStepId, StepTarget.AllNodes,
            $"Wait until the cluster has mounted its filesystem at {storage.MountPoint} on every node (at most {MountTimeoutSeconds} s), " +
            "and check it is the same device everywhere and writable",
            new CheckMounted(storage.MountPoint, MountTimeoutSeconds));

    /// <summary>The mount point made on every node before the cluster mounts there (a mounted one is left as it is).</summary>
    public static PlanStep MountPoint(StorageSpec storage) =>
        new("storage-mount-point", StepTarget.AllNodes, $"Create the mount point {storage.MountPoint} on every node, where the cluster mounts its filesystem",
            new NodeCommand(NodeCommands.MakeDirectories([storage.MountPoint]), NodeCommands.DirectoriesExist([storage.MountPoint])));

    /// <summary>
    /// The exports' folders on the filesystem the cluster mounts, made before Ganesha starts: Ganesha looks each export up
    /// once, at its start, and drops one whose folder is missing (Samba's shares are made later, with their owners and modes).
    /// </summary>
    public static PlanStep? ExportFolders(ClusterSpec spec, string node)
    {
        if (spec.Storage is not { Mounting: StorageMounting.ByCluster } storage) return null;
        var folders = spec.Exports.Select(e => e.Path).Where(storage.Holds).Distinct(StringComparer.Ordinal).ToArray();
        return folders.Length == 0 ? null
            : new("export-folders", StepTarget.On(node), $"Create the exports' folders on the cluster filesystem before Ganesha starts ({string.Join(", ", folders)})",
                new NodeCommand(NodeCommands.MakeDirectories(folders), NodeCommands.DirectoriesExist(folders)));
    }

    /// <summary>The commands the storage check and the Filesystem agent use: findmnt, and modprobe when the cluster mounts.</summary>
    public static IReadOnlyList<string> Commands(StorageSpec? storage) => storage switch
    {
        null => [],
        { Mounting: StorageMounting.ByCluster } => ["findmnt", "modprobe"],
        _ => ["findmnt"],
    };

    /// <summary>What keeps the cluster from mounting its filesystem: a kind the console cannot run yet, or a node without its packages.</summary>
    public static IEnumerable<string> Blockers(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts> facts)
    {
        if (spec.Storage is not { Mounting: StorageMounting.ByCluster } storage) yield break;
        var kind = ClusterFilesystems.Of(storage.Type);
        if (storage.Type == ClusterFilesystem.Gfs2)
        {
            yield return "GFS2 mounted by the cluster is not supported by the console yet: it needs DLM running as a clone before the mount " +
                "(ocf:pacemaker:controld), lvmlockd for a shared volume group, and working fencing. Mount it on the servers and choose " +
                "'mounted by the servers', or choose another filesystem.";
            yield break;
        }
        foreach (var node in spec.Nodes.Where(n => facts.ContainsKey(n.Name)))
        {
            var missing = NodePackages.MissingForStorage(facts[node.Name], kind, spec.Purpose != ClusterPurpose.Smb);
            if (missing.Count == 0) continue;
            var install = NodeOs.Of(facts[node.Name]).InstallCommand(missing.Select(p => p.Name));
            yield return $"{node.Name} lacks {string.Join(", ", missing.Select(p => p.Name))} ({string.Join("; ", missing.Select(p => p.Why).Distinct())}): " +
                (install is null ? "install them with the distribution's tools" : $"run `{install}`");
        }
    }

    /// <summary>
    /// Shares and exports whose folder is not on the cluster filesystem (the storage was set after they were): each node
    /// would serve its own disk's copy there, and a client moved to another node would find other files.
    /// </summary>
    public static IEnumerable<string> Warnings(ClusterSpec spec)
    {
        if (spec.Storage is not { } storage) yield break;
        foreach (var share in spec.Shares.Where(s => !storage.Holds(s.Path)))
            yield return $"Share {share.Name} serves {share.Path}, outside the cluster filesystem at {storage.MountPoint}: each node would serve its own disk there. Move it under {storage.MountPoint}.";
        foreach (var export in spec.Exports.Where(e => !storage.Holds(e.Path)))
            yield return $"Export {export.Path} lies outside the cluster filesystem at {storage.MountPoint}: each node would serve its own disk there. Move it under {storage.MountPoint}.";
    }
}
