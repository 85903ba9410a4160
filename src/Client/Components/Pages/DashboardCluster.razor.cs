using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Services;
using StorageHa.Shared.State;

namespace StorageHa.Client.Components.Pages;

/// <summary>One cluster live: a card per node with what runs on it, failures, the failover timeline and the latest events.</summary>
public partial class DashboardCluster
{
    [Parameter] public long ClusterId { get; set; }
    [Inject] private IClusterStateStream States { get; set; } = default!;

    private ClusterSnapshot? _snapshot;
    private HashSet<string> _arrived = [];

    protected override async Task LoadAsync()
    {
        var subscription = await States.SubscribeAsync(ClusterId, Leaving);
        _snapshot = subscription.Initial;
        Follow(subscription.Changes, change =>
        {
            if (_snapshot is null) return;
            _snapshot = _snapshot.Apply(change);
            // VIPs that reached a node in this change: their chips animate on the new card.
            if (change.State is not null)
                _arrived = change.Events
                    .Where(e => e.IsVirtualIp && e.Kind is nameof(ResourceMoved) or nameof(ResourceStarted) && e.Resource is not null)
                    .Select(e => e.Resource!)
                    .ToHashSet();
        });
    }

    private static List<ResourceInstance> StoppedVips(ClusterState state) =>
        state.VirtualIps.Where(v => !v.IsRunning).ToList();

    private static Severity MonitorSeverity(MonitorHealth health) => health switch
    {
        MonitorHealth.Watching => Severity.Success,
        MonitorHealth.Starting => Severity.Info,
        _ => Severity.Error,
    };
}
