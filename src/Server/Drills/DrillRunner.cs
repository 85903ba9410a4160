using System.Security.Claims;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Operations;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Drills;

/// <summary>How long a drill waits for each phase, and how late the probes know of a failure.</summary>
public sealed record DrillOptions
{
    /// <summary>A phase (the move, every probed service served again) that takes longer fails the drill.</summary>
    public TimeSpan PhaseLimit { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>The restore (clear the move, leave standby) and its settling, even when the drill failed.</summary>
    public TimeSpan RestoreLimit { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>A probe's failure is known a timeout after it was sent, and one is sent an interval after the change.</summary>
    public TimeSpan ProbeDelay { get; init; } = TimeSpan.FromSeconds(1.25);
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>A drill that may not run now: the stored report says why (<see cref="DrillReport.Refusals"/>).</summary>
public sealed class DrillRefusedException(DrillReport report)
    : Exception($"The drill of {report.Target.Display} was refused: {string.Join(" ", report.Refusals.Select(r => r.Reason))}")
{
    public DrillReport Report { get; } = report;
}

/// <summary>
/// Runs failover drills, one at a time per cluster, each as a background task: checks readiness (refusing with the reasons),
/// moves the VIP away (or puts the node in standby) through the audited operator path, waits until the VIPs run elsewhere and
/// every probed service is served again, moves it back, and ALWAYS restores in the end (clears the move, takes the node out of
/// standby) and reads the CIB for a move constraint it left. Publishes its progress on the cluster's live feed; stores the report.
/// </summary>
public sealed class DrillRunner(ClusterFeeds feeds, IDrillCluster cluster, DrillStore store, DrillOptions options, TimeProvider time,
    ILogger<DrillRunner> logger) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<long, Drill> _running = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The drill running on a cluster now, as far as it got; null when none runs.</summary>
    public DrillReport? Running(long clusterId)
    {
        lock (_gate) return _running.GetValueOrDefault(clusterId)?.Report;
    }

    /// <summary>
    /// A drill as it stands: the runner's live report while it runs (a running drill's stored row is only its start),
    /// else <paramref name="stored"/>.
    /// </summary>
    public DrillReport AsItStands(long clusterId, DrillReport stored) =>
        stored.Outcome == DrillOutcome.Running && Running(clusterId) is { } live && live.Id == stored.Id ? live : stored;

    /// <summary>The running drill's task (ends when its report is stored), for tests and shutdown; null when none runs.</summary>
    public Task? Completion(long clusterId)
    {
        lock (_gate) return _running.GetValueOrDefault(clusterId)?.Task;
    }

    /// <summary>Why a drill (of <paramref name="target"/>, or any) may not run on the cluster now; empty when it may.</summary>
    public IReadOnlyList<DrillObstacle> Readiness(long clusterId, DrillTarget? target = null)
    {
        var snapshot = feeds.Snapshot(clusterId) ?? throw new KeyNotFoundException($"There is no monitored cluster with id {clusterId}.");
        return DrillReadiness.Check(snapshot.State, cluster.Probes(clusterId)?.Current ?? [], snapshot.InProgress is not null, Running(clusterId), target);
    }

    /// <summary>
    /// Starts a drill and returns it as stored (with its id) once it runs; throws <see cref="DrillRefusedException"/> when the
    /// cluster is not ready (the refusal is stored too), <see cref="KeyNotFoundException"/> for an unknown cluster.
    /// </summary>
    public async Task<DrillReport> StartAsync(long clusterId, DrillTarget target, ClaimsPrincipal who, CancellationToken ct)
    {
        var snapshot = feeds.Snapshot(clusterId) ?? throw new KeyNotFoundException($"There is no monitored cluster with id {clusterId}.");
        var name = who.Identity?.Name ?? "unknown";
        var report = new DrillReport { ClusterId = clusterId, ClusterName = snapshot.ClusterName, Target = target, StartedBy = name, StartedAt = time.GetUtcNow() };
        var obstacles = Readiness(clusterId, target).ToList();
        IReadOnlyList<string> vipResources = [.. (snapshot.State?.VirtualIps ?? []).Select(v => v.Id).Distinct()];
        IReadOnlyList<string> constraintsBefore = [];
        if (obstacles.Count == 0)
        {
            constraintsBefore = await cluster.MoveConstraintsAsync(clusterId, vipResources, name, ct);
            // A move an admin made stays theirs: the drill's clear would remove it.
            if (target.VipResource is { } own && constraintsBefore.Where(c => ConstraintOf(c, own)).ToList() is { Count: > 0 } admins)
                obstacles.Add(new DrillObstacle(DrillObstacleKind.Target,
                    $"VIP {target.Name} has a move constraint already ({string.Join(", ", admins)}): clear it first, or the drill would remove it."));
        }
        Drill drill;
        lock (_gate)
        {
            if (obstacles.Count == 0 && _running.GetValueOrDefault(clusterId) is { } other)
                obstacles.Add(new DrillObstacle(DrillObstacleKind.DrillInProgress, $"Another drill is running ({other.Report.Target.Display}, started by {other.Report.StartedBy})."));
            drill = new Drill(report, snapshot.State!, constraintsBefore);
            if (obstacles.Count == 0) _running[clusterId] = drill;
        }
        if (obstacles.Count > 0)
        {
            var refused = await store.AddAsync(report with { Outcome = DrillOutcome.Refused, Refusals = obstacles, EndedAt = report.StartedAt }, ct);
            logger.LogWarning("Cluster {Cluster}: drill of {Target} refused: {Reasons}", clusterId, target.Display, string.Join(" ", obstacles.Select(o => o.Reason)));
            throw new DrillRefusedException(refused);
        }
        try
        {
            drill.Report = await store.AddAsync(report, ct);
        }
        catch
        {
            lock (_gate) _running.Remove(clusterId);
            throw;
        }
        // Subscribed before the first step, so no event of the drill is missed.
        var subscription = await feeds.SubscribeAsync(clusterId, _stopping.Token);
        drill.Task = Task.Run(() => RunAsync(drill, who, subscription.Changes));
        logger.LogInformation("Cluster {Cluster}: drill {Drill} of {Target} started by {Who}", clusterId, drill.Report.Id, target.Display, name);
        return drill.Report;
    }

    private async Task RunAsync(Drill drill, ClaimsPrincipal who, IAsyncEnumerable<Shared.Console.ClusterChange> changes)
    {
        var clusterId = drill.Report.ClusterId;
        var target = drill.Report.Target;
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var watch = WatchAsync(drill, changes, watching.Token);
        var step = "start";
        DrillFailure? failure = null;
        var restored = false;
        var ct = _stopping.Token;
        try
        {
            var before = drill.Before;
            if (target.Kind == DrillTargetKind.Vip)
            {
                var vip = target.VipResource!;
                var home = before.WhereRuns(vip)!;
                var away = target.AwayNode(before)!;
                drill.Report = drill.Report with { AwayNode = away };
                step = $"move {target.Name} to {away}";
                await RunPhaseAsync(drill, DrillPhase.Away, new MoveResource(vip, away), who, s => s.WhereRuns(vip) == away, $"{target.Name} started on {away}", ct);
                step = $"move {target.Name} back to {home}";
                await RunPhaseAsync(drill, DrillPhase.Back, new MoveResource(vip, home), who, s => s.WhereRuns(vip) == home, $"{target.Name} started on {home}", ct);
                step = $"clear the move of {target.Name}";
                restored = await RestoreAsync(drill, who);
            }
            else
            {
                var node = target.Name;
                var vips = before.VirtualIps.Select(v => v.Id).Distinct().ToList();
                step = $"put {node} in standby";
                await RunPhaseAsync(drill, DrillPhase.Away, new SetNodeStandby(node, true), who,
                    s => s.Node(node)?.Standby == true && vips.All(v => s.WhereRuns(v) is { } n && n != node), $"{node} in standby and its VIPs started elsewhere", ct);
                step = $"take {node} out of standby";
                await RunPhaseAsync(drill, DrillPhase.Back, new SetNodeStandby(node, false), who,
                    s => s.Node(node)?.Status == NodeStatus.Online && vips.All(v => s.WhereRuns(v) == before.WhereRuns(v)), "every VIP back where it ran before", ct);
                restored = true;
            }
        }
        catch (Exception e)
        {
            failure = new DrillFailure(step, e is OperationCanceledException && ct.IsCancellationRequested ? "the console is stopping" : e.Message);
            logger.LogError(e, "Cluster {Cluster}: drill {Drill} failed at '{Step}'", clusterId, drill.Report.Id, step);
        }
        finally
        {
            if (!restored)
            {
                // Whatever happened, the cluster is given back: the move cleared, the node out of standby.
                try { await RestoreAsync(drill, who); }
                catch (Exception e)
                {
                    failure ??= new DrillFailure("restore", e.Message);
                    failure = failure with { Why = $"{failure.Why}; and the restore failed: {e.Message}" };
                    logger.LogError(e, "Cluster {Cluster}: drill {Drill} could not restore the cluster", clusterId, drill.Report.Id);
                }
            }
            failure = await CheckLeftoversAsync(drill, failure);
            await watching.CancelAsync();
            try { await watch; } catch (OperationCanceledException) { }
            await EndAsync(drill, failure);
        }
    }

    /// <summary>Runs the phase's command, then waits (bounded) until <paramref name="placed"/> holds and every probed service is served again.</summary>
    private async Task RunPhaseAsync(Drill drill, DrillPhase phase, ClusterOperation operation, ClaimsPrincipal who, Func<ClusterState, bool> placed,
        string what, CancellationToken ct)
    {
        var asked = time.GetUtcNow();
        lock (drill) drill.Phases.Add(new DrillPhaseRun(phase, asked));
        Progress(drill);
        var done = await cluster.RunAsync(drill.Report.ClusterId, operation, who, ct);
        SetPhase(drill, phase, p => p with { RanOn = done.Node });
        await SettleAsync(drill, placed, what, options.PhaseLimit, ct);
        if (phase == DrillPhase.Away) lock (drill) drill.During = State(drill);
        SetPhase(drill, phase, p => p with { SettledAt = time.GetUtcNow() });
        Progress(drill);
    }

    /// <summary>Waits until the state holds <paramref name="placed"/>, then, once the probes could have seen a failure, until every probed service is served.</summary>
    private async Task SettleAsync(Drill drill, Func<ClusterState, bool> placed, string what, TimeSpan limit, CancellationToken ct)
    {
        var giveUp = time.GetUtcNow() + limit;
        await UntilAsync(() => placed(State(drill)), giveUp, $"{what}: not seen within {limit.TotalSeconds:0} s", ct);
        await Task.Delay(options.ProbeDelay, time, ct);
        var probes = cluster.Probes(drill.Report.ClusterId);
        await UntilAsync(() => probes is null || probes.Current.All(s => s.State == ServingState.Served), giveUp,
            $"every probed service served again after {what}: not within {limit.TotalSeconds:0} s ({NotServed(probes)})", ct);
    }

    private async Task UntilAsync(Func<bool> condition, DateTimeOffset giveUp, string timeout, CancellationToken ct)
    {
        while (!condition())
        {
            if (time.GetUtcNow() >= giveUp) throw new TimeoutException(timeout);
            await Task.Delay(options.Poll, time, ct);
        }
    }

    /// <summary>Clears the VIP's move (a VIP drill) or takes the node out of standby (a node drill), then waits for the VIPs' placement before the drill.</summary>
    private async Task<bool> RestoreAsync(Drill drill, ClaimsPrincipal who)
    {
        using var limit = new CancellationTokenSource(options.RestoreLimit);
        var target = drill.Report.Target;
        if (target.Kind == DrillTargetKind.Vip)
            await cluster.RunAsync(drill.Report.ClusterId, new ClearMove(target.VipResource!), who, limit.Token);
        else
            await cluster.RunAsync(drill.Report.ClusterId, new SetNodeStandby(target.Name, false), who, limit.Token);
        var vips = drill.Before.VirtualIps.Select(v => v.Id).Distinct().ToList();
        await UntilAsync(() => State(drill) is var s && s.Node(target.Name)?.Standby != true && vips.All(v => s.WhereRuns(v) == drill.Before.WhereRuns(v)),
            time.GetUtcNow() + options.RestoreLimit, $"the VIPs back where they ran before the drill: not within {options.RestoreLimit.TotalSeconds:0} s", limit.Token);
        return true;
    }

    /// <summary>A move constraint on a VIP that was not there before the drill is the drill's leftover: a failed drill.</summary>
    private async Task<DrillFailure?> CheckLeftoversAsync(Drill drill, DrillFailure? failure)
    {
        try
        {
            using var limit = new CancellationTokenSource(options.RestoreLimit);
            var resources = drill.Before.VirtualIps.Select(v => v.Id).Distinct().ToList();
            var now = await cluster.MoveConstraintsAsync(drill.Report.ClusterId, resources, drill.Report.StartedBy, limit.Token);
            var left = now.Except(drill.ConstraintsBefore).ToList();
            drill.Report = drill.Report with { LeftoverConstraints = left, LeftoversChecked = true };
            return left.Count == 0 || failure is not null ? failure
                : new DrillFailure("restore", $"the drill left move constraints in the CIB: {string.Join(", ", left)}");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Cluster {Cluster}: drill {Drill} could not read the CIB for leftover constraints", drill.Report.ClusterId, drill.Report.Id);
            return failure ?? new DrillFailure("check for leftover constraints", $"the CIB could not be read: {e.Message}");
        }
    }

    private async Task EndAsync(Drill drill, DrillFailure? failure)
    {
        var ended = time.GetUtcNow();
        drill.After = State(drill);
        var report = Compute(drill, ended) with
        {
            EndedAt = ended, Outcome = failure is null ? DrillOutcome.Completed : DrillOutcome.Failed, Failure = failure,
        };
        try { await store.UpdateAsync(report); }
        catch (Exception e) { logger.LogError(e, "Cluster {Cluster}: drill {Drill} could not be stored", report.ClusterId, report.Id); }
        lock (_gate)
        {
            drill.Report = report;
            _running.Remove(report.ClusterId);
        }
        feeds.PublishDrill(report.ClusterId, report);
        logger.LogInformation("Cluster {Cluster}: drill {Drill} of {Target} {Outcome}{Why}; outages: {Outages}", report.ClusterId, report.Id, report.Target.Display,
            report.Outcome, failure is null ? "" : $" at '{failure.Step}': {failure.Why}",
            string.Join("; ", DrillExport.Outages(report).Select(o => $"{o.Vip} {o.Service} {o.Phase} {o.Outage.TotalSeconds:0.00} s")));
    }

    /// <summary>Collects the cluster's events while the drill runs, and tells the live feed how far the drill got.</summary>
    private async Task WatchAsync(Drill drill, IAsyncEnumerable<Shared.Console.ClusterChange> changes, CancellationToken ct)
    {
        await foreach (var change in changes.WithCancellation(ct))
        {
            if (change.Drill is not null) continue; // our own progress
            if (change.Events.Count > 0) lock (drill) drill.Events.AddRange(change.Events);
            if (change.Events.Count > 0 || change.Serving is not null) Progress(drill);
        }
    }

    private void Progress(Drill drill)
    {
        var now = Compute(drill, time.GetUtcNow());
        lock (_gate) if (drill.Report.Outcome == DrillOutcome.Running) drill.Report = now;
        feeds.PublishDrill(now.ClusterId, now);
    }

    private DrillReport Compute(Drill drill, DateTimeOffset until)
    {
        var probes = cluster.Probes(drill.Report.ClusterId);
        var probed = probes?.Current.Select(s => (s.Vip, s.Service)).ToList() ?? [];
        var vips = probed.Select(p => p.Vip).Concat(drill.Before.VirtualIps.Select(v => VipAddress(drill.Before, v.Id))).OfType<string>().Distinct().ToList();
        lock (drill)
        {
            var seen = new DrillObservations([.. drill.Phases], [.. drill.Events],
                [.. probed.SelectMany(p => probes!.Series(p.Vip, p.Service))],
                [.. (probes?.ConnectionEnds ?? []).Where(c => c.At >= drill.Report.StartedAt)],
                DrillAnalysis.Placement(drill.Before, vips),
                drill.During is { } during ? DrillAnalysis.Placement(during, vips) : new Dictionary<string, string?>(),
                drill.After is { } after ? DrillAnalysis.Placement(after, vips) : new Dictionary<string, string?>(),
                until);
            return DrillAnalysis.Compute(drill.Report, seen);
        }
    }

    // The probes name VIPs by address; a VIP resource the probes do not know (no service probed) is named by its id's address.
    private static string? VipAddress(ClusterState state, string resource) =>
        state.VirtualIps.Any(v => v.Id == resource) && resource.StartsWith("vip-", StringComparison.Ordinal)
            ? resource["vip-".Length..] is var a && System.Net.IPAddress.TryParse(a, out _) ? a : null
            : null;

    private ClusterState State(Drill drill) => feeds.Snapshot(drill.Report.ClusterId)?.State ?? drill.Before;

    private static void SetPhase(Drill drill, DrillPhase phase, Func<DrillPhaseRun, DrillPhaseRun> change)
    {
        lock (drill)
        {
            var i = drill.Phases.FindLastIndex(p => p.Phase == phase);
            if (i >= 0) drill.Phases[i] = change(drill.Phases[i]);
        }
    }

    private static bool ConstraintOf(string constraint, string resource) =>
        constraint == $"cli-prefer-{resource}" || constraint.StartsWith($"cli-ban-{resource}-on-", StringComparison.Ordinal);

    private static string NotServed(IDrillProbes? probes) =>
        string.Join(", ", probes?.Current.Where(s => s.State != ServingState.Served).Select(s => s.Describe()) ?? []);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        List<Task> running;
        lock (_gate) running = [.. _running.Values.Select(d => d.Task).OfType<Task>()];
        await Task.WhenAll(running);
        _stopping.Dispose();
    }

    /// <summary>One running drill: its report so far and what it has seen.</summary>
    private sealed class Drill(DrillReport report, ClusterState before, IReadOnlyList<string> constraintsBefore)
    {
        public DrillReport Report { get; set; } = report;
        public ClusterState Before { get; } = before;
        public IReadOnlyList<string> ConstraintsBefore { get; } = constraintsBefore;
        public ClusterState? During { get; set; }
        public ClusterState? After { get; set; }
        public List<DrillPhaseRun> Phases { get; } = [];
        public List<ClusterEvent> Events { get; } = [];
        public Task? Task { get; set; }
    }
}
