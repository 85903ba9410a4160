using System.Globalization;
using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Storage;

/// <summary>How the cluster filesystem is doing, worst last: a degraded volume still serves (warning); a node without it does not (error).</summary>
public enum StorageHealthLevel { Healthy, Warning, Error }

/// <summary>
/// The cluster filesystem on one node: mounted (and what), room left, and whether a file can be written there. Null
/// values were not asked: nothing mounted, the tool did not answer in time, or the node did not answer (<see cref="Unreachable"/>).
/// </summary>
public sealed record NodeStorageHealth(string Node)
{
    /// <summary>What is mounted at the mount point; null when nothing is.</summary>
    public MountedFilesystem? Mount { get; init; }
    /// <summary>Why nothing usable is mounted, in the admin's words ("/srv/data does not exist", "mounted as ext4, not glusterfs").</summary>
    public string? MountProblem { get; init; }
    public long? SizeBytes { get; init; }
    public long? FreeBytes { get; init; }
    public long? Inodes { get; init; }
    public long? FreeInodes { get; init; }
    /// <summary>A file was created and removed under the mount point within the time allowed.</summary>
    public bool? Writable { get; init; }
    /// <summary>What the write said, or that it did not finish (a hung mount).</summary>
    public string? WriteProblem { get; init; }
    /// <summary>Why the node could not be asked at all (it did not answer over SSH).</summary>
    public string? Unreachable { get; init; }

    public bool Mounted => Mount is not null && MountProblem is null;

    /// <summary>Below this much free space the shares' writes soon fail.</summary>
    public const long LowSpaceBytes = 1L << 30;
    /// <summary>Below this share of free inodes, new files soon fail though space is left.</summary>
    public const double LowInodeShare = 0.05;

    public StorageHealthLevel Level =>
        Unreachable is not null ? StorageHealthLevel.Warning
        : !Mounted || Writable == false ? StorageHealthLevel.Error
        : LowSpace || LowInodes || Writable is null ? StorageHealthLevel.Warning
        : StorageHealthLevel.Healthy;

    public bool LowSpace => FreeBytes is { } free && free < LowSpaceBytes;
    public bool LowInodes => FreeInodes is { } free && Inodes is { } total && total > 0 && free < total * LowInodeShare;

    /// <summary>The node's one line: "mounted, writable", "not mounted (why)", "not writable (why)", "unknown (why)".</summary>
    public string Summary =>
        Unreachable is not null ? $"unknown ({Unreachable})"
        : !Mounted ? $"not mounted ({MountProblem ?? "nothing is mounted there"})"
        : Writable == false ? $"mounted, not writable ({WriteProblem})"
        : Writable is null ? $"mounted, writability unknown ({WriteProblem ?? "not checked"})"
        : LowSpace ? $"mounted, writable, only {StorageSize.Of(FreeBytes!.Value)} free"
        : LowInodes ? $"mounted, writable, only {FreeInodes} inodes free"
        : "mounted, writable";
}

/// <summary>One brick of a GlusterFS volume: where it lives, whether its process serves, and what waits to heal on it.</summary>
/// <param name="Name">"host:/path", as the volume lists it.</param>
/// <param name="Offline">Why it does not serve: its process is not running, or its node's glusterd did not answer (the brick is then absent from the status).</param>
/// <param name="PendingHeals">Entries waiting to heal on it; null when heal info could not count them (the brick is not connected).</param>
public sealed record GlusterBrick(string Name, bool Online, string? Offline, int? PendingHeals);

/// <summary>A GlusterFS volume as glusterd reports it: every brick the volume has, each online or not, and the entries waiting to heal.</summary>
/// <param name="AskedNode">The node whose glusterd answered.</param>
/// <param name="Problem">Why the volume's state is not known (no node's glusterd answered); the bricks are then empty.</param>
public sealed record GlusterVolumeHealth(string Volume, string? AskedNode, string? Status, string? Type, IReadOnlyList<GlusterBrick> Bricks, string? Problem = null)
{
    /// <summary>Why heal info did not answer (the bricks' pending heals are then unknown).</summary>
    public string? HealProblem { get; init; }

    public int OfflineBricks => Bricks.Count(b => !b.Online);
    public int PendingHeals => Bricks.Sum(b => b.PendingHeals ?? 0);

    /// <summary>Serving with a brick down or entries to heal is degraded (a warning); not started or no brick online is an error.</summary>
    public StorageHealthLevel Level =>
        Problem is not null ? StorageHealthLevel.Warning
        : Status is not null && Status != "Started" || Bricks.Count > 0 && Bricks.All(b => !b.Online) ? StorageHealthLevel.Error
        : OfflineBricks > 0 || PendingHeals > 0 ? StorageHealthLevel.Warning
        : StorageHealthLevel.Healthy;

    public string Summary =>
        Problem is not null ? $"volume {Volume}: unknown ({Problem})"
        : Status is not null && Status != "Started" ? $"volume {Volume} is {Status.ToLowerInvariant()}"
        : Level == StorageHealthLevel.Healthy ? $"volume {Volume}: all {Bricks.Count} bricks online, nothing to heal"
        : $"volume {Volume}: " + string.Join(", ", new[]
        {
            OfflineBricks > 0 ? $"{OfflineBricks} of {Bricks.Count} bricks offline ({string.Join(", ", Bricks.Where(b => !b.Online).Select(b => $"{b.Name}: {b.Offline}"))})" : null,
            PendingHeals > 0 ? $"{PendingHeals} entries waiting to heal" : null,
        }.OfType<string>());
}

/// <summary>The cluster filesystem at one moment: every node's mount, and the GlusterFS volume behind it (null for other filesystems).</summary>
/// <param name="FsType">The type every node should have mounted (mount -t; GlusterFS shows as fuse.glusterfs), or null when the servers mount it and any type goes.</param>
public sealed record StorageHealthReport(DateTimeOffset CheckedAt, string MountPoint, StorageMounting Mounting, string? FsType,
    IReadOnlyList<NodeStorageHealth> Nodes, GlusterVolumeHealth? Volume)
{
    public StorageHealthLevel Level
    {
        get
        {
            var worst = Nodes.Select(n => n.Level).Append(Volume?.Level ?? StorageHealthLevel.Healthy).Max();
            return worst == StorageHealthLevel.Healthy && DevicesDiffer ? StorageHealthLevel.Warning : worst;
        }
    }

    /// <summary>The nodes mount different device strings: Samba's fileid:algorithm = fsname then gives one file different ids.</summary>
    public bool DevicesDiffer => Nodes.Where(n => n.Mounted).Select(n => n.Mount!.Source).Distinct(StringComparer.Ordinal).Count() > 1;

    /// <summary>Every reason the storage is not healthy, in the admin's words, worst first.</summary>
    public IReadOnlyList<string> Reasons =>
    [
        .. Nodes.Where(n => n.Level == StorageHealthLevel.Error).Select(n => $"{n.Node}: {n.Summary}"),
        .. Volume is { Level: not StorageHealthLevel.Healthy } volume ? [volume.Summary] : Array.Empty<string>(),
        .. Nodes.Where(n => n.Level == StorageHealthLevel.Warning).Select(n => $"{n.Node}: {n.Summary}"),
        .. DevicesDiffer ? [$"the nodes mount different devices ({string.Join(", ", Nodes.Where(n => n.Mounted).Select(n => $"{n.Node}: {n.Mount!.Source}"))}): Samba's fileid needs the same on every node"] : Array.Empty<string>(),
    ];
}

/// <summary>Sizes as the admin reads them.</summary>
public static class StorageSize
{
    public static string Of(long bytes)
    {
        var (unit, size) = bytes >= 1L << 40 ? ("TiB", 1L << 40) : bytes >= 1L << 30 ? ("GiB", 1L << 30) : ("MiB", 1L << 20);
        return (bytes / (double)size).ToString("0.#", CultureInfo.InvariantCulture) + " " + unit;
    }
}
