using Bunit;
using StorageHa.Client.Tests.Shared;
using StorageHa.Client.Components.ClusterTabs;
using StorageHa.Client.Model;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Components.Pages;

public sealed class JobPageTests : ProvisioningTest
{
    private ProvisioningJob StartJob() => Provisioning.ApplyAsync(Lab).Result;

    private IRenderedComponent<JobPage> OpenJob(long id)
    {
        var page = RenderPage<JobPage>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".job-step")), Patience);
        return page;
    }

    [Fact]
    public void Steps_ChangeStateLive_AsTheJobReportsThem()
    {
        var job = StartJob();
        var page = OpenJob(job.Id);
        Assert.Equal("running", page.Find(".job-state").TextContent.Trim());
        Assert.All(page.FindAll(".step-state"), chip => Assert.Equal("pending", chip.TextContent.Trim()));
        page.WaitForAssertion(() => Assert.Equal(1, Provisioning.WatcherCount(job.Id)), Patience);

        Provisioning.SetStep(job.Id, "software", StepState.Running);
        page.WaitForAssertion(() => Assert.Equal("running", StepChip(page, "software")), Patience);
        Assert.Contains("Running step 1: Check that every node has the cluster software", page.Find(".job-outcome").TextContent);

        Provisioning.SetStep(job.Id, "software", StepState.AlreadyDone, seconds: 0.4);
        page.WaitForAssertion(() => Assert.Equal("already done", StepChip(page, "software")), Patience);
        Provisioning.SetStep(job.Id, "hacluster-password", StepState.Done, seconds: 1.25);
        page.WaitForAssertion(() => Assert.Equal("done", StepChip(page, "hacluster-password")), Patience);
        Assert.Equal("already done", StepChip(page, "software"));
        Assert.Equal(["node1 · 1.3 s", "node2 · 1.3 s", "node3 · 1.3 s"],
            page.FindAll("[data-step=hacluster-password] .run-state").Select(c => c.TextContent.Trim()));
        Assert.Contains($"2 of {job.Steps.Count} steps finished", page.Find(".job-facts").TextContent);
        Assert.Contains("mud-chip-color-success", page.Find("[data-step=hacluster-password] .step-state").ClassName);

        Provisioning.End(job.Id, JobState.Succeeded);
        page.WaitForAssertion(() => Assert.Equal("succeeded", page.Find(".job-state").TextContent.Trim()), Patience);
        Assert.Equal("30.0 s", page.Find(".job-duration").TextContent.Trim());
        Assert.Equal(0, Provisioning.WatcherCount(job.Id));
    }

    [Fact]
    public void TheServeCheck_SaysWhatItFound_ServedOrNotServed_NotDone()
    {
        var job = StartJob();
        var page = OpenJob(job.Id);
        var serve = StorageHa.Shared.Serving.ServeCheck.StepId;

        Provisioning.SetStep(job.Id, serve, StepState.Done, "@@serve\tok\tshare\tpublic\n");
        page.WaitForAssertion(() => Assert.Equal("served", StepChip(page, serve)), Patience);
        Provisioning.SetStep(job.Id, serve, StepState.Failed, "@@serve\tfail\tshare\tpublic\tits folder /srv/public does not exist on this node\n");
        page.WaitForAssertion(() => Assert.Equal("not served", StepChip(page, serve)), Patience);
    }

    [Fact]
    public void FailedStep_IsOpenedWithEachNodesOutput_AndSaysToReRun()
    {
        var job = StartJob();
        var page = OpenJob(job.Id);
        Assert.Empty(page.FindAll(".run-output"));
        Assert.Equal(1, Provisioning.WatcherCount(job.Id));

        Provisioning.SetStep(job.Id, "software", StepState.Done);
        page.WaitForAssertion(() => Assert.Equal("done", StepChip(page, "software")), Patience);
        Provisioning.SetStep(job.Id, "start-cluster", StepState.Failed, "Job for corosync.service failed: no interface found for nodelist");
        page.WaitForAssertion(() => Assert.Equal("failed", StepChip(page, "start-cluster")), Patience);
        Provisioning.End(job.Id, JobState.Failed, "start-cluster failed on node1, node2, node3 (exit 1).");

        page.WaitForAssertion(() => Assert.Equal("failed", page.Find(".job-state").TextContent.Trim()), Patience);
        var outputs = page.FindAll("[data-step=start-cluster] .run-output");
        Assert.Equal(["node1", "node2", "node3"], outputs.Select(o => o.GetAttribute("data-node")));
        Assert.All(outputs, o => Assert.Equal("Job for corosync.service failed: no interface found for nodelist", o.TextContent));
        Assert.Empty(page.FindAll("[data-step=software] .run-output"));
        var outcome = page.Find(".job-outcome").TextContent;
        Assert.Contains("Failed at step ", outcome);
        Assert.Contains("(Start corosync and pacemaker) on node1, node2, node3: start-cluster failed on node1, node2, node3 (exit 1). Fix the cause", outcome);
        Assert.Contains("Re-run: steps already done are skipped", outcome);
        Assert.False(HasButton(page, "Cancel job"));

        Click(page, "Re-run");

        page.WaitForAssertion(() => Assert.EndsWith($"/jobs/{job.Id + 1}", CurrentUri), Patience);
        Assert.Equal(2, Provisioning.Jobs.Count);
        Assert.True(Provisioning.Jobs[1].IsRunning);
    }

    [Fact]
    public void OpeningAStepShowsItsCommand_AndClosingHidesIt()
    {
        var job = StartJob();
        var page = OpenJob(job.Id);
        var step = job.Steps.Single(s => s.Id == "quorum");

        Click(page, $"Show step {job.Steps.ToList().IndexOf(step) + 1}");

        page.WaitForAssertion(() => Assert.Equal(step.CommandLine, page.Find("[data-step=quorum] .copyable-code pre").TextContent), Patience);
        Click(page, $"Hide step {job.Steps.ToList().IndexOf(step) + 1}");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-step=quorum] .step-detail")), Patience);
    }

    [Fact]
    public void Cancel_AsksFirst_AndKeepingItRunningCancelsNothing()
    {
        var job = StartJob();
        var page = OpenJob(job.Id);

        Click(page, "Cancel job");
        DialogHost.WaitForAssertion(() => Assert.Contains("The running command is killed", DialogHost.Markup), Patience);
        Click(DialogHost, "Keep running");
        DialogHost.WaitForAssertion(() => Assert.Empty(DialogHost.FindAll(".mud-dialog")), Patience);
        Assert.Empty(Provisioning.CancelsAsked);

        Click(page, "Cancel job");
        Click(DialogHost, "Cancel the job");
        page.WaitForAssertion(() => Assert.Equal([job.Id], Provisioning.CancelsAsked), Patience);

        Provisioning.SetStep(job.Id, "hacluster-password", StepState.Cancelled);
        page.WaitForAssertion(() => Assert.Equal("cancelled", StepChip(page, "hacluster-password")), Patience);
        Provisioning.End(job.Id, JobState.Cancelled);
        page.WaitForAssertion(() => Assert.Equal("cancelled", page.Find(".job-state").TextContent.Trim()), Patience);
        var stopped = job.Steps.Select(s => s.Id).ToList().IndexOf("hacluster-password") + 1;
        Assert.Contains($"Cancelled at step {stopped} (Set the hacluster user's password", page.Find(".job-outcome").TextContent);
        Assert.True(HasButton(page, "Re-run"));
    }

    [Fact]
    public void InterruptedJob_SaysTheConsoleStopped_AndOffersReRun()
    {
        var job = StartJob();
        Provisioning.SetStep(job.Id, "corosync-conf", StepState.Running);
        Provisioning.End(job.Id, JobState.Interrupted);

        var page = OpenJob(job.Id);

        Assert.Contains("the console stopped while it ran", page.Find(".job-outcome").TextContent);
        Assert.True(HasButton(page, "Re-run"));
        Assert.NotEmpty(page.FindAll("[data-step=corosync-conf] .step-detail"));
    }

    [Fact]
    public void Viewer_FollowsTheJob_ButCannotCancelOrReRun()
    {
        var job = StartJob();
        SignInAs("vera", "Viewer");
        var page = OpenJob(job.Id);
        Assert.False(HasButton(page, "Cancel job"));

        Provisioning.SetStep(job.Id, "software", StepState.Failed, "missing: ctdbd");
        page.WaitForAssertion(() => Assert.Equal("failed", StepChip(page, "software")), Patience);
        Provisioning.End(job.Id, JobState.Failed, "software failed");

        page.WaitForAssertion(() => Assert.Equal("failed", page.Find(".job-state").TextContent.Trim()), Patience);
        Assert.False(HasButton(page, "Re-run"));
    }

    [Fact]
    public void JobsTab_ListsTheClustersJobs_NewestFirst_WithStateAndWho()
    {
        var first = StartJob();
        Provisioning.End(first.Id, JobState.Failed, "software failed");
        Provisioning.Now = Provisioning.Now.AddHours(1);
        Provisioning.Actor = "ada";
        var second = StartJob();

        var tab = RenderPage<JobsTab>(p => p.Add(x => x.ClusterId, Lab));

        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("tbody tr").Count), Patience);
        var rows = tab.FindAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains($"#{second.Id}", rows[0]);
        Assert.Contains("running", rows[0]);
        Assert.Contains("ada", rows[0]);
        Assert.Contains("2026-11-26 13:00:00 UTC", rows[0]);
        Assert.Contains($"#{first.Id}", rows[1]);
        Assert.Contains("failed", rows[1]);
        Assert.Contains("olga", rows[1]);
        Assert.Equal($"jobs/{second.Id}", tab.Find("tbody tr a").GetAttribute("href"));
    }

    private static string StepChip(IRenderedComponent<JobPage> page, string step) => page.Find($"[data-step={step}] .step-state").TextContent.Trim();
}
