using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Wizard;
using StorageHa.Client.Model;
using StorageHa.Shared.Console;

namespace StorageHa.Client.Components.Pages;

/// <summary>
/// The guided setup: a stepper over the inventory, the probes and the plan. The draft is the inventory itself, so the page
/// opens a cluster at its first unfinished step; Next is refused, with the reasons, until the step meets the plan's rules.
/// </summary>
public partial class NewClusterWizard
{
    private readonly WizardStepBase?[] _steps = new WizardStepBase?[Enum.GetValues<WizardStep>().Length];
    private IReadOnlyList<string> _blocked = [];
    private int _index;
    private bool _loaded;

    [Inject] private IInventory Inventory { get; set; } = default!;
    [Inject] private ICredentialStore CredentialStore { get; set; } = default!;
    [Inject] private INodeAccess NodeAccess { get; set; } = default!;
    [Inject] private IProvisioning Provisioning { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Parameter] public long ClusterId { get; set; }

    private WizardDraft Draft { get; set; } = default!;

    protected override void OnInitialized() => Draft = new WizardDraft(Inventory, CredentialStore, NodeAccess);

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded && ClusterId == Draft.ClusterId) return;
        await RunAsync(async () =>
        {
            await Draft.LoadAsync(ClusterId);
            var step = Draft.FirstIncomplete();
            // A draft that was applied before opens on its newest job.
            if (step == WizardStep.Review && (await Provisioning.ListJobsAsync(Draft.ClusterId)).Count > 0) step = WizardStep.Apply;
            _index = (int)step;
            _blocked = [];
        }, busyKey: "load");
        _loaded = true;
    }

    private async Task NextAsync()
    {
        if (_steps[_index] is not { } step) return;
        IReadOnlyList<string> reasons = [];
        await RunAsync(async () =>
        {
            reasons = await step.CommitAsync();
            if (reasons.Count == 0) await Draft.ReloadAsync();
        }, busyKey: "next");
        _blocked = reasons;
        if (reasons.Count == 0 && _index < _steps.Length - 1) _index++;
    }

    private void BackAsync()
    {
        _blocked = [];
        if (_index > 0) _index--;
    }

    /// <summary>The step headers go back freely, never past the current step: forward is only through Next.</summary>
    private Task PreviewAsync(StepperInteractionEventArgs args)
    {
        if (args.Action == StepAction.Activate && args.StepIndex > _index) args.Cancel = true;
        else if (args.Action == StepAction.Activate) _blocked = [];
        return Task.CompletedTask;
    }

    /// <summary>A new cluster gets its own address, so a reload or a bookmark resumes it.</summary>
    private async Task ClusterStoredAsync(long id)
    {
        await Draft.LoadAsync(id);
        Navigation.NavigateTo($"setup/{id}", replace: true);
    }
}
