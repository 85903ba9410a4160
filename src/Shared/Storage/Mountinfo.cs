using System.Text.RegularExpressions;

namespace StorageHa.Shared.Storage;

/// <summary>
/// A filesystem mounted on a node, as the kernel lists it: what is mounted (the device string, e.g. "localhost:/vol" —
/// Samba's fileid:algorithm = fsname compares exactly this across nodes), where, and its type ("fuse.glusterfs", "ext4").
/// </summary>
public sealed record MountedFilesystem(string Source, string MountPoint, string FsType);

/// <summary>Reads /proc/self/mountinfo (proc(5)): the one parser of mounts, for the probe and the storage health check.</summary>
public static partial class Mountinfo
{
    /// <summary>
    /// The real filesystems of mountinfo's lines, in their order ("36 35 98:0 / /srv/data rw,relatime shared:1 - ext4 /dev/sdb1 rw"):
    /// the kernel's own and the memory-backed ones (proc, sysfs, cgroup, tmpfs…) are skipped, and so are lines that are not mountinfo.
    /// </summary>
    public static IReadOnlyList<MountedFilesystem> Parse(IEnumerable<string> lines)
    {
        var mounts = new List<MountedFilesystem>();
        foreach (var line in lines)
        {
            var fields = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || !int.TryParse(fields[0], out _)) continue;
            // The optional fields end at "-"; the type and the source follow it.
            var dash = Array.IndexOf(fields, "-", 6);
            if (dash < 0 || dash + 2 >= fields.Length) continue;
            var fsType = Unescape(fields[dash + 1]);
            if (IsPseudo(fsType)) continue;
            mounts.Add(new MountedFilesystem(Unescape(fields[dash + 2]), Unescape(fields[4]), fsType));
        }
        return mounts;
    }

    /// <summary>What is mounted at <paramref name="mountPoint"/> now: the last mount there hides any before it.</summary>
    public static MountedFilesystem? At(IEnumerable<MountedFilesystem> mounts, string mountPoint) =>
        mounts.LastOrDefault(m => m.MountPoint == mountPoint);

    /// <summary>Filesystems that hold no data of their own: the kernel's interfaces and memory.</summary>
    public static bool IsPseudo(string fsType) => PseudoTypes.Contains(fsType);

    private static readonly HashSet<string> PseudoTypes = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devtmpfs", "devpts", "tmpfs", "ramfs", "cgroup", "cgroup2", "securityfs", "pstore", "bpf", "debugfs", "tracefs",
        "mqueue", "hugetlbfs", "configfs", "fusectl", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "nfsd",
    };

    /// <summary>mountinfo writes space, tab, newline and backslash as octal escapes (\040, \011, \012, \134).</summary>
    private static string Unescape(string field) =>
        OctalEscape().Replace(field, m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    [GeneratedRegex(@"\\([0-7]{3})")]
    private static partial Regex OctalEscape();
}
