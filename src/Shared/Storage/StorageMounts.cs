using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Shared.Storage;

/// <summary>What the nodes' probes say about the cluster filesystem: blockers stop the plan, warnings are shown with it.</summary>
public sealed record StorageMountCheck(IReadOnlyList<string> Blockers, IReadOnlyList<string> Warnings);

/// <summary>
/// The cluster filesystem across the nodes, as their last probes saw it: every node must have it mounted when the servers
/// mount it, and every node must mount the same thing (Samba's fileid:algorithm = fsname takes the device string).
/// </summary>
public static class StorageMounts
{
    public static StorageMountCheck Check(StorageSpec storage, IReadOnlyDictionary<string, NodeFacts> facts)
    {
        var blockers = new List<string>();
        var warnings = new List<string>();
        var seen = new Dictionary<string, MountedFilesystem>(StringComparer.Ordinal);
        foreach (var (node, nodeFacts) in facts.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (nodeFacts.Mounts is not { } mounts)
            {
                warnings.Add($"{node} was probed before the console read mounts: probe it again, so the console knows whether {storage.MountPoint} is mounted there");
                continue;
            }
            if (Mountinfo.At(mounts, storage.MountPoint) is { } mount) seen[node] = mount;
            else if (storage.Mounting == StorageMounting.ByServers)
                blockers.Add($"{node}: nothing is mounted at {storage.MountPoint}, which the servers are to mount (the cluster keeps its data and CTDB's lock there): " +
                    "mount it on the node (fstab or a systemd mount unit) and probe it again");
            // Mounted by the cluster: Pacemaker mounts it when the plan is applied; not mounted yet is as expected.
        }
        if (seen.Values.Select(m => m.Source).Distinct(StringComparer.Ordinal).Count() > 1)
            warnings.Add($"The nodes mount different devices at {storage.MountPoint} ({Listing(seen, m => m.Source)}): Samba's fileid module (fileid:algorithm = fsname) " +
                "needs the same device string on every node, or file ids and locks differ between nodes. Mount the same string everywhere (e.g. localhost:/volume).");
        if (seen.Values.Select(m => m.FsType).Distinct(StringComparer.Ordinal).Count() > 1)
            warnings.Add($"The nodes mount different filesystem types at {storage.MountPoint} ({Listing(seen, m => m.FsType)}): every node must serve the same cluster filesystem.");
        return new StorageMountCheck(blockers, warnings);
    }

    private static string Listing(Dictionary<string, MountedFilesystem> seen, Func<MountedFilesystem, string> value) =>
        string.Join(", ", seen.Select(s => $"{s.Key}: {value(s.Value)}"));
}
