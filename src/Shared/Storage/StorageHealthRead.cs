using System.Globalization;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Text;

namespace StorageHa.Shared.Storage;

/// <summary>Reads storage-health.sh's output into one node's <see cref="NodeStorageHealth"/>. Pure: same text, same health.</summary>
public static class NodeStorageRead
{
    /// <summary>The longest a reason quotes a tool's own words.</summary>
    private const int MaxSaid = 200;

    public static NodeStorageHealth Parse(string node, string output, StorageHealthTarget target)
    {
        var sections = ProbeReport.Sections(output);
        if (!sections.ContainsKey("end"))
            return new NodeStorageHealth(node) { Unreachable = "the check's output ended early" };
        var lines = sections.GetValueOrDefault("mounts", []);
        var mount = Mountinfo.At(Mountinfo.Parse(lines), target.MountPoint);
        if (mount is null)
            return new NodeStorageHealth(node)
            {
                MountProblem = lines.Count > 0 ? $"only a memory or kernel filesystem is mounted at {target.MountPoint}"
                    : sections.GetValueOrDefault("directory", []).FirstOrDefault()?.Trim() == "missing" ? $"{target.MountPoint} does not exist on the node"
                    : target.Mounting == StorageMounting.ByCluster ? $"nothing is mounted at {target.MountPoint}: Pacemaker's Filesystem resource does not run here"
                    : $"nothing is mounted at {target.MountPoint}",
            };
        var (size, free, spaceProblem) = Df(sections.GetValueOrDefault("space", []));
        var (inodes, freeInodes, _) = Df(sections.GetValueOrDefault("inodes", []));
        var (writable, writeProblem) = Write(sections.GetValueOrDefault("writable", []));
        return new NodeStorageHealth(node)
        {
            Mount = mount,
            MountProblem = target.Accepts(mount.FsType) ? null : $"{mount.Source} is mounted there as {mount.FsType}, not {target.FsType}",
            SizeBytes = size, FreeBytes = free, Inodes = inodes, FreeInodes = freeInodes,
            Writable = writable,
            WriteProblem = writeProblem ?? spaceProblem,
        };
    }

    /// <summary>df -P (-B1 or -i) of the mount point, then "exit N": the second and fourth column of its one line (total and free).</summary>
    private static (long? Total, long? Free, string? Problem) Df(List<string> lines)
    {
        var exit = Exit(lines);
        if (exit is 124 or 137) return (null, null, "df did not answer within 5 s: the mount hangs");
        var row = lines.Skip(1).FirstOrDefault(l => !l.StartsWith("exit ", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (exit != 0 || row is not { Length: >= 6 }) return (null, null, Said(lines) ?? $"df failed (exit {exit})");
        return (Number(row[1]), Number(row[3]), null);
    }

    /// <summary>"exit N" then what the write said.</summary>
    private static (bool? Writable, string? Problem) Write(List<string> lines)
    {
        var exit = Exit(lines);
        return exit switch
        {
            null => (null, "not checked"),
            0 => (true, null),
            124 or 137 => (false, "a file could not be written within 5 s: the mount hangs"),
            _ => (false, Said(lines) ?? $"writing a file failed (exit {exit})"),
        };
    }

    private static int? Exit(List<string> lines) =>
        lines.LastOrDefault(l => l.StartsWith("exit ", StringComparison.Ordinal)) is { } exit
        && int.TryParse(exit[5..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;

    /// <summary>A tool's own words, its first line that is not our "exit N" nor df's header.</summary>
    private static string? Said(List<string> lines) =>
        lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("exit ", StringComparison.Ordinal) && !l.StartsWith("Filesystem ", StringComparison.Ordinal))
            is { } said ? Excerpt.Of(said, MaxSaid) : null;

    private static long? Number(string text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
