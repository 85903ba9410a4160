using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Text;

namespace StorageHa.Client.Components.ClusterTabs;

/// <summary>The nodes of a cluster: inventory, host-key trust, probes and the node helper.</summary>
public partial class NodesTab
{
    private IReadOnlyList<Node> _nodes = [];
    private IReadOnlyList<Credential> _credentials = [];
    private Node? _probing;
    private NodeFacts? _facts;
    private string _factsNodeName = "";
    private readonly Dictionary<long, NodeHelperStatus> _helpers = [];

    [Inject] private IInventory Inventory { get; set; } = default!;
    [Inject] private INodeAccess NodeAccess { get; set; } = default!;
    [Inject] private ICredentialStore CredentialStore { get; set; } = default!;
    [Inject] private IClusterStateStream States { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter, EditorRequired] public long ClusterId { get; set; }

    /// <summary>The nodes of the running cluster as its monitor last read them; null when the console sees no running cluster.</summary>
    private HashSet<string>? _members;
    private string _clusterName = "";

    protected override async Task LoadAsync()
    {
        _nodes = await Inventory.ListNodesAsync(ClusterId);
        _credentials = await CredentialStore.ListAsync();
        _clusterName = (await Inventory.GetClusterAsync(ClusterId))?.Name ?? $"cluster {ClusterId}";
        // Only the snapshot: membership changes through jobs, after which the tab is reloaded.
        using var stop = new CancellationTokenSource();
        var state = (await States.SubscribeAsync(ClusterId, stop.Token)).Initial.State;
        await stop.CancelAsync();
        _members = state is { Nodes.Count: > 0 } ? state.Nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal) : null;
    }

    /// <summary>A node's way in or out of the running cluster, and why it is not open when it is not.</summary>
    private sealed record MembershipAction(LifecycleChange Change, bool Allowed, string Reason);

    /// <summary>
    /// Any node of the running cluster can leave: corosync and CTDB know each node by its number, which the others keep.
    /// Only the node added last (the highest number) can join: a joining node's number comes after every running node's.
    /// </summary>
    private MembershipAction? Membership(Node node)
    {
        if (_members is null) return null;
        if (_members.Contains(node.Name))
            return new(LifecycleChange.Remove(node.Id), true, $"Move everything off {node.Name}, then take it out of the cluster and the inventory (the other nodes keep their numbers)");
        var newest = _nodes.MaxBy(n => n.Number)!;
        return newest.Id == node.Id
            ? new(LifecycleChange.Join(node.Id), true, $"Bring {node.Name} into the running cluster as node {node.Number}")
            : new(LifecycleChange.Join(node.Id), false, $"Only the node added last can join ({newest.Name}): a joining node's number must come after every other node's");
    }

    /// <summary>Opens the change's plan, simulation and confirmation; once started, follows its job.</summary>
    private async Task ChangeAsync(LifecycleChange change, string? nodeName)
    {
        var parameters = new DialogParameters<LifecycleDialog>
        {
            { d => d.ClusterId, ClusterId },
            { d => d.Change, change },
            { d => d.NodeName, nodeName },
            { d => d.ClusterName, _clusterName },
        };
        var dialog = await Dialogs.ShowAsync<LifecycleDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true });
        if (await dialog.Result is { Canceled: false, Data: ProvisioningJob job })
            Navigation.NavigateTo($"jobs/{job.Id}");
    }

    private static string AddressText(Node node)
        => node.Address.Contains(':') ? $"[{node.Address}]:{node.SshPort}" : $"{node.Address}:{node.SshPort}";

    private string CredentialName(long? id)
        => id is null ? "—" : _credentials.FirstOrDefault(c => c.Id == id)?.Name ?? $"#{id}";

    /// <summary>"SHA256:" and the first 12 characters: enough to recognise a key at a glance.</summary>
    public static string ShortFingerprint(string fingerprint) => Excerpt.Of(fingerprint, 19);

    private static string HostKeyKey(Node node) => $"hostkey-{node.Id}";
    private static string ProbeKey(Node node) => $"probe-{node.Id}";
    private static string HelperKey(Node node) => $"helper-{node.Id}";

    private static string ConfirmKey(Node node) => $"confirm-{node.Id}";

    private async Task EditAsync(Node? node)
    {
        var saved = await EditInDialogAsync<NodeDialog, Node, Node>(node,
            n => n.Id == 0 ? Inventory.AddNodeAsync(n) : Inventory.UpdateNodeAsync(n), "Node saved.",
            new DialogParameters { { nameof(NodeDialog.ClusterId), ClusterId }, { nameof(NodeDialog.Credentials), _credentials } });
        if (saved is not null) WarnIfAwaitingAdmin(saved.Id);
    }

    /// <summary>"An admin must confirm …": what an operator's change left waiting, and who can lift it.</summary>
    private string AwaitsAdminText(Node node) =>
        $"An admin must confirm that credential '{CredentialName(node.CredentialId)}' may be sent to {node.SshUser}@{AddressText(node)} " +
        $"(host key {node.HostKeyFingerprint}): the address, port, user, host key or credential changed since an admin bound them. " +
        "Until then the console does not log in to this node.";

    private void WarnIfAwaitingAdmin(long nodeId)
    {
        if (_nodes.FirstOrDefault(n => n.Id == nodeId) is { CredentialAwaitsAdmin: true } waiting)
            Snackbar.Add(AwaitsAdminText(waiting), Severity.Warning);
    }

    private async Task ConfirmCredentialAsync(Node node)
    {
        if (!await ConfirmAsync($"Confirm the credential of {node.Name}?",
                $"Credential '{CredentialName(node.CredentialId)}' will be sent to {node.SshUser}@{AddressText(node)}, the server with host key {node.HostKeyFingerprint}. " +
                "Confirm only if that is where this node really is.", yes: "Confirm"))
            return;
        await RunAsync(async () =>
        {
            await NodeAccess.ConfirmCredentialAsync(node.Id);
            await LoadAsync();
        }, $"The credential of {node.Name} is confirmed for {node.SshUser}@{AddressText(node)}.", busyKey: ConfirmKey(node));
    }

    private Task RemoveAsync(Node node) => RemoveAsync($"node {node.Name}",
        "It leaves the console's inventory with its pinned host key and probe results. Nothing on the server changes.",
        () => Inventory.DeleteNodeAsync(node.Id));

    private async Task CheckHostKeyAsync(Node node)
    {
        HostKeyOffer? offer = null;
        if (!await RunAsync(async () => offer = await NodeAccess.FetchHostKeyAsync(node.Id), busyKey: HostKeyKey(node)))
            return;
        var parameters = new DialogParameters<HostKeyDialog>
        {
            { d => d.NodeName, node.Name },
            { d => d.Offer, offer! },
            { d => d.Accept, () => NodeAccess.AcceptHostKeyAsync(node.Id, offer!.Fingerprint) },
        };
        var dialog = await Dialogs.ShowAsync<HostKeyDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if ((await dialog.Result)?.Canceled == false)
        {
            Snackbar.Add($"Host key of {node.Name} accepted.", Severity.Success);
            await RunAsync(LoadAsync, busyKey: "load");
            WarnIfAwaitingAdmin(node.Id);
        }
    }

    private async Task ProbeAsync(Node node)
    {
        _probing = node;
        _facts = null;
        await RunAsync(async () =>
        {
            try
            {
                ShowFacts(node, await NodeAccess.ProbeAsync(node.Id));
                _nodes = await Inventory.ListNodesAsync(ClusterId);
            }
            finally
            {
                _probing = null;
            }
        }, busyKey: ProbeKey(node));
    }

    private Task ShowLastProbeAsync(Node node) => RunAsync(async () =>
    {
        if (await NodeAccess.GetLastProbeAsync(node.Id) is { } facts)
            ShowFacts(node, facts);
        else
            Snackbar.Add($"{node.Name} has not been probed yet.", Severity.Info);
    }, busyKey: ProbeKey(node));

    private Task CheckHelperAsync(Node node) =>
        RunAsync(async () => _helpers[node.Id] = await NodeAccess.GetHelperAsync(node.Id), busyKey: HelperKey(node));

    private Task DeployHelperAsync(Node node) => RunAsync(async () =>
    {
        var status = _helpers[node.Id] = await NodeAccess.DeployHelperAsync(node.Id);
        Snackbar.Add(status.Replaced.Count == 0
            ? $"{node.Name} already runs storageha-node {status.InstalledVersion}: nothing was uploaded."
            : $"storageha-node {status.InstalledVersion} installed on {node.Name}: {string.Join(", ", status.Replaced)}.", Severity.Success);
    }, busyKey: HelperKey(node));

    private static string HelperText(NodeHelperStatus helper) => helper switch
    {
        { Problem: not null } => "does not run",
        { InstalledVersion: null } => "not installed",
        { IsCurrent: true } => helper.InstalledVersion,
        _ => $"{helper.InstalledVersion}, bundled {helper.BundledVersion}",
    };

    private static string HelperTooltip(NodeHelperStatus helper) =>
        helper.Problem ?? (helper.IsCurrent
            ? "storageha-node and its OCF agents are exactly the ones the console bundles."
            : $"The console bundles storageha-node {helper.BundledVersion}: Deploy helper installs it.");

    private void ShowFacts(Node node, NodeFacts facts) => (_facts, _factsNodeName) = (facts, node.Name);
}
