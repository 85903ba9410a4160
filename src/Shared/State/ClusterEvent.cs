namespace StorageHa.Shared.State;

/// <summary>Something that changed between two crm_mon snapshots, stamped with the time the change was seen.</summary>
public abstract record ClusterEvent(DateTimeOffset At)
{
    /// <summary>The change in the admin's words, for timelines and logs.</summary>
    public abstract string Description { get; }
}

public sealed record NodeLeft(DateTimeOffset At, string Node) : ClusterEvent(At)
{
    public override string Description => $"{Node} left the cluster";
}

public sealed record NodeJoined(DateTimeOffset At, string Node) : ClusterEvent(At)
{
    public override string Description => $"{Node} joined the cluster";
}

public sealed record NodeStandby(DateTimeOffset At, string Node) : ClusterEvent(At)
{
    public override string Description => $"{Node} went into standby";
}

public sealed record NodeUnstandby(DateTimeOffset At, string Node) : ClusterEvent(At)
{
    public override string Description => $"{Node} left standby";
}

public sealed record QuorumLost(DateTimeOffset At) : ClusterEvent(At)
{
    public override string Description => "The cluster lost quorum";
}

public sealed record QuorumRegained(DateTimeOffset At) : ClusterEvent(At)
{
    public override string Description => "The cluster regained quorum";
}

/// <summary>The designated controller moved; From or To is null when there was, or is, no DC.</summary>
public sealed record DcChanged(DateTimeOffset At, string? From, string? To) : ClusterEvent(At)
{
    public override string Description => $"DC changed from {From ?? "none"} to {To ?? "none"}";
}

/// <summary>A new entry in the fencing history (a node rebooted or turned off, or an attempt that failed).</summary>
public sealed record FencingEvent(DateTimeOffset At, FenceAction Fence) : ClusterEvent(At)
{
    public override string Description => "Fencing: " + Fence.Summary;
}

/// <summary>A change to one resource; <see cref="Agent"/> tells a VIP from the rest.</summary>
public abstract record ResourceEvent(DateTimeOffset At, string Resource, string Agent) : ClusterEvent(At)
{
    public bool IsVirtualIp => ResourceAgents.IsVirtualIp(Agent);
}

public sealed record ResourceStarted(DateTimeOffset At, string Resource, string Agent, string Node)
    : ResourceEvent(At, Resource, Agent)
{
    public override string Description => $"{Resource} started on {Node}";
}

public sealed record ResourceStopped(DateTimeOffset At, string Resource, string Agent, string Node)
    : ResourceEvent(At, Resource, Agent)
{
    public override string Description => $"{Resource} stopped on {Node}";
}

/// <summary>Stopped on one node and started on another between two snapshots.</summary>
public sealed record ResourceMoved(DateTimeOffset At, string Resource, string Agent, string From, string To)
    : ResourceEvent(At, Resource, Agent)
{
    public override string Description => $"{Resource} moved {From} → {To}";
}

/// <summary>Promoted or demoted in place.</summary>
public sealed record ResourceRoleChanged(
    DateTimeOffset At, string Resource, string Agent, string Node, ResourceRole From, ResourceRole To)
    : ResourceEvent(At, Resource, Agent)
{
    public override string Description => $"{Resource} on {Node}: {From} → {To}";
}

/// <summary>A new failed operation; <see cref="Failure"/> has the operation, exit status and the agent's reason.</summary>
public sealed record ResourceFailed(DateTimeOffset At, string Resource, string Agent, string Node, ResourceFailure Failure)
    : ResourceEvent(At, Resource, Agent)
{
    public override string Description =>
        $"{Resource} failed on {Node}: {Failure.Task ?? Failure.OperationKey} {Failure.ExitStatus ?? "error"}" +
        (Failure.ExitReason is null ? "" : $" ({Failure.ExitReason})");
}
