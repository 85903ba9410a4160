using StorageHa.Shared.Serving;

namespace StorageHa.Shared.Drills;

public enum DrillOutcome
{
    Running,
    /// <summary>Every move done and undone, and the cluster left as it was.</summary>
    Completed,
    /// <summary>A step failed or timed out, or the drill left a constraint behind: <see cref="DrillReport.Failure"/> says which and why.</summary>
    Failed,
    /// <summary>Not run: the cluster was not ready (<see cref="DrillReport.Refusals"/>).</summary>
    Refused,
}

/// <summary>The drill's two moves: away (moved elsewhere, or the node in standby), then back.</summary>
public enum DrillPhase { Away, Back }

public enum DrillStageKind
{
    /// <summary>The console ran the phase's command (move, clear, standby, unstandby).</summary>
    Asked,
    /// <summary>The VIP stopped on its old node.</summary>
    Stopped,
    /// <summary>The VIP started on its new node.</summary>
    Started,
    /// <summary>The VIP's tickle agent started beside it (it sends the tickle ACKs as it starts).</summary>
    TickleStarted,
    /// <summary>The first answer the probes had from the service after its outage.</summary>
    Served,
    /// <summary>The runner saw the phase through: the VIPs where they should be and every probed service served.</summary>
    Settled,
}

/// <summary>One moment of a drill, as the console saw it (the monitor's reading, or the probes' answer).</summary>
/// <param name="Vip">The VIP it is about; null for a phase's own stages.</param>
/// <param name="Node">Where: the node that stopped or started it, or ran the command.</param>
public sealed record DrillStage(DrillPhase Phase, DrillStageKind Kind, DateTimeOffset At, string? Vip = null, string? Node = null, FileService? Service = null)
{
    public string Description => Kind switch
    {
        DrillStageKind.Asked => $"{(Phase == DrillPhase.Away ? "Away" : "Back")}: the command ran{(Node is null ? "" : $" on {Node}")}",
        DrillStageKind.Stopped => $"{Vip} stopped on {Node}",
        DrillStageKind.Started => $"{Vip} started on {Node}",
        DrillStageKind.TickleStarted => $"Tickle agent of {Vip} started on {Node}",
        DrillStageKind.Served => $"{Service} served through {Vip} again",
        _ => $"{(Phase == DrillPhase.Away ? "Away" : "Back")}: settled",
    };
}

/// <summary>What the probe's held connection did when the VIP moved: the tickle's effect on a connected client.</summary>
public enum TickleEffect
{
    /// <summary>The held connection was reset: a client reconnects at once.</summary>
    Reset,
    /// <summary>The server closed the held connection: a client reconnects at once.</summary>
    Closed,
    /// <summary>The held connection hung until the probe's timeout: a client waits for its own.</summary>
    Waited,
    /// <summary>The held connection was not interrupted (or there was none to interrupt).</summary>
    NotSeen,
}

/// <summary>One VIP service in one phase: the clients' outage (the failovers' computation) and what the tickle did.</summary>
/// <param name="Outage">Null when the service was not probed in that phase.</param>
/// <param name="TickleDetail">The probe's own failure reason, when its held connection ended.</param>
public sealed record DrillServiceResult(DrillPhase Phase, FileService Service, ClientOutage? Outage, TickleEffect Tickle, string? TickleDetail = null);

/// <summary>One VIP through the drill: where it ran before, during (after the away phase) and after, and its services' results.</summary>
public sealed record DrillVipResult(string Vip, string? Before, string? During, string? After, IReadOnlyList<DrillServiceResult> Services)
{
    /// <summary>Its placement changed in the drill (a VIP drill's own VIP, a standby node's VIPs).</summary>
    public bool Moved => Before != During || During != After;
}

/// <summary>Which step failed and why, in the admin's words.</summary>
public sealed record DrillFailure(string Step, string Why);

/// <summary>
/// A failover drill: what was rehearsed, by whom, when, how it ended, its stages with their times, and per VIP and service the
/// clients' outage and the tickle's effect. Live while it runs (the runner recomputes it), stored when it ends.
/// </summary>
public sealed record DrillReport
{
    public long Id { get; init; }
    public long ClusterId { get; init; }
    public string ClusterName { get; init; } = "";
    public required DrillTarget Target { get; init; }
    public string StartedBy { get; init; } = "";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DrillOutcome Outcome { get; init; } = DrillOutcome.Running;
    public DrillFailure? Failure { get; init; }
    /// <summary>Why a refused drill did not run.</summary>
    public IReadOnlyList<DrillObstacle> Refusals { get; init; } = [];
    /// <summary>The node a VIP drill moved its VIP to; null for a node drill.</summary>
    public string? AwayNode { get; init; }
    public IReadOnlyList<DrillStage> Stages { get; init; } = [];
    public IReadOnlyList<DrillVipResult> Vips { get; init; } = [];
    /// <summary>cli-prefer-/cli-ban- constraints of the drill still in the CIB after it restored the cluster: empty when it left none.</summary>
    public IReadOnlyList<string> LeftoverConstraints { get; init; } = [];
    /// <summary>Whether the runner read the CIB for leftovers (false when the drill ended before it could).</summary>
    public bool LeftoversChecked { get; init; }
    /// <summary>The last stage reached, for a page watching the drill (the stages are in time order).</summary>
    public DrillStage? Reached => Stages.Count == 0 ? null : Stages[^1];

    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>The clients' outage of one VIP service in one phase; null when it was not measured.</summary>
    public ClientOutage? OutageOf(string vip, FileService service, DrillPhase phase) =>
        Vips.FirstOrDefault(v => v.Vip == vip)?.Services.FirstOrDefault(s => s.Service == service && s.Phase == phase)?.Outage;
}
