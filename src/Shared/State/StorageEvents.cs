using StorageHa.Shared.Storage;

namespace StorageHa.Shared.State;

// The cluster filesystem's changes, seen by the console's storage health check and told in the same stream as the cluster's.

/// <summary>The storage as a whole became healthy, degraded (a warning) or failing (an error), with the reasons.</summary>
public sealed record StorageHealthChanged(DateTimeOffset At, string MountPoint, StorageHealthLevel From, StorageHealthLevel To, string Why) : ClusterEvent(At)
{
    public override string Description => To switch
    {
        StorageHealthLevel.Healthy => $"Storage at {MountPoint} is healthy again",
        StorageHealthLevel.Warning => $"Storage at {MountPoint} is degraded: {Why}",
        _ => $"Storage at {MountPoint} is failing: {Why}",
    };
}

/// <summary>A node no longer has the cluster filesystem usable: not mounted, or not writable.</summary>
public sealed record StorageMountLost(DateTimeOffset At, string Node, string MountPoint, string Why) : ClusterEvent(At)
{
    public override string Description => $"{Node} lost the storage at {MountPoint}: {Why}";
}

/// <summary>A node has the cluster filesystem mounted and writable again.</summary>
public sealed record StorageMountBack(DateTimeOffset At, string Node, string MountPoint) : ClusterEvent(At)
{
    public override string Description => $"{Node} has the storage at {MountPoint} mounted and writable again";
}

/// <summary>A brick of the GlusterFS volume stopped serving.</summary>
public sealed record BrickOffline(DateTimeOffset At, string Volume, string Brick, string Why) : ClusterEvent(At)
{
    public override string Description => $"Brick {Brick} of volume {Volume} is offline: {Why}";
}

/// <summary>A brick of the GlusterFS volume serves again.</summary>
public sealed record BrickOnline(DateTimeOffset At, string Volume, string Brick) : ClusterEvent(At)
{
    public override string Description => $"Brick {Brick} of volume {Volume} is online again";
}

/// <summary>Every entry that waited to heal on the GlusterFS volume is healed.</summary>
public sealed record HealDone(DateTimeOffset At, string Volume) : ClusterEvent(At)
{
    public override string Description => $"Volume {Volume} healed: no entries wait to heal";
}

/// <summary>The changes between two storage health reports, as timeline events.</summary>
public static class StorageDiff
{
    /// <param name="before">The previous report; null for the first, which only reports what is wrong.</param>
    public static IReadOnlyList<ClusterEvent> Between(StorageHealthReport? before, StorageHealthReport after)
    {
        var at = after.CheckedAt;
        var events = new List<ClusterEvent>();
        foreach (var node in after.Nodes.Where(n => n.Unreachable is null))
        {
            var was = before?.Nodes.FirstOrDefault(n => n.Node == node.Node);
            var usable = node.Mounted && node.Writable != false;
            // Unknown before (first report, or the node did not answer): only a loss is told.
            bool? wasUsable = was is null || was.Unreachable is not null ? null : was.Mounted && was.Writable != false;
            if (!usable && wasUsable != false) events.Add(new StorageMountLost(at, node.Node, after.MountPoint, node.Summary));
            else if (usable && wasUsable == false) events.Add(new StorageMountBack(at, node.Node, after.MountPoint));
        }
        if (after.Volume is { Problem: null } volume)
        {
            var previous = before?.Volume is { Problem: null } v && v.Volume == volume.Volume ? v : null;
            foreach (var brick in volume.Bricks)
            {
                var was = previous?.Bricks.FirstOrDefault(b => b.Name == brick.Name);
                if (!brick.Online && was?.Online != false) events.Add(new BrickOffline(at, volume.Volume, brick.Name, brick.Offline!));
                else if (brick.Online && was is { Online: false }) events.Add(new BrickOnline(at, volume.Volume, brick.Name));
            }
            if (volume.PendingHeals == 0 && volume.HealProblem is null && previous is { PendingHeals: > 0 })
                events.Add(new HealDone(at, volume.Volume));
        }
        var from = before?.Level ?? StorageHealthLevel.Healthy;
        if (after.Level != from)
            events.Add(new StorageHealthChanged(at, after.MountPoint, from, after.Level, string.Join("; ", after.Reasons)));
        return events;
    }
}
