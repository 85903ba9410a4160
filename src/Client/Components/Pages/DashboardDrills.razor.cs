using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Components.Pages;

/// <summary>
/// A cluster's failover drills: pick a VIP or a node, see why a drill may not start (from the live state, as the runner
/// checks it), start one (operators, confirmed), watch it stage by stage through the cluster's stream, then its report; and the
/// drills before it.
/// </summary>
public partial class DashboardDrills
{
    [Parameter] public long ClusterId { get; set; }
    [Inject] private IClusterStateStream States { get; set; } = default!;
    [Inject] private IDrills Drills { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private ClusterSnapshot? _snapshot;
    private DrillTarget? _target;
    private IReadOnlyList<DrillReport> _history = [];
    /// <summary>A drill picked from the history; the live one shows instead while it runs.</summary>
    private DrillReport? _selected;
    /// <summary>The drill this page started last (a refusal comes back here, not through the stream).</summary>
    private DrillReport? _started;

    protected override async Task LoadAsync()
    {
        var subscription = await States.SubscribeAsync(ClusterId, Leaving);
        _snapshot = subscription.Initial;
        Follow(subscription.Changes, change =>
        {
            if (_snapshot is null) return;
            var ended = change.Drill is { Outcome: not DrillOutcome.Running } && _snapshot.Drill is { Outcome: DrillOutcome.Running };
            _snapshot = _snapshot.Apply(change);
            if (ended) _ = InvokeAsync(() => RunAsync(LoadHistoryAsync, busyKey: "history"));
        });
        await LoadHistoryAsync();
    }

    private async Task LoadHistoryAsync() => _history = await Drills.ListAsync(ClusterId, ct: Leaving);

    private DrillReport? Running => _snapshot?.Drill is { Outcome: DrillOutcome.Running } running ? running : null;

    /// <summary>The running drill; else the one picked from the history; else the newest this page started, the runner told of or the store holds.</summary>
    private DrillReport? Shown => Running ?? _selected ?? Latest(Latest(_started, _snapshot?.Drill), _history.FirstOrDefault());

    /// <summary>The newer of two drills (ids grow with each drill, refused ones too).</summary>
    private static DrillReport? Latest(DrillReport? a, DrillReport? b) => a is null ? b : b is null ? a : b.Id >= a.Id ? b : a;

    private IReadOnlyList<string> Nodes => [.. _snapshot?.State?.Nodes.Select(n => n.Name) ?? []];

    /// <summary>Every VIP of the cluster (by address) and every node, as the live state lists them.</summary>
    private IEnumerable<DrillTarget> Targets()
    {
        if (_snapshot?.State is not { } state) yield break;
        foreach (var address in state.VirtualIps.Select(v => ResourceIds.VipAddress(v.Id)).OfType<string>().Distinct())
            yield return DrillTarget.Vip(address);
        foreach (var node in state.Nodes)
            yield return DrillTarget.Node(node.Name);
    }

    /// <summary>Why a drill (of the chosen target) may not start now: the runner's own check, on the live snapshot.</summary>
    private IReadOnlyList<DrillObstacle> Reasons() => _snapshot is null ? [] :
        DrillReadiness.Check(_snapshot.State, _snapshot.Serving, _snapshot.InProgress is not null, Running, _target);

    private bool CanStart => CanOperate && _target is not null && Reasons().Count == 0 && !IsBusy("start");

    private Task PickAsync(DrillTarget target)
    {
        _target = target;
        return Task.CompletedTask;
    }

    private async Task StartAsync()
    {
        if (_target is not { } target) return;
        if (!await ConfirmAsync($"Start a drill of {target.Display}?",
                $"{target.Plan}. Clients of each VIP that moves lose service for a moment, as in a real failover; the console probes SMB " +
                "and NFS through every VIP throughout, puts everything back where it was and reports what the clients saw.", yes: "Start drill"))
            return;
        await RunAsync(async () =>
        {
            _selected = null;
            _started = await Drills.StartAsync(ClusterId, target, Leaving);
            if (_started.Outcome == DrillOutcome.Refused)
                Snackbar.Add($"The drill of {target.Display} was refused: {string.Join(" ", _started.Refusals.Select(r => r.Reason))}", Severity.Warning);
            await LoadHistoryAsync();
        }, busyKey: "start");
    }
}
