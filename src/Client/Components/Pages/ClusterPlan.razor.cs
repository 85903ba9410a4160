using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Client.Components.PlanViews;
using StorageHa.Client.Model;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Components.Pages;

/// <summary>
/// What applying the cluster's description would do, step by step with the exact commands; Pacemaker's own simulation
/// of the result; and Apply, for operators, once nothing blocks it.
/// </summary>
public partial class ClusterPlan
{
    private Cluster? _cluster;
    private Plan? _plan;
    private IReadOnlyList<ValidationError>? _refused;
    private SimulationResult? _simulation;
    private IReadOnlyList<Node> _nodes = [];
    /// <summary>The cluster filesystem the plan is built on, said above the steps (null until read).</summary>
    private ClusterSettings? _settings;
    private Dictionary<string, string> _vipAddresses = [];

    [Inject] private IInventory Inventory { get; set; } = default!;
    [Inject] private IProvisioning Provisioning { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public long Id { get; set; }

    private List<BreadcrumbItem> Breadcrumbs =>
        [new("Clusters", "clusters"), new(_cluster?.Name ?? $"#{Id}", $"clusters/{Id}"), new("Plan", null, disabled: true)];

    private string ScriptName => $"storageha-plan-{_plan?.Cluster}.txt";

    /// <summary>The plan text as a file the browser saves, without any script of ours.</summary>
    private string ScriptHref => "data:text/plain;charset=utf-8," + Uri.EscapeDataString(_plan is null ? "" : PlanText.Render(_plan));

    protected override async Task LoadAsync()
    {
        _cluster = await Inventory.GetClusterAsync(Id);
        _nodes = await Inventory.ListNodesAsync(Id);
        _settings = await Inventory.GetSettingsAsync(Id);
        _vipAddresses = SimulationView.AddressesOf(await Inventory.ListVirtualIpsAsync(Id));
        _simulation = null;
        try
        {
            _plan = await Provisioning.PlanAsync(Id);
            _refused = null;
        }
        catch (InvalidInputException refused)
        {
            (_plan, _refused) = (null, refused.Errors);
        }
    }

    private Task SimulateAsync() => RunAsync(async () => _simulation = await Provisioning.SimulateAsync(Id), busyKey: "simulate");

    private Task CopyAllAsync() => Dialogs.ShowAsync<CopyTextDialog>("The whole plan", new DialogParameters
    {
        { nameof(CopyTextDialog.Title), $"The plan for {_plan!.Cluster}" },
        { nameof(CopyTextDialog.Message), "Every step with its command, its check and what it reads on standard input (secrets only by name)." },
        { nameof(CopyTextDialog.Texts), new[] { new CopyableText("Plan", PlanText.Render(_plan)) } },
    }, new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true });

    private async Task ApplyAsync()
    {
        if (_plan is not { Blockers.Count: 0 } plan) return;
        ProvisioningJob? job = null;
        if (plan.Steps.Any(s => s.Id == PlanBuilder.DomainJoinStep))
            // A cluster that joins a domain: the administrator for this one apply, if it still has to join.
            job = await EditInDialogAsync<DomainApplyDialog, DomainApplyDialog.Given, ProvisioningJob>(null,
                given => Provisioning.ApplyAsync(Id, given.Administrator), "Apply started", new DialogParameters
                {
                    { nameof(DomainApplyDialog.Title), $"Apply the plan to {plan.Cluster}?" },
                    { nameof(DomainApplyDialog.Summary), Summary(plan) },
                    { nameof(DomainApplyDialog.Why), "The cluster joins its Active Directory domain once. Give a domain administrator for the join; " +
                        "leave the password empty when the cluster is already joined (the join step then finds it done)." },
                });
        else if (await ConfirmAsync($"Apply the plan to {plan.Cluster}?", Summary(plan), yes: "Apply"))
            await RunAsync(async () => job = await Provisioning.ApplyAsync(Id), busyKey: "apply");
        if (job is not null) Navigation.NavigateTo($"jobs/{job.Id}");
    }


    /// <summary>What the confirmation says will change, in one paragraph.</summary>
    private string Summary(Plan plan)
    {
        var nodes = _nodes.Count == 0 ? "its nodes" : string.Join(", ", _nodes.Select(n => n.Name));
        var text = $"{plan.Steps.Count} steps run on {nodes}: files and services on the nodes, then {plan.CibBatch.Count} configuration changes " +
            $"pushed to the CIB at once ({_vipAddresses.Count} virtual IP{(_vipAddresses.Count == 1 ? "" : "s")}). Steps already done are skipped.";
        if (plan.Warnings.Contains(CibBatch.NoFencingWarning))
            text += " The cluster will run WITHOUT fencing: unsafe for production data.";
        return text;
    }
}
