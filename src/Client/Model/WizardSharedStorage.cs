using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Client.Model;

/// <summary>Where a shared state path lives on one node, as its last probe saw the file systems.</summary>
public sealed record StatePathPlace(string Path, string Node, FilesystemSpace? Filesystem);

/// <summary>
/// Checks the shared state paths against the probes: each must sit on the same mounted file system on every node (same mount
/// point and size, which is all a probe's df shows). Whether it is writable is the plan's check on the nodes.
/// </summary>
public sealed record WizardSharedStorage(IReadOnlyList<StatePathPlace> Places, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings)
{
    public static WizardSharedStorage Check(SharedStateSpec? state, IEnumerable<string> nodes, IReadOnlyDictionary<string, NodeFacts> facts)
    {
        var places = new List<StatePathPlace>();
        var problems = new List<string>();
        var warnings = new List<string>();
        var nodeNames = nodes.ToList();
        foreach (var path in new[] { state?.RecoveryLock, state?.GaneshaState }.OfType<string>().Where(p => p.StartsWith('/')))
        {
            var here = nodeNames.Select(n => new StatePathPlace(path, n, facts.TryGetValue(n, out var f) ? Holding(f, path) : null)).ToList();
            places.AddRange(here);
            foreach (var missing in here.Where(p => p.Filesystem is null))
                problems.Add($"{path}: {missing.Node} has no probe showing its file systems; probe it again.");
            var found = here.Where(p => p.Filesystem is not null).ToList();
            if (found.Select(p => p.Filesystem!.MountPoint).Distinct().Count() > 1)
                problems.Add($"{path} is on different file systems ({string.Join(", ", found.Select(p => $"{p.Node}: {p.Filesystem!.MountPoint}"))}): " +
                    "it must be on one shared file system mounted at the same place on every node.");
            else if (found.Select(p => p.Filesystem!.SizeBytes).Distinct().Count() > 1)
                problems.Add($"{path} is under {found[0].Filesystem!.MountPoint} on every node, but its size differs between nodes, so it is not one shared file system.");
            else if (found.Count > 0 && found[0].Filesystem!.MountPoint == "/")
                warnings.Add($"{path} is on the nodes' root file system (/). The console cannot tell whether that is shared; CTDB and Ganesha need one file system every node sees.");
        }
        return new(places, problems, warnings);
    }

    /// <summary>The file system holding <paramref name="path"/>: the longest mount point that is a prefix of it.</summary>
    public static FilesystemSpace? Holding(NodeFacts facts, string path) => facts.Filesystems
        .Where(fs => path == fs.MountPoint || fs.MountPoint == "/" || path.StartsWith(fs.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal))
        .MaxBy(fs => fs.MountPoint.Length);
}
