using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;
using StorageHa.Shared.Identity;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;

namespace StorageHa.Client.Components.Pages;

/// <summary>One cluster live: a card per node with what runs on it, failures, the failover timeline and the latest events.</summary>
public partial class DashboardCluster
{
    [Parameter] public long ClusterId { get; set; }
    [Inject] private IClusterStateStream States { get; set; } = default!;
    [Inject] private IClusterOperations Operations { get; set; } = default!;
    [Inject] private IJoinHealth JoinHealth { get; set; } = default!;
    [Inject] private IStorageHealth StorageHealth { get; set; } = default!;
    [Inject] private IConnectedClients Clients { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private IInventory Inventory { get; set; } = default!;

    /// <summary>
    /// How often the page asks for the domain join again. A join does not break from one second to the next (an account
    /// reset, a machine password out of step, a DC gone), and each check asks the DC from every node and writes two audit
    /// entries per node: once a minute, and on demand.
    /// </summary>
    public static readonly TimeSpan DomainCheckInterval = TimeSpan.FromSeconds(60);

    private ClusterSnapshot? _snapshot;
    private HashSet<string> _arrived = [];
    private JoinHealthReport? _domain;
    private FencingSpec? _fencing;

    protected override async Task LoadAsync()
    {
        _ = WatchDomainAsync();
        _ = HoldWatchAsync(ct => StorageHealth.WatchAsync(ClusterId, ct));
        _ = HoldWatchAsync(ct => Clients.WatchAsync(ClusterId, ct));
        _fencing = (await Inventory.GetSettingsAsync(ClusterId)).Fencing;
        var subscription = await States.SubscribeAsync(ClusterId, Leaving);
        _snapshot = subscription.Initial;
        Follow(subscription.Changes, change =>
        {
            if (_snapshot is null) return;
            _snapshot = _snapshot.Apply(change);
            // VIPs that reached a node in this change: their chips animate on the new card.
            if (change.State is not null)
                _arrived = [.. change.Events.Select(ArrivedVip).OfType<string>()];
        });
    }

    /// <summary>Checks the join now and every <see cref="DomainCheckInterval"/> until the page is left (no nodes are asked for a cluster outside a domain).</summary>
    private async Task WatchDomainAsync()
    {
        try
        {
            using var timer = new PeriodicTimer(DomainCheckInterval, Time);
            do await InvokeAsync(() => RunAsync(CheckDomainAsync, busyKey: "domain"));
            while (await timer.WaitForNextTickAsync(Leaving));
        }
        catch (OperationCanceledException) { /* the page was left */ }
        catch (ObjectDisposedException) { /* the circuit went away */ }
    }

    /// <summary>
    /// While the page is open the console checks the storage and reads who is connected every few seconds; their reports
    /// and changes come with the cluster's stream.
    /// </summary>
    private async Task HoldWatchAsync(Func<CancellationToken, Task<IDisposable>> watch)
    {
        try
        {
            // The token is taken first: a page left meanwhile is already cancelled, and registering then ends the watch at once.
            var leaving = Leaving;
            var held = await watch(leaving);
            leaving.Register(held.Dispose);
        }
        catch (OperationCanceledException) { /* the page was left */ }
        catch (ObjectDisposedException) { /* the circuit went away */ }
    }

    /// <summary>Names the user and the client, and ends the session only when confirmed; the next reading shows it gone.</summary>
    private async Task DisconnectAsync(SmbSessionOnNode target)
    {
        var session = target.Session;
        var what = $"{session.User}'s SMB session from {session.ClientAddress}";
        if (!await ConfirmAsync($"Disconnect {what}?",
                $"The console asks smbd {session.ServerPid} on {target.Node}, which serves only this client's connection, to shut down. " +
                $"{session.User} at {session.ClientAddress} loses the connection ({(session.Shares.Count == 0 ? "no share open" : string.Join(", ", session.Shares.Select(s => s.Share)))}); " +
                "open files are closed, unsaved work in them may be lost. The client may connect again.", yes: "Disconnect"))
            return;
        await RunAsync(() => Clients.DisconnectSmbAsync(ClusterId, new SmbSessionRef(target.Node, session.ServerPid, session.ClientEnd), Leaving),
            $"Disconnected {what}.", busyKey: "disconnect");
    }

    private async Task CheckDomainAsync() => _domain = await JoinHealth.CheckAsync(ClusterId, Leaving);

    private Task CheckDomainNowAsync() => RunAsync(CheckDomainAsync, busyKey: "domain");

    private NodeJoinHealth? DomainOf(string node) => _domain?.Nodes.FirstOrDefault(n => n.Node == node);

    /// <summary>The VIP an event brought to a node (moved there or started there), if it did.</summary>
    private static string? ArrivedVip(ClusterEvent e) => e switch
    {
        ResourceMoved { IsVirtualIp: true } moved => moved.Resource,
        ResourceStarted { IsVirtualIp: true } started => started.Resource,
        _ => null,
    };

    /// <summary>What an operator may do to a node as it is now: the opposite of its standby and maintenance.</summary>
    private static IEnumerable<ClusterOperation> NodeOperations(ClusterState state, ClusterNode node)
    {
        yield return new SetNodeStandby(node.Name, On: !node.Standby);
        yield return new SetNodeMaintenance(node.Name, On: !node.Maintenance);
        foreach (var resource in state.RunningOn(node.Name).Where(r => r.CloneSet is null && r.Bundle is null).Select(r => r.Group ?? r.Id).Distinct())
            foreach (var other in state.Nodes.Where(n => n.Name != node.Name && n.Status == NodeStatus.Online))
                yield return new MoveResource(resource, other.Name);
        foreach (var ban in state.Bans.Where(b => b.Node == node.Name).Select(b => b.Resource).Distinct())
            yield return new ClearMove(ban);
    }

    private static CleanupResource Cleanup(ResourceFailure failure) => new(ClusterResources.Base(failure.Resource), failure.Node);

    /// <summary>Says exactly what will happen and runs it only when confirmed; the result shows through the live stream, not here.</summary>
    private async Task ConfirmAndRunAsync(ClusterOperation operation)
    {
        var command = StorageHa.Shared.Commands.ShellCommand.Join(operation.Argv());
        if (!await ConfirmAsync(operation.Summary + "?", $"{operation.Consequence} The console runs: {command}", yes: operation.Summary))
            return;
        await RunAsync(() => Operations.RunAsync(ClusterId, operation, Leaving),
            $"{operation.Summary}: done on the cluster; this page shows the change as Pacemaker makes it.");
    }

    /// <summary>Fencing asks for the node's name in its own dialog, which explains the danger; the result shows through the live stream.</summary>
    private async Task FenceAsync(string node, bool acknowledge)
    {
        var dialog = await Dialogs.ShowAsync<NodeFencingDialog>(null,
            new DialogParameters { { nameof(NodeFencingDialog.Node), node }, { nameof(NodeFencingDialog.Acknowledge), acknowledge } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: ClusterOperation operation }) return;
        await RunAsync(() => Operations.RunAsync(ClusterId, operation, Leaving),
            $"{operation.Summary}: done; this page shows the change as Pacemaker makes it.", busyKey: "fence");
    }

    private async Task SimulateFailureAsync(string node)
    {
        FailureSimulation? simulation = null;
        if (!await RunAsync(async () => simulation = await Operations.SimulateFailureAsync(ClusterId, new SimulatedFailure([node]), Leaving), busyKey: "simulate"))
            return;
        await Dialogs.ShowAsync<FailureSimulationDialog>(null, new DialogParameters { { nameof(FailureSimulationDialog.Simulation), simulation } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
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
