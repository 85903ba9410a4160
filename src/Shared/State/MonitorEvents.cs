namespace StorageHa.Shared.State;

// The console's own watch over a cluster, told in the same stream as the cluster's changes.

/// <summary>The console now reads the state from <see cref="Node"/>; <see cref="Because"/> says why it left the others, when it did.</summary>
public sealed record MonitorMoved(DateTimeOffset At, string Node, string? Because) : ClusterEvent(At)
{
    public override string Description => $"The console now reads the state from {Node}" + (Because is null ? "" : $" ({Because})");
}

/// <summary>No node of the cluster gave the console a state; <see cref="Why"/> has each node's reason.</summary>
public sealed record MonitorUnreachable(DateTimeOffset At, string Cluster, string Why) : ClusterEvent(At)
{
    public override string Description => $"No node of {Cluster} answered: {Why}";
}
