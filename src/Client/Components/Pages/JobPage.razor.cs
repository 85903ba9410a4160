using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Shared.Console;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Components.Pages;

/// <summary>
/// A provisioning job as it runs: each step's state and each node's output, live from the job's stream; the failed step
/// opened with what to do next; Cancel while it runs and Re-run after it stopped, for operators.
/// </summary>
public partial class JobPage
{
    private ProvisioningJob? _job;
    private long _following;
    /// <summary>Steps whose detail is shown: the admin's choice, and the failed step by itself.</summary>
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);

    [Inject] private IProvisioning Provisioning { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Parameter] public long Id { get; set; }

    private List<BreadcrumbItem> Breadcrumbs =>
    [
        new("Clusters", "clusters"),
        new(_job?.Cluster ?? "cluster", _job is null ? null : $"clusters/{_job.ClusterId}", disabled: _job is null),
        new($"Job #{Id}", null, disabled: true),
    ];

    private bool CanRerun => _job is { State: JobState.Failed or JobState.Cancelled or JobState.Interrupted };

    private double Progress => _job is null || _job.Steps.Count == 0 ? 0
        : 100.0 * _job.Steps.Count(s => s.State is not (StepState.Pending or StepState.Running)) / _job.Steps.Count;

    protected override async Task LoadAsync()
    {
        Show(await Provisioning.GetJobAsync(Id));
        if (_following == Id) return;
        _following = Id;
        var id = Id;
        // A re-run navigates to its own job on this same page: the old stream's last words are not shown on the new job.
        Follow(Provisioning.WatchJobAsync(id, Leaving), job =>
        {
            if (job.Id == Id) Show(job);
        });
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_following != 0 && _following != Id)
        {
            _open.Clear();
            await RunAsync(LoadAsync, busyKey: "load");
        }
    }

    private void Show(ProvisioningJob? job)
    {
        _job = job;
        if (job is { IsRunning: false, FailedStep: { } stopped })
            _open.Add(stopped.Id);
    }

    private void Toggle(string stepId)
    {
        if (!_open.Remove(stepId)) _open.Add(stepId);
    }

    private async Task CancelAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync($"Cancel job #{Id}?",
            "The running command is killed and no later step runs. The CIB is pushed only if its push had begun, so the cluster " +
            "keeps either its old configuration or the whole new one. Re-run the job later to continue.",
            yesText: "Cancel the job", cancelText: "Keep running");
        if (confirmed == true)
            await RunAsync(() => Provisioning.CancelJobAsync(Id), "Cancelling: the job stops after the running command is killed.", busyKey: "cancel");
    }

    private async Task RerunAsync()
    {
        ProvisioningJob? next = null;
        if (await RunAsync(async () => next = await Provisioning.ApplyAsync(_job!.ClusterId), busyKey: "rerun") && next is not null)
            Navigation.NavigateTo($"jobs/{next.Id}");
    }

    private Severity OutcomeSeverity => _job?.State switch
    {
        JobState.Running => Severity.Info,
        JobState.Succeeded => Severity.Success,
        JobState.Failed => Severity.Error,
        _ => Severity.Warning,
    };

    /// <summary>Where the job stands, and for a job that stopped, what to do next.</summary>
    private string Outcome
    {
        get
        {
            var job = _job!;
            var step = job.FailedStep is { } s ? $"step {IndexOf(s) + 1} ({s.Description})" : "a step";
            var nodes = job.FailedStep?.Runs.Where(r => r.State == StepState.Failed).Select(r => r.Node).ToList() ?? [];
            var where = nodes.Count > 0 ? $" on {string.Join(", ", nodes)}" : "";
            const string rerun = "Re-run: steps already done are skipped, so it continues from there.";
            return job.State switch
            {
                JobState.Running => job.Steps.FirstOrDefault(x => x.State == StepState.Running) is { } running
                    ? $"Running step {IndexOf(running) + 1}: {running.Description}."
                    : "Starting…",
                JobState.Succeeded when job.ChangedNothing => "Everything was already in place: nothing changed.",
                JobState.Succeeded => "Applied: the cluster is configured as planned.",
                JobState.Failed => $"Failed at {step}{where}: {job.Failure?.TrimEnd('.') ?? "see its output below"}. Fix the cause its output names, then {rerun}",
                JobState.Cancelled => $"Cancelled at {step}. Later steps did not run. {rerun}",
                _ => $"Interrupted at {step}: the console stopped while it ran. The nodes keep what the finished steps did. {rerun}",
            };
        }
    }

    private int IndexOf(JobStep step) => _job!.Steps.ToList().IndexOf(step);
}
