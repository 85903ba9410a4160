using Bunit;
using StorageHa.Client.Tests.Shared;
using MudBlazor;
using MudBlazor.Extensions;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Components.Wizard;

/// <summary>A draft left at any point reopens where it stopped with everything filled in; review shows the plan; apply follows the job.</summary>
public sealed class WizardResumeAndApplyTests : WizardTest
{
    private static readonly FenceDeviceSpec Ipmi = new()
    {
        Name = "ipmi-node1", Agent = "fence_ipmilan", Options = new Dictionary<string, string> { ["ip"] = "198.51.100.21", ["username"] = "admin" }, Nodes = ["node1", "node2", "node3"],
    };

    /// <summary>Everything a finished draft holds, up to the review.</summary>
    private async Task FullDraftAsync(bool vips = true, bool sharedState = true, bool fencing = true, ClusterPurpose purpose = ClusterPurpose.Both)
    {
        AddCluster(purpose);
        await AddReadyNodesAsync(3);
        if (vips)
        {
            await Inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = ClusterId, Address = "192.0.2.101", Prefix = 24 });
            await Inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = ClusterId, Address = "192.0.2.102", Prefix = 24 });
        }
        await Inventory.AddShareAsync(new Share { ClusterId = ClusterId, Name = "data", Path = "/srv/data", Comment = "team files", ReadOnly = true, GuestOk = false, ValidUsers = SmbPrincipal.ParseList("alice @staff") });
        await Inventory.AddExportAsync(new Export { ClusterId = ClusterId, Path = "/srv/data", Clients = "192.0.2.0/24", Access = ExportAccess.ReadOnly });
        Inventory.Settings[ClusterId] = new ClusterSettings
        {
            Nic = "eth0",
            SharedState = sharedState ? new SharedStateSpec { RecoveryLock = "/srv/cluster-state/ctdb/reclock", GaneshaState = "/srv/cluster-state/ganesha" } : null,
            Fencing = fencing ? new FencingSpec { Devices = [Ipmi] } : new FencingSpec(),
        };
        if (!fencing) return;
        // A device with its password set and its Test passed from every node: fencing the plan may trust.
        await Fencing.SetPasswordAsync(ClusterId, Ipmi.Name, "bmc-password");
        await Fencing.TestAsync(ClusterId);
    }

    private static void GoTo(IRenderedComponent<NewClusterWizard> page, string title)
    {
        page.WaitForAssertion(() => page.FindAll(".mud-step").Single(s => s.TextContent.Trim().EndsWith(title, StringComparison.Ordinal)).Click(), Patience);
        WaitForStep(page, title);
    }

    /// <summary>Forward only through Next: the step headers go back, never forward.</summary>
    private static void NextTo(IRenderedComponent<NewClusterWizard> page, string title)
    {
        Next(page);
        WaitForStep(page, title);
    }

    private static string[] Values(IRenderedComponent<NewClusterWizard> page, string selector) =>
        page.FindAll(selector).Select(i => i.GetAttribute("value") ?? "").ToArray();

    [Theory]
    [InlineData(false, true, true, "Network")]
    [InlineData(true, false, true, "Storage")]
    [InlineData(true, true, false, "Services")]
    [InlineData(true, true, true, "Review")]
    public async Task ResumingADraft_LandsOnItsFirstUnfinishedStep(bool vips, bool sharedState, bool fencing, string step)
    {
        await FullDraftAsync(vips, sharedState, fencing);

        var page = RenderWizard();

        WaitForStep(page, step);
        Assert.Empty(page.FindAll(".wizard-blocked"));
    }

    [Fact]
    public async Task ResumingADraftThatWasApplied_LandsOnApply_FollowingItsNewestJob()
    {
        await FullDraftAsync();
        var job = await Provisioning.ApplyAsync(ClusterId);

        var page = RenderWizard();

        WaitForStep(page, "Apply");
        page.WaitForAssertion(() => Assert.Equal("running", page.Find(".job-state").TextContent.Trim()), Patience);
        Provisioning.End(job.Id, JobState.Succeeded);
        page.WaitForAssertion(() => Assert.Equal("succeeded", page.Find(".job-state").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task ResumingAFullDraft_RestoresEveryField()
    {
        await FullDraftAsync();
        var page = RenderWizard();
        WaitForStep(page, "Review");

        GoTo(page, "Cluster");
        Assert.Equal("nas1", page.Find(".wizard-cluster-name input").GetAttribute("value"));
        Assert.Equal("Both", page.Find(".wizard-purpose-choice").GetAttribute("data-purpose"));
        Assert.Contains("file services", Values(page, "input"));

        NextTo(page, "Nodes");
        var rows = page.FindAll(".wizard-nodes tbody tr");
        Assert.Equal(["node1", "node2", "node3"], rows.Select(r => r.Children[0].TextContent.Trim()));
        Assert.All(rows, r => Assert.Contains("nas1-key", r.TextContent));
        Assert.All(rows, r => Assert.NotNull(r.QuerySelector("[data-fingerprint]")));
        Assert.All(page.FindAll(".wizard-nodes .probe-state"), s => Assert.Equal("ready", s.TextContent.Trim()));

        NextTo(page, "Network");
        Assert.Equal(["192.0.2.101", "192.0.2.102"], Values(page, ".vip-address input"));
        Assert.Equal("eth0", page.FindComponent<MudSelect<string>>().Instance.GetState(x => x.Value));

        NextTo(page, "Storage");
        Assert.Equal("/srv/cluster-state/ctdb/reclock", page.Find(".state-recovery-lock input").GetAttribute("value"));
        Assert.Equal("/srv/cluster-state/ganesha", page.Find(".state-ganesha-state input").GetAttribute("value"));

        NextTo(page, "Services");
        var inputs = Values(page, "input");
        Assert.Equal("data", page.Find(".share-name input").GetAttribute("value"));
        Assert.Equal("/srv/data", page.Find(".share-path input").GetAttribute("value"));
        Assert.Contains("team files", inputs);
        Assert.Equal(["alice", "@staff"], page.FindAll(".principal-picker[data-field=validUsers] .mud-chip").Select(c => c.TextContent.Trim()));
        Assert.Equal([true, false], page.FindComponents<MudCheckBox<bool>>().Select(c => c.Instance.GetState(x => x.Value)));
        Assert.Equal("/srv/data", page.Find(".export-path input").GetAttribute("value"));
        Assert.Contains("192.0.2.0/24", inputs);
        Assert.Equal(ExportAccess.ReadOnly, page.FindComponent<MudSelect<ExportAccess>>().Instance.GetState(x => x.Value));
        Assert.Contains("ipmi-node1", inputs);
        Assert.Contains("fence_ipmilan", inputs);
        Assert.Contains("node1 node2 node3", inputs);
        Assert.Equal("198.51.100.21", page.Find(".wizard-fence-devices input[aria-label='Fence option ip']").GetAttribute("value"));
        Assert.Equal("admin", page.Find(".wizard-fence-devices input[aria-label='Fence option username']").GetAttribute("value"));
        Assert.Empty(page.FindAll(".wizard-no-fencing"));

        // Going through again with nothing changed stores nothing new and lands back on the review.
        NextTo(page, "Identity");
        Assert.Equal("Guest", page.Find(".identity-mode-choice").GetAttribute("data-mode"));
        Next(page);
        WaitForStep(page, "Review");
        Assert.Equal((1, 1, 2), (Inventory.Shares.Count, Inventory.Exports.Count, Inventory.VirtualIps.Count));
    }

    [Theory]
    [InlineData(ClusterPurpose.Smb)]
    [InlineData(ClusterPurpose.Nfs)]
    public async Task ResumingADraft_RestoresItsPurpose_AndKeepsWhatThatPurposeDoesNotShow(ClusterPurpose purpose)
    {
        await FullDraftAsync(purpose: purpose);
        var page = RenderWizard();
        WaitForStep(page, "Review");

        GoTo(page, "Cluster");
        Assert.Equal(purpose.ToString(), page.Find(".wizard-purpose-choice").GetAttribute("data-purpose"));
        NextTo(page, "Nodes");
        NextTo(page, "Network");
        NextTo(page, "Storage");
        NextTo(page, "Services");
        Assert.Equal(purpose == ClusterPurpose.Smb, page.FindAll(".wizard-shares").Count == 1);
        Assert.Equal(purpose == ClusterPurpose.Nfs, page.FindAll(".wizard-exports").Count == 1);
        NextTo(page, "Identity");
        Next(page);
        WaitForStep(page, "Review");
        Assert.Equal((1, 1), (Inventory.Shares.Count, Inventory.Exports.Count));
    }

    private void SimulationOfThreeNodes() => Provisioning.Simulations[ClusterId] = new SimulationResult(
        ["node1", "node2", "node3"],
        new ResourcePlacement(new Dictionary<string, IReadOnlyList<string>> { ["vip-192.0.2.101"] = ["node1"], ["vip-192.0.2.102"] = ["node2"] }),
        [new WhatIf(["node1"], true, new ResourcePlacement(new Dictionary<string, IReadOnlyList<string>> { ["vip-192.0.2.101"] = ["node2"], ["vip-192.0.2.102"] = ["node2"] }), [])],
        true, ["crm_verify: warning: resource ctdb has no fencing"]);

    [Fact]
    public async Task Review_ShowsThePlanWithEveryCommand_TheSimulation_AndAPlainSummary()
    {
        await FullDraftAsync();
        SimulationOfThreeNodes();
        var plan = Provisioning.PlanFor(ClusterId);

        var page = RenderWizard();
        WaitForStep(page, "Review");

        page.WaitForAssertion(() => Assert.Equal(plan.Steps.Select(s => s.Id).Order(), page.FindAll(".plan-step").Select(s => s.GetAttribute("data-step") ?? "").Order()), Patience);
        Assert.Contains(plan.Steps[0].CommandLine, page.Find(".plan-step").TextContent);
        Assert.Equal(PlanText.Render(plan), page.Find(".wizard-plan-text pre").TextContent);
        Assert.StartsWith("data:text/plain;charset=utf-8,", page.Find("a.download-plan").GetAttribute("href"));
        page.WaitForAssertion(() => Assert.Contains("crm_verify: warning: resource ctdb has no fencing", page.Find(".verify-findings").TextContent), Patience);
        var summary = page.Find(".wizard-summary").TextContent;
        Assert.Contains("nas1 serves SMB and NFS from 3 nodes (node1 192.0.2.11, node2 192.0.2.12, node3 192.0.2.13)", summary);
        Assert.Contains("2 virtual IPs (192.0.2.101, 192.0.2.102) on eth0", summary);
        Assert.Contains("Fencing: ipmi-node1 (fence_ipmilan)", summary);
        Assert.Equal("Apply", page.Find(".wizard-next").TextContent.Trim());
        Assert.Empty(page.FindAll(".wizard-applied-before"));
    }

    /// <summary>A draft applied by a job that succeeded, reopened and taken back to its review; the drift check finds <paramref name="drift"/>.</summary>
    private async Task<(IRenderedComponent<NewClusterWizard> Page, ProvisioningJob Applied)> ReviewOfAppliedDraftAsync(DriftReport drift)
    {
        await FullDraftAsync();
        SimulationOfThreeNodes();
        var job = await Provisioning.ApplyAsync(ClusterId);
        Provisioning.End(job.Id, JobState.Succeeded);
        Provisioning.Drifts[ClusterId] = drift;
        var page = RenderWizard();
        WaitForStep(page, "Apply");
        Click(page, "Back");
        WaitForStep(page, "Review");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".plan-step")), Patience);
        return (page, job);
    }

    [Fact]
    public async Task Review_OfAClusterAppliedBefore_ChecksTheRunningClusterAgainstThePlan_InSync()
    {
        var (page, applied) = await ReviewOfAppliedDraftAsync(new DriftReport([]));
        page.WaitForAssertion(() => Assert.Contains($"Job #{applied.Id} applied this cluster's plan", page.Find(".wizard-applied-before").TextContent), Patience);

        Click(page, "Check drift");

        page.WaitForAssertion(() => Assert.Contains("In sync", page.Find(".drift .in-sync").TextContent), Patience);
        Assert.Empty(page.FindAll(".drift-item"));
        Assert.Single(Provisioning.Jobs);
    }

    [Fact]
    public async Task Review_OfAClusterThatDrifted_ReappliesFromTheDriftSection_AndFollowsTheNewJob()
    {
        var (page, _) = await ReviewOfAppliedDraftAsync(new DriftReport(
            [new DriftItem(DriftKind.Missing, "vip-192.0.2.102", "Virtual IP 192.0.2.102 is not in the cluster.", ReapplyFixes: true)]));
        Click(page, "Check drift");
        page.WaitForAssertion(() => Assert.Contains("Virtual IP 192.0.2.102 is not in the cluster.", page.Find(".drift-item").TextContent), Patience);

        Click(page, "Re-apply the spec");

        WaitForStep(page, "Apply");
        page.WaitForAssertion(() => Assert.Equal(2, Provisioning.Jobs.Count), Patience);
        page.WaitForAssertion(() => Assert.Equal("running", page.Find(".job-state").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task Apply_FollowsTheJobPerStepAndNode_ShowsAFailedStepsOutput_RetriesFromThere_ThenLinksTheDashboard_AndNamesTheNodesTheHelperWasInstalledOn()
    {
        await FullDraftAsync();
        SimulationOfThreeNodes();
        var page = RenderWizard();
        WaitForStep(page, "Review");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".plan-step")), Patience);

        Click(page, "Apply");
        WaitForStep(page, "Apply");
        var job = Assert.Single(Provisioning.Jobs);
        var first = job.Steps[0];
        page.WaitForAssertion(() => Assert.Equal(job.Steps.Count, page.FindAll(".wizard-job-steps tr").Count), Patience);

        Provisioning.SetStep(job.Id, first.Id, StepState.Running);
        page.WaitForAssertion(() => Assert.Contains("running", page.Find($"tr[data-step='{first.Id}']").TextContent), Patience);
        Provisioning.SetStep(job.Id, first.Id, StepState.Failed, "E: Unable to locate package ctdb");
        Provisioning.End(job.Id, JobState.Failed, "node1 could not install ctdb");
        page.WaitForAssertion(() => Assert.Contains("E: Unable to locate package ctdb", page.Find(".wizard-failed").TextContent), Patience);
        Assert.Contains($"Stopped at “{first.Description}”", page.Find(".wizard-failed").TextContent);
        Assert.Contains("then Retry", page.Find(".wizard-failed").TextContent);
        Assert.All(page.FindAll($"tr[data-step='{first.Id}'] .node-run"), run => Assert.Contains("mud-chip-color-error", run.ClassName));

        Click(page, "Retry");
        page.WaitForAssertion(() => Assert.Equal(2, Provisioning.Jobs.Count), Patience);
        var retry = Provisioning.Jobs[1];
        page.WaitForAssertion(() => Assert.Equal("running", page.Find(".job-state").TextContent.Trim()), Patience);
        Provisioning.SetStep(retry.Id, "node-helper", StepState.Done, "installed /usr/local/sbin/storageha-node\nstorageha-node 0.1.0");
        Provisioning.SetStep(retry.Id, StorageHa.Shared.Serving.ServeCheck.StepId, StepState.Done, "@@serve\tok\tshare\tpublic\n@@serve\tok\tvip\t192.0.2.101\n");
        Provisioning.End(retry.Id, JobState.Succeeded);

        page.WaitForAssertion(() => Assert.Equal($"dashboard/{ClusterId}", page.Find(".wizard-dashboard-link").GetAttribute("href")), Patience);
        Assert.Equal("Node helper: storageha-node is installed on node1, node2, node3. It sends tickle ACKs when a virtual IP moves, so the clients reconnect at once.",
            System.Text.RegularExpressions.Regex.Replace(page.Find(".helper-result").TextContent.Trim(), @"\s+", " "));
        Assert.Equal("Served: 1 share, 0 exports and 1 virtual IP checked on 3 node(s).", page.Find(".serve-result").TextContent.Trim());
    }
}
