using StorageHa.Server.Auth;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Operations;

namespace StorageHa.Server.Drills;

/// <summary>
/// At start-up, ends the drills a stopped console left "running" (one process runs drills, so none of them still runs):
/// each is stored as failed because the console stopped, and what it changed in the cluster is undone as the console's own
/// work (audited as "system", like the rest of the console's start-up): the drill's own move of its VIP cleared, or its node
/// taken out of standby. What cannot be undone (the cluster out of reach, an admin's move beside the drill's) the report
/// names with the command to run by hand. In the background, each drill bounded by <see cref="DrillOptions.RestoreLimit"/>.
/// </summary>
public sealed class InterruptedDrills(DrillStore store, IDrillCluster cluster, ClusterFeeds feeds, DrillRunner runner, DrillOptions options,
    TimeProvider time, ILogger<InterruptedDrills> logger) : IHostedService
{
    private const string Console = "system";
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The start-up's work, for tests and shutdown; null before <see cref="StartAsync"/>.</summary>
    public Task? Completion { get; private set; }

    public Task StartAsync(CancellationToken ct)
    {
        // Never holds up the console's start: the clusters may take their whole limit to answer.
        Completion = Task.Run(() => EndAllAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        if (Completion is { } running)
            try { await running.WaitAsync(ct); }
            catch (OperationCanceledException) { }
    }

    /// <summary>Ends every drill stored as running; a drill this console's runner runs now is left alone.</summary>
    public async Task EndAllAsync(CancellationToken ct)
    {
        IReadOnlyList<DrillReport> left;
        try { left = await store.ListRunningAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The drills a stopped console left running could not be read");
            return;
        }
        foreach (var drill in left.Where(d => runner.Running(d.ClusterId)?.Id != d.Id))
        {
            try { await EndAsync(drill, ct); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Cluster {Cluster}: drill {Drill}, left running by a stopped console, could not be ended", drill.ClusterId, drill.Id);
            }
        }
    }

    private async Task EndAsync(DrillReport drill, CancellationToken stopping)
    {
        var noticed = time.GetUtcNow();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        limit.CancelAfter(options.RestoreLimit);
        var ended = drill;
        string restore;
        try
        {
            (ended, restore) = await UndoAsync(drill, limit.Token);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested) // a console stopping again leaves it for its next start
        {
            var why = e is OperationCanceledException ? $"no answer within {options.RestoreLimit.TotalSeconds:0} s" : e.Message;
            restore = $"the restore could not run ({why}): undo by hand on a node of the cluster: {ShellCommand.Join(ManualUndo(drill.Target))}";
            logger.LogError(e, "Cluster {Cluster}: drill {Drill}, left running by a stopped console, could not be undone", drill.ClusterId, drill.Id);
        }
        var report = ended with
        {
            Outcome = DrillOutcome.Failed,
            EndedAt = noticed,
            Failure = new DrillFailure("interrupted",
                $"the console stopped during the drill (noticed at {noticed.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC as it started again); {restore}"),
        };
        await store.UpdateAsync(report, CancellationToken.None);
        feeds.PublishDrill(report.ClusterId, report);
        logger.LogWarning("Cluster {Cluster}: drill {Drill} of {Target} was left running by a stopped console: ended as failed; {Restore}",
            report.ClusterId, report.Id, report.Target.Display, restore);
    }

    /// <summary>Undoes the drill's change as the console; returns the drill with what it found in the CIB, and what was done in the admin's words.</summary>
    private async Task<(DrillReport Drill, string Restore)> UndoAsync(DrillReport drill, CancellationToken ct)
    {
        var target = drill.Target;
        if (target.Kind == DrillTargetKind.Node)
        {
            var state = await StateAsync(drill.ClusterId, ct);
            if (state.Node(target.Name)?.Standby != true) return (drill, $"{target.Name} was not in standby: nothing to undo");
            await cluster.RunAsync(drill.ClusterId, new SetNodeStandby(target.Name, false), SystemActor.Principal, ct);
            return (drill, $"the console (as {Console}) took {target.Name} out of standby");
        }
        await StateAsync(drill.ClusterId, ct); // operations run only once the monitor read the state
        var vip = target.VipResource!;
        var own = DrillsMove(vip);
        var found = await cluster.MoveConstraintsAsync(drill.ClusterId, [vip], Console, ct);
        if (!found.Contains(own))
            return (drill with { LeftoversChecked = true }, $"the drill left no move on {vip}: nothing to undo");
        // A clear removes every move constraint of the VIP: with an admin's beside the drill's, it is theirs to sort out.
        if (found.Where(c => c != own).ToList() is { Count: > 0 } admins)
            return (drill with { LeftoverConstraints = [own], LeftoversChecked = true },
                $"the drill's move of {vip} ({own}) is still in the CIB beside {string.Join(", ", admins)}, which the console leaves alone: " +
                $"remove the drill's by hand: {ShellCommand.Join(ManualUndo(target))}");
        await cluster.RunAsync(drill.ClusterId, new ClearMove(vip), SystemActor.Principal, ct);
        var left = (await cluster.MoveConstraintsAsync(drill.ClusterId, [vip], Console, ct)).Where(c => c == own).ToList();
        return (drill with { LeftoverConstraints = left, LeftoversChecked = true }, left.Count == 0
            ? $"the console (as {Console}) cleared the drill's move of {vip} ({own})"
            : $"the console (as {Console}) cleared the move of {vip}, but {own} is still in the CIB: remove it by hand: {ShellCommand.Join(ManualUndo(target))}");
    }

    /// <summary>The cluster's state once the monitor has read it (operations need it), within the caller's limit.</summary>
    private async Task<Shared.State.ClusterState> StateAsync(long clusterId, CancellationToken ct)
    {
        while (true)
        {
            if (feeds.Snapshot(clusterId)?.State is { } state) return state;
            try { await Task.Delay(options.Poll, time, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw new TimeoutException($"the console did not read the cluster's state within {options.RestoreLimit.TotalSeconds:0} s");
            }
        }
    }

    /// <summary>The move constraint a VIP drill leaves (pcs resource move-with-constraint VIP NODE names it so; pcs replaces its own).</summary>
    private static string DrillsMove(string vip) => $"cli-prefer-{vip}";

    /// <summary>The one command that undoes the drill's change and nothing an admin did: remove the drill's constraint, or unstandby its node.</summary>
    private static IReadOnlyList<string> ManualUndo(DrillTarget target) => target.Kind == DrillTargetKind.Node
        ? new SetNodeStandby(target.Name, false).Argv()
        : ["pcs", "constraint", "remove", DrillsMove(target.VipResource!)];
}
