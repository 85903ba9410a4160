using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StorageHa.Shared.State;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static StorageHa.EndToEnd.Tests.ConsolePages;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// A new admin's whole path, in real headless Chromium against the real console and three freshly installed lab
/// nodes: first run, the lab's key, then the setup wizard from an empty console to a running CTDB + Samba cluster whose
/// every VIP serves the share to a real SMB client — and the same wizard opened again on it proposes nothing to change.
/// The nodes are systemd servers just reinstalled (Debian's own one-node cluster running), reached as the user admin
/// with passwordless sudo, as on servers that refuse root login.
/// </summary>
[Collection(SystemdE2eLabCollection.Name)]
public sealed class WizardToRunningClusterTests(SystemdE2eLab fixture, ITestOutputHelper output)
{
    private const string AdminPassword = "Lab-admin-pass-1";
    private const string ClusterName = "wiznas";
    private const string Share = "public";
    private const string SharedFile = "hello.txt";
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(60);
    /// <summary>Three probes in parallel on a loaded machine.</summary>
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromMinutes(3);
    /// <summary>crm_simulate for all nodes up, each node and each pair failed.</summary>
    private static readonly TimeSpan SimulationLimit = TimeSpan.FromMinutes(3);
    /// <summary>The apply takes about four minutes under load: packages checked, corosync formed, CTDB settled.</summary>
    private static readonly TimeSpan ApplyLimit = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan StartedLimit = TimeSpan.FromMinutes(3);

    private readonly Stopwatch _clock = new();

    /// <summary>The lab's command (ssh into a node as its root console).</summary>
    private LabCommand Lab => fixture.Lab;

    /// <summary>Three freshly installed servers; the wizard logs in to them as admin.</summary>
    private async Task<LabDescription> PrepareAsync()
    {
        var lab = await fixture.FreshServersAsync();
        return lab with { Nodes = lab.Nodes.Take(3).ToList(), Ssh = lab.Ssh with { User = lab.User("admin").Name } };
    }

    [Fact]
    public async Task NewAdmin_BuildsTheLabClusterWithTheWizard_EveryResourceStarts_EachVipServesTheShare_AndTheWizardAgainProposesNoChange()
    {
        RequiredTool.Require(RequiredTool.Chromium, RequiredTool.SmbClient, RequiredTool.SambaFileId);
        _clock.Start();
        var lab = await PrepareAsync();
        Log($"{lab.Nodes.Count} freshly installed systemd servers, logged in as {lab.Ssh.User}");
        var data = Path.Combine(lab.SharedDirectory, "data");
        Directory.CreateDirectory(data);
        var served = $"written by the test at {DateTimeOffset.UtcNow:O}\n";
        await File.WriteAllTextAsync(Path.Combine(data, SharedFile), served);
        await BuildAndCheckAsync(lab, served);
    }

    private async Task BuildAndCheckAsync(LabDescription lab, string served)
    {
        var shots = new Screenshots("wizard");
        SetDefaultExpectTimeout(Ms(Step));
        await using var console = await RunningConsole.InNamespace(lab.ClientNamespace, lab.ClientAddress, adminPassword: null);
        await using var chromium = await HeadlessChromium.LaunchAsync(lab.ClientNamespace);
        await using var context = await chromium.NewContextAsync(console.BaseAddress);
        context.SetDefaultTimeout(Ms(Step));
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);
        Log($"console and Chromium in {lab.ClientNamespace} on {console.BaseAddress}");
        try
        {
            await CreateFirstAdminAsync(page, shots, "admin", AdminPassword);
            await AddPrivateKeyCredentialAsync(page, shots, "lab-key", await File.ReadAllTextAsync(lab.Ssh.ClientKey));
            Log("first admin made, the lab's key stored");

            await page.GetByRole(AriaRole.Link, new() { Name = "New cluster" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
            var clusterId = await ClusterStepAsync(page, shots);
            await NodesStepAsync(page, shots, lab);
            await NetworkStepAsync(page, shots, lab);
            await StorageStepAsync(page, shots, lab);
            await ServicesStepAsync(page, shots, lab);
            await IdentityStepAsync(page, shots);
            await ReviewStepAsync(page, shots, lab, readmeName: "wizard-review");

            var applyAt = _clock.Elapsed;
            await NextAsync(page, page.Locator(".wizard-job-steps"));
            var applied = await ApplyStepAsync(page, shots, "wizard-apply");
            Log($"apply job succeeded {(_clock.Elapsed - applyAt).TotalSeconds:0.0} s after Apply");
            Log($"its steps of 0.5 s or more: {await SlowStepsAsync(page, clusterId)}");
            await Expect(applied).ToContainTextAsync("The cluster is built.");

            await applied.Locator(".wizard-dashboard-link").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/dashboard/{clusterId}$"));
            await WaitForCircuitAsync(page);
            await EveryResourceStartedAsync(page, lab);
            var applyToStarted = _clock.Elapsed - applyAt;
            await page.Mouse.MoveAsync(0, 0);
            await shots.TakeAsync(page, "wizard-dashboard");
            Log($"dashboard shows every resource started: Apply → all Started took {applyToStarted.TotalSeconds:0.0} s");

            foreach (var vip in lab.FreeAddresses.Take(2))
            {
                Assert.Contains(served.Trim(), await LabClient.GetSmbAsync(lab, vip, Share, SharedFile), StringComparison.Ordinal);
                Log($"smbclient in {lab.ClientNamespace} read //{vip}/{Share}/{SharedFile}");
            }

            await WizardAgainProposesNoChangeAsync(page, shots, lab, clusterId);
            Assert.True(problems.Count == 0, "The browser saw errors:\n" + string.Join("\n", problems));
            output.WriteLine($"Wall time: whole run {_clock.Elapsed.TotalSeconds:0.0} s (with the lab reset before, without the one after); " +
                $"Apply → every resource Started {applyToStarted.TotalSeconds:0.0} s");
        }
        catch
        {
            await shots.TakeAsync(page, "failure");
            output.WriteLine($"Screenshots: {shots.Here}\nConsole output:\n{console.Output}");
            throw;
        }
    }

    /// <summary>Name and purpose; the cluster is stored at once and the wizard moves to its own address.</summary>
    private async Task<long> ClusterStepAsync(IPage page, Screenshots shots)
    {
        await page.Locator(".wizard-cluster-name input").FillAsync(ClusterName);
        await page.GetByText("SMB (Windows and macOS clients, Samba with CTDB)").ClickAsync();
        await Expect(page.Locator(".wizard-purpose-choice")).ToHaveAttributeAsync("data-purpose", "Smb");
        await shots.TakeAsync(page, "wizard-cluster");
        await NextAsync(page, page.Locator(".wizard-add-node"));
        await Expect(page).ToHaveURLAsync(new Regex(@"/setup/\d+$"));
        Log("cluster step stored");
        return long.Parse(Regex.Match(page.Url, @"/setup/(\d+)$").Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Every node by address with the lab's key, its host key accepted only at lab.json's fingerprint, then all probed.</summary>
    private async Task NodesStepAsync(IPage page, Screenshots shots, LabDescription lab)
    {
        // The only credential, the lab's key, is chosen for the admin.
        await Expect(page.Locator(".wizard-credential")).ToContainTextAsync("lab-key (SSH key)");
        var form = page.Locator(".wizard-add-node");
        foreach (var node in lab.Nodes)
        {
            await form.GetByLabel("Node name", new() { Exact = true }).FillAsync(node.Name);
            await form.GetByLabel("Node address", new() { Exact = true }).FillAsync(node.Address);
            await form.GetByLabel("SSH port", new() { Exact = true }).FillAsync(node.SshPort.ToString(CultureInfo.InvariantCulture));
            await form.GetByLabel("SSH user", new() { Exact = true }).FillAsync(lab.Ssh.User);
            await form.GetByRole(AriaRole.Button, new() { Name = "Add node" }).ClickAsync();
            await Expect(NodeRow(page, node)).ToContainTextAsync("lab-key");
            // The form empties itself for the next node: typing before that would be lost.
            await Expect(form.GetByLabel("Node address", new() { Exact = true })).ToHaveValueAsync("");
        }
        foreach (var node in lab.Nodes)
        {
            await NodeRow(page, node).GetByRole(AriaRole.Button, new() { Name = "Check host key" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            // The admin's comparison: what the node offers must be what the lab recorded when it made the key.
            await Expect(dialog.Locator(".offered-fingerprint")).ToHaveTextAsync(node.HostKeyFingerprint);
            if (node == lab.Nodes[0]) await shots.TakeAsync(page, "wizard-host-key");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
            await ConsolePages.ExpectClosedAsync(dialog);
            await Expect(NodeRow(page, node).Locator("[data-fingerprint]")).ToHaveAttributeAsync("data-fingerprint", node.HostKeyFingerprint);
        }
        Log("three nodes added, host keys accepted at lab.json's fingerprints");

        await page.GetByRole(AriaRole.Button, new() { Name = "Probe all nodes" }).ClickAsync();
        foreach (var node in lab.Nodes)
        {
            var state = NodeRow(page, node).Locator(".probe-state");
            await Expect(state).ToHaveTextAsync(new Regex(@"^(ready|\d+ to fix|failed)"), new() { Timeout = Ms(ProbeLimit) });
            await Expect(state).ToHaveTextAsync(new Regex("^ready"));
        }
        await DismissMessagesAsync(page);
        await shots.TakeAsync(page, "wizard-nodes", "wizard-nodes");
        Log("every node probed and ready");
        await NextAsync(page, page.Locator(".wizard-vip-nic"));
    }

    /// <summary>The lab's NIC for the VIPs and its first two free addresses.</summary>
    private async Task NetworkStepAsync(IPage page, Screenshots shots, LabDescription lab)
    {
        var nic = page.Locator(".wizard-vip-nic input").First; // MudSelect keeps its value in a hidden input
        await page.Locator(".wizard-vip-nic").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(lab.Nic)}\\s*$") }).ClickAsync();
        await Expect(nic).ToHaveValueAsync(lab.Nic);
        var rows = page.Locator(".wizard-vips tbody tr");
        foreach (var (vip, i) in lab.FreeAddresses.Take(2).Select((v, i) => (v, i)))
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Add virtual IP" }).ClickAsync();
            await Expect(rows).ToHaveCountAsync(i + 1);
            var inputs = rows.Nth(i).Locator("input");
            await inputs.Nth(0).FillAsync(vip);
            await inputs.Nth(1).FillAsync(lab.PrefixLength.ToString(CultureInfo.InvariantCulture));
            await inputs.Nth(1).BlurAsync();
            await Expect(inputs.Nth(1)).ToHaveValueAsync(lab.PrefixLength.ToString(CultureInfo.InvariantCulture));
        }
        await shots.TakeAsync(page, "wizard-network");
        await NextAsync(page, page.Locator(".state-recovery-lock"));
        Log($"network step stored: VIPs {string.Join(", ", lab.FreeAddresses.Take(2))}/{lab.PrefixLength} on {lab.Nic}");
    }

    /// <summary>CTDB's recovery lock on the lab's shared directory.</summary>
    private async Task StorageStepAsync(IPage page, Screenshots shots, LabDescription lab)
    {
        var reclock = page.Locator(".state-recovery-lock input");
        await reclock.FillAsync(Path.Combine(lab.SharedDirectory, "ctdb", "reclock"));
        await reclock.BlurAsync();
        await Expect(page.Locator(".wizard-state-places tbody tr")).ToHaveCountAsync(lab.Nodes.Count);
        await shots.TakeAsync(page, "wizard-storage");
        await NextAsync(page, page.Locator(".wizard-shares"));
        Log("storage step stored");
    }

    /// <summary>One read-only guest share on the shared directory, and no fencing, acknowledged.</summary>
    private async Task ServicesStepAsync(IPage page, Screenshots shots, LabDescription lab)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add share" }).ClickAsync();
        var share = page.Locator(".wizard-shares tbody tr").First;
        await share.Locator(".share-name input").FillAsync(Share);
        await share.Locator(".share-path input").FillAsync(Path.Combine(lab.SharedDirectory, "data"));
        await TickAsync(share.Locator("td").Nth(3)); // read-only
        await TickAsync(share.Locator("td").Nth(4)); // guests
        await TickAsync(page.Locator(".wizard-acknowledge-no-fencing"));
        await shots.TakeAsync(page, "wizard-services");
        await NextAsync(page, page.Locator(".wizard-identity"));
        Log("services step stored");
    }

    /// <summary>Guest only, the default (today's behaviour): the share above is a guest share.</summary>
    private async Task IdentityStepAsync(IPage page, Screenshots shots)
    {
        await Expect(page.Locator(".identity-mode-choice")).ToHaveAttributeAsync("data-mode", "Guest");
        await Expect(page.Locator(".identity-domain")).ToHaveCountAsync(0);
        await shots.TakeAsync(page, "wizard-identity");
        await NextAsync(page, page.Locator(".wizard-summary"));
        await Expect(page.Locator(".wizard-summary")).ToContainTextAsync("Logins: none, guests only.");
        Log("identity step: guest only");
    }

    /// <summary>The summary, the plan with no blocker, and Pacemaker's simulation of it.</summary>
    private async Task ReviewStepAsync(IPage page, Screenshots shots, LabDescription lab, string? readmeName)
    {
        var summary = page.Locator(".wizard-summary");
        await Expect(summary).ToContainTextAsync($"{ClusterName} serves SMB from {lab.Nodes.Count} nodes");
        foreach (var vip in lab.FreeAddresses.Take(2)) await Expect(summary).ToContainTextAsync(vip);
        await Expect(page.Locator(".wizard-plan")).ToBeVisibleAsync();
        await Expect(page.Locator(".plan-refused")).ToHaveCountAsync(0);
        await Expect(page.Locator(".plan-blocker")).ToHaveCountAsync(0);
        await Expect(page.Locator(".wizard-plan .plan-step").First).ToBeAttachedAsync();
        await Expect(page.Locator(".simulation .verify-result")).ToBeVisibleAsync(new() { Timeout = Ms(SimulationLimit) });
        await Expect(page.Locator(".simulation .placement-table")).ToContainTextAsync(lab.FreeAddresses[0]);
        await page.Mouse.MoveAsync(0, 0);
        await shots.TakeAsync(page, "wizard-review", readmeName);
        Log("review shows the plan, no blocker, and the simulation");
    }

    /// <summary>Waits for the job to end; it must succeed. Returns the success message.</summary>
    private async Task<ILocator> ApplyStepAsync(IPage page, Screenshots shots, string? readmeName)
    {
        await Expect(page.Locator(".wizard-job-steps")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "wizard-applying");
        await Expect(page.Locator(".wizard-done, .wizard-failed")).ToBeVisibleAsync(new() { Timeout = Ms(ApplyLimit) });
        if (await page.Locator(".wizard-failed").CountAsync() > 0)
            Assert.Fail("The apply job failed: " + await page.Locator(".wizard-failed").InnerTextAsync());
        await page.Mouse.MoveAsync(0, 0);
        await shots.TakeAsync(page, "wizard-applied", readmeName);
        return page.Locator(".wizard-done");
    }

    /// <summary>
    /// The dashboard reads healthy, and every resource instance crm_mon lists runs (none stopped, none failed) and shows
    /// on its node's card.
    /// </summary>
    private async Task EveryResourceStartedAsync(IPage page, LabDescription lab)
    {
        foreach (var node in lab.Nodes)
            await Expect(page.Locator($".node-card[data-node='{node.Name}'] .node-status")).ToHaveTextAsync("online", new() { Timeout = Ms(StartedLimit) });
        await Expect(page.Locator(".cluster-health")).ToHaveTextAsync("Healthy", new() { Timeout = Ms(StartedLimit) });
        await Expect(page.Locator(".stopped-vips")).ToHaveCountAsync(0);
        await Expect(page.Locator(".failures")).ToHaveCountAsync(0);

        var state = CrmMonParser.Parse(await Lab.SshAsync(lab.Nodes[0].Name, "crm_mon -1 --output-as=xml"));
        Assert.NotEmpty(state.Instances);
        Assert.All(state.Instances, i => Assert.True(i.IsRunning && !i.Failed, $"{i.Id} is {i.Role} on {i.Node ?? "no node"}{(i.Failed ? ", failed" : "")}"));
        Assert.Empty(state.Failures);
        foreach (var instance in state.Instances)
        {
            var card = page.Locator($".node-card[data-node='{instance.Node}']");
            var shown = instance.IsVirtualIp ? card.Locator($"[data-vip='{instance.Id}']")
                : card.Locator(".node-resource", new() { HasTextRegex = new Regex($@"^\s*{Regex.Escape(instance.Id)}(\s|$)") });
            await Expect(shown.First).ToBeVisibleAsync(new() { Timeout = Ms(StartedLimit) });
        }
        Log($"crm_mon: {state.Instances.Count} resource instances, all started, each on its node's card");
    }

    /// <summary>Opened again on the finished cluster, the wizard's review finds the live cluster as planned and applying changes nothing.</summary>
    private async Task WizardAgainProposesNoChangeAsync(IPage page, Screenshots shots, LabDescription lab, long clusterId)
    {
        await page.GotoAsync($"/setup/{clusterId}");
        await WaitForCircuitAsync(page);
        // Every step is complete, so the wizard opens on the job that applied it.
        await Expect(page.Locator(".wizard-done")).ToContainTextAsync("The cluster is built.");
        await shots.TakeAsync(page, "wizard-reopened");
        await page.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        await ReviewStepAsync(page, shots, lab, readmeName: null);
        await Expect(page.Locator(".wizard-applied-before")).ToBeVisibleAsync();
        var drift = page.Locator(".drift");
        await drift.GetByRole(AriaRole.Button, new() { Name = "Check drift" }).ClickAsync();
        await Expect(drift.Locator(".in-sync").Or(drift.Locator(".drift-item")).First).ToBeVisibleAsync();
        if (await drift.Locator(".drift-item").CountAsync() > 0)
            Assert.Fail("The running cluster drifted from the plan it was built from:\n" + await drift.InnerTextAsync());
        await Expect(drift.Locator(".in-sync")).ToContainTextAsync("In sync: the cluster runs exactly what the spec says.");
        await drift.ScrollIntoViewIfNeededAsync();
        await shots.TakeAsync(page, "wizard-review-again", "wizard-review-again");
        Log("the wizard opened again: its review finds the live cluster as planned");

        var again = _clock.Elapsed;
        await NextAsync(page, page.Locator(".wizard-job-steps"));
        var done = await ApplyStepAsync(page, shots, readmeName: null);
        var changed = await page.Locator(".wizard-job-steps tr")
            .Filter(new() { Has = page.Locator(".mud-chip", new() { HasTextRegex = new Regex(@"^\s*done\s*$") }) }).AllInnerTextsAsync();
        Assert.True(changed.Count == 0, "Applying again changed: " + string.Join("; ", changed.Select(c => c.ReplaceLineEndings(" "))));
        await Expect(done).ToContainTextAsync("Everything was already in place: nothing changed.");
        Log($"applied again: every step already done, {(_clock.Elapsed - again).TotalSeconds:0.0} s");
    }

    /// <summary>Next stores the step and shows <paramref name="arrived"/>, or says why not: the test fails with the wizard's own reasons.</summary>
    private static async Task NextAsync(IPage page, ILocator arrived)
    {
        await page.Locator(".wizard-next").ClickAsync();
        var blocked = page.Locator(".wizard-blocked");
        await Expect(arrived.Or(blocked).First).ToBeVisibleAsync();
        if (await blocked.CountAsync() > 0)
            Assert.Fail("The wizard refused Next: " + await blocked.InnerTextAsync());
    }

    /// <summary>Ticks a MudBlazor checkbox as the admin does, by its label, and sees it ticked.</summary>
    private static async Task TickAsync(ILocator holder)
    {
        await holder.Locator("label").First.ClickAsync();
        await Expect(holder.Locator("input[type=checkbox]")).ToBeCheckedAsync();
    }

    private static ILocator NodeRow(IPage page, LabNode node) => page.Locator(".wizard-nodes tbody tr", new() { HasText = node.Address });

    private static float Ms(TimeSpan t) => (float)t.TotalMilliseconds;

    /// <summary>The cluster's last job's steps that took half a second or more, slowest first, as the console's API reports them.</summary>
    private static async Task<string> SlowStepsAsync(IPage page, long clusterId)
    {
        // Fetched by the page itself: only Chromium is in the lab's client namespace with the console, and it has the login.
        var json = await page.EvaluateAsync<string>("async url => await (await fetch(url)).text()", $"/api/clusters/{clusterId}/jobs");
        using var jobs = System.Text.Json.JsonDocument.Parse(json);
        var job = jobs.RootElement.EnumerateArray().MaxBy(j => j.GetProperty("id").GetInt64());
        return string.Join(", ", job.GetProperty("steps").EnumerateArray()
            .Select(s => (Id: s.GetProperty("id").GetString(), Seconds: s.GetProperty("runs").EnumerateArray()
                .Select(r => r.GetProperty("seconds").ValueKind == System.Text.Json.JsonValueKind.Number ? r.GetProperty("seconds").GetDouble() : 0).DefaultIfEmpty(0).Max()))
            .Where(s => s.Seconds >= 0.5).OrderByDescending(s => s.Seconds).Select(s => $"{s.Id} {s.Seconds:0.0} s"));
    }

    private void Log(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
}
