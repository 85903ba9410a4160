using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using StorageHa.TestSupport.Sshd;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static StorageHa.EndToEnd.Tests.ConsolePages;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// The console's first ten minutes, in a real browser against the real console process and a real OpenSSH server:
/// nothing here is stubbed, and the facts it checks are read from this machine, which the test sshd serves.
/// </summary>
public sealed class FirstRunToProbeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbeLimit = TimeSpan.FromSeconds(90);
    private const string AdminPassword = "Lab-admin-pass-1";

    [Fact]
    public async Task Admin_SetsUpConsole_AddsNode_AcceptsItsHostKey_Probes_AndSeesTheNodesFacts()
    {
        var clock = Stopwatch.StartNew();
        await using var sshd = await TestSshd.StartAsync();
        var clientKey = await sshd.CreateAuthorizedKeyAsync("ed25519");
        await using var console = await RunningConsole.StartAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var context = await chromium.NewContextAsync(console.BaseAddress);
        context.SetDefaultTimeout((float)Step.TotalMilliseconds);
        SetDefaultExpectTimeout((float)Step.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);
        var shots = new Screenshots();
        output.WriteLine($"{clock.Elapsed.TotalSeconds,5:0.0} s  sshd, console and Chromium started");
        try
        {
            await StepAsync("FirstRunCreatesTheAdminAndSignsIn", () => FirstRunCreatesTheAdminAndSignsIn(page, shots));
            await StepAsync("TheConsoleStylesheetAndScriptsLoad", () => TheConsoleStylesheetAndScriptsLoad(page));
            await StepAsync("AddPrivateKeyCredential", () => AddPrivateKeyCredentialAsync(page, shots, "lab-key", clientKey, readme: true));
            await StepAsync("AddCluster", () => AddCluster(page, shots));
            await StepAsync("AddNode", () => AddNode(page, shots, sshd));
            await StepAsync("AcceptHostKeyAfterComparingFingerprint", () => AcceptHostKeyAfterComparingFingerprint(page, shots, sshd));
            await StepAsync("ProbeShowsThisMachinesFacts", () => ProbeShowsThisMachinesFacts(page, shots));
            await StepAsync("DarkModeShowsTheSameFacts", () => DarkModeShowsTheSameFacts(page, shots));
            await StepAsync("LogoutAndUnauthenticatedVisitLeadToLogin", () => LogoutAndUnauthenticatedVisitLeadToLogin(page, shots));
            await StepAsync("SigningInAgainShowsTheStoredProbe", () => SigningInAgainShowsTheStoredProbe(page, shots));
            Assert.True(problems.Count == 0, "The browser saw errors:\n" + string.Join("\n", problems));
        }
        catch
        {
            await shots.TakeAsync(page, "failure");
            output.WriteLine($"Screenshots: {Screenshots.Folder}\nConsole output:\n{console.Output}\nsshd log:\n{sshd.Log}");
            throw;
        }
        output.WriteLine($"End-to-end flow took {clock.Elapsed.TotalSeconds:0.0} s; screenshots in {Screenshots.Folder}");
    }

    private async Task StepAsync(string name, Func<Task> step)
    {
        var clock = Stopwatch.StartNew();
        await step();
        output.WriteLine($"{clock.Elapsed.TotalSeconds,5:0.0} s  {name}");
    }

    private static async Task FirstRunCreatesTheAdminAndSignsIn(IPage page, Screenshots shots)
    {
        await CreateFirstAdminAsync(page, shots, "admin", AdminPassword, readmeName: "first-run");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clusters" })).ToBeVisibleAsync();
        await shots.TakeAsync(page, "signed-in-no-clusters");
    }

    /// <summary>Run from the test's bin folder, the console must still find MudBlazor's static files (UseStaticWebAssets).</summary>
    private static async Task TheConsoleStylesheetAndScriptsLoad(IPage page)
    {
        foreach (var asset in new[] { "_content/MudBlazor/MudBlazor.min.css", "_content/MudBlazor/MudBlazor.min.js", "app.css", "_framework/blazor.web.js" })
        {
            var response = await page.APIRequest.GetAsync(asset);
            Assert.True(response.Ok, $"GET /{asset} answered {response.Status}");
        }
        // The theme really applies: MudBlazor's app bar is fixed at the top, which only its stylesheet says.
        Assert.Equal("fixed", await page.Locator(".mud-appbar").EvaluateAsync<string>("e => getComputedStyle(e).position"));
    }

    private static async Task AddCluster(IPage page, Screenshots shots)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Clusters" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/clusters$"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Add cluster" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("lab");
        await dialog.GetByLabel("Description", new() { Exact = true }).FillAsync("Two-node SMB and NFS lab");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await ConsolePages.ExpectClosedAsync(dialog);

        var link = page.GetByRole(AriaRole.Link, new() { Name = "lab", Exact = true });
        await Expect(link).ToBeVisibleAsync();
        await DismissMessagesAsync(page);
        await shots.TakeAsync(page, "clusters", "clusters");
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/clusters/\\d+$"));
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = "Nodes" })).ToBeVisibleAsync();
    }

    private static async Task AddNode(IPage page, Screenshots shots, TestSshd sshd)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add node" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync("node1");
        await dialog.GetByLabel("Address", new() { Exact = true }).FillAsync(sshd.Address);
        await dialog.GetByLabel("SSH port", new() { Exact = true }).FillAsync(sshd.Port.ToString());
        await dialog.GetByLabel("SSH user", new() { Exact = true }).FillAsync(sshd.User);
        // The only credential is chosen for the admin.
        await Expect(dialog.GetByRole(AriaRole.Combobox, new() { Name = "Credential" })).ToHaveValueAsync("lab-key");
        await shots.TakeAsync(page, "node-dialog", "add-node");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await ConsolePages.ExpectClosedAsync(dialog);

        var row = NodeRow(page);
        await Expect(row).ToContainTextAsync($"{sshd.Address}:{sshd.Port}");
        await Expect(row).ToContainTextAsync(sshd.User);
        await Expect(row).ToContainTextAsync("lab-key");
        await Expect(row).ToContainTextAsync("not accepted");
        // No probing a node whose identity nobody has checked.
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Probe" })).ToBeDisabledAsync();
    }

    private static async Task AcceptHostKeyAfterComparingFingerprint(IPage page, Screenshots shots, TestSshd sshd)
    {
        await NodeRow(page).GetByRole(AriaRole.Button, new() { Name = "Host key" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByText("Host key of node1")).ToBeVisibleAsync();
        await Expect(dialog.GetByText("First contact with node1")).ToBeVisibleAsync();
        // What the admin compares must be the key the server really has, as ssh-keygen prints it.
        Assert.StartsWith("SHA256:", sshd.HostKeyFingerprint);
        await Expect(dialog.Locator(".offered-fingerprint")).ToHaveTextAsync(sshd.HostKeyFingerprint);
        await shots.TakeAsync(page, "host-key-dialog", "host-key");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        await ConsolePages.ExpectClosedAsync(dialog);
        await Expect(page.GetByText("Host key of node1 accepted.")).ToBeVisibleAsync();
        var pinned = NodeRow(page).Locator(".host-key [data-fingerprint]");
        await Expect(pinned).ToHaveAttributeAsync("data-fingerprint", sshd.HostKeyFingerprint);
        await Expect(pinned).ToHaveTextAsync(sshd.HostKeyFingerprint[..19] + "…");
    }

    private static async Task ProbeShowsThisMachinesFacts(IPage page, Screenshots shots)
    {
        var probe = NodeRow(page).GetByRole(AriaRole.Button, new() { Name = "Probe" });
        await Expect(probe).ToBeEnabledAsync();
        await probe.ClickAsync();
        var facts = page.Locator(".node-facts");
        await Expect(facts).ToBeVisibleAsync(new() { Timeout = (float)ProbeLimit.TotalMilliseconds });
        await ExpectThisMachinesFactsAsync(facts);
        await Expect(NodeRow(page)).Not.ToContainTextAsync("never");

        await DismissMessagesAsync(page);
        await shots.TakeAsync(page, "cluster-nodes", "cluster-nodes");
        await page.EvaluateAsync("() => document.querySelector('.node-facts').scrollIntoView({ block: 'start' })");
        await shots.TakeAsync(page, "probe-facts", "probe-facts");
    }

    private static async Task DarkModeShowsTheSameFacts(IPage page, Screenshots shots)
    {
        const string background = "() => getComputedStyle(document.body).backgroundColor";
        var light = await page.EvaluateAsync<string>(background);
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Toggle dark mode" });
        await toggle.ClickAsync();
        await page.WaitForFunctionAsync($"light => ({background})() !== light", light);
        await page.Mouse.MoveAsync(640, 790); // no tooltip over the picture
        await Expect(page.Locator(".node-facts")).ToBeVisibleAsync();
        await shots.TakeAsync(page, "probe-facts-dark", "probe-facts-dark");
        await toggle.ClickAsync();
    }

    private static async Task LogoutAndUnauthenticatedVisitLeadToLogin(IPage page, Screenshots shots)
    {
        var clusterPage = new Uri(page.Url).PathAndQuery;
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();

        await page.GotoAsync(clusterPage);
        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl=" + Regex.Escape(Uri.EscapeDataString(clusterPage)), RegexOptions.IgnoreCase));
        await Expect(page.GetByText("node1")).ToHaveCountAsync(0);
        await shots.TakeAsync(page, "login", "login");

        await page.Locator("#username").FillAsync("admin");
        await page.Locator("#password").FillAsync("not-the-password");
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(StorageHa.Server.Api.SignInApi.SignInRefused);
    }

    private static async Task SigningInAgainShowsTheStoredProbe(IPage page, Screenshots shots)
    {
        await page.Locator("#username").FillAsync("admin");
        await page.Locator("#password").FillAsync(AdminPassword);
        await page.Locator("#sign-in").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/clusters/\\d+$"));
        await WaitForCircuitAsync(page);

        // The probe was stored: its time links to the same facts.
        var lastProbe = NodeRow(page).Locator("td[data-label='Last probe'] .mud-link");
        await lastProbe.ClickAsync();
        await ExpectThisMachinesFactsAsync(page.Locator(".node-facts"));
        await shots.TakeAsync(page, "signed-in-again-last-probe");
    }

    /// <summary>The test sshd runs on this machine, so the probe must report what this machine says about itself.</summary>
    private static async Task ExpectThisMachinesFactsAsync(ILocator facts)
    {
        var hostname = (await File.ReadAllTextAsync("/proc/sys/kernel/hostname")).Trim();
        var kernel = (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease")).Trim();
        var osName = OsReleaseField("PRETTY_NAME");
        Assert.Contains("Debian", osName);

        await Expect(facts).ToContainTextAsync($"Hostname {hostname}");
        await Expect(facts).ToContainTextAsync($"OS {osName}");
        await Expect(facts).ToContainTextAsync($"Kernel {kernel}");

        var pacemaker = facts.Locator(".packages tr", new() { Has = facts.Page.Locator("td", new() { HasTextRegex = new Regex("^pacemaker$") }) });
        await Expect(pacemaker).ToHaveCountAsync(1);
        var version = await InstalledVersionAsync("pacemaker");
        await Expect(pacemaker).ToContainTextAsync(version ?? "missing");

        // Findings say what is left to do, or that nothing is.
        var findings = await facts.Locator(".finding").CountAsync();
        if (findings == 0)
            await Expect(facts.GetByText("Nothing missing")).ToBeVisibleAsync();
    }

    private static ILocator NodeRow(IPage page) => page.Locator("table.nodes tr, .nodes table tr", new() { HasText = "node1" });

    private static string OsReleaseField(string field)
    {
        var line = File.ReadLines("/etc/os-release").First(l => l.StartsWith(field + "=", StringComparison.Ordinal));
        return line[(field.Length + 1)..].Trim('"');
    }

    private static async Task<string?> InstalledVersionAsync(string package)
    {
        var info = new ProcessStartInfo("dpkg-query") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-W", "-f", "${db:Status-Status} ${Version}", package }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var text = (await process.StandardOutput.ReadToEndAsync()).Trim();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && text.StartsWith("installed ", StringComparison.Ordinal) ? text["installed ".Length..] : null;
    }
}
