using System.Globalization;
using StorageHa.EndToEnd.Tests;
using StorageHa.Shared.Commands;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Benchmarks;

/// <summary>
/// Event → browser DOM latency on a lab of its own ("sha-lat"): the real console process and headless Chromium on the
/// lab's network, the dashboard open; each trial puts a node in standby (then back) with crm_standby on another node
/// and times the moment the node's card says so in the page (a MutationObserver in the page, same machine clock).
/// The CIB changes while crm_standby runs, so the true latency lies between "from command start" and "from its return".
/// <c>--mode polling|events|both</c> (default both): the monitor polling crm_mon, or watching the node helper's watch-state.
/// </summary>
internal static class DomLatency
{
    private sealed class LatencyLab : LabFixture
    {
        public LatencyLab() : base("sha-lat") { }
    }

    private const string WhenShown = """
        ([node, want]) => new Promise(resolve => {
            const shown = () => document.querySelector(`.node-card[data-node='${node}'] .node-status`)?.textContent.trim() === want;
            if (shown()) { resolve(Date.now()); return; }
            const watch = new MutationObserver(() => { if (shown()) { watch.disconnect(); resolve(Date.now()); } });
            watch.observe(document.body, { subtree: true, childList: true, characterData: true });
        })
        """;

    public static int Print(TextWriter output, string[] args)
    {
        var i = Array.IndexOf(args, "--trials");
        var trials = i >= 0 ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 10;
        var m = Array.IndexOf(args, "--mode");
        var mode = m >= 0 ? args[m + 1] : "both";
        if (mode is not ("events" or "polling" or "both"))
        {
            Console.Error.WriteLine("latency --mode: events, polling or both");
            return 2;
        }
        return RunAsync(output, trials, mode == "both" ? ["polling", "events"] : [mode]).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(TextWriter output, int trials, IReadOnlyList<string> modes)
    {
        var lab = new LatencyLab();
        await lab.InitializeAsync();
        try
        {
            foreach (var mode in modes) await MeasureAsync(output, lab, trials, mode);
            return 0;
        }
        finally
        {
            await lab.DisposeAsync();
        }
    }

    /// <summary>
    /// One console with the monitor polling (StorageHa:Monitor:Events=false) or watching events; for events the console
    /// first deploys its node helper to every node (its watch-state), and the monitor's status must say "(events)" before
    /// and after the trials, or the figures would be polling's.
    /// </summary>
    private static async Task MeasureAsync(TextWriter output, LabFixture lab, int trials, string mode)
    {
        var description = lab.Description;
        var events = mode == "events";
        var settings = new Dictionary<string, string> { ["StorageHa__Monitor__Events"] = events ? "true" : "false" };
        await using var console = await LabConsole.StartAsync(description, new Screenshots("latency"), TimeSpan.FromSeconds(30), settings);
        if (events) await ConsolePages.ApiAsync(console.Page, "POST", $"/api/clusters/{console.ClusterId}/helper");
        await console.OpenDashboardAsync(description, TimeSpan.FromSeconds(60));
        var expected = $"({mode})";
        await WaitForMonitorAsync(console, expected);
        var target = description.Nodes[^1].Name;
        var from = description.Nodes[0].Name;
        var fromStart = new List<double>();
        var fromReturn = new List<double>();
        for (var trial = 0; trial < trials; trial++)
            foreach (var (value, shown) in new[] { ("on", "standby"), ("off", "online") })
            {
                var seen = console.Page.EvaluateAsync<double>(WhenShown, new object[] { target, shown });
                var started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await lab.Lab.SshAsync(from, ShellCommand.Join(["crm_standby", "--node", target, "--update", value]));
                var returned = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (await Task.WhenAny(seen, Task.Delay(TimeSpan.FromSeconds(15))) != seen)
                    throw new TimeoutException($"trial {trial}: {target} not shown {shown} within 15 s");
                var at = await seen;
                fromStart.Add(at - started);
                fromReturn.Add(at - returned);
                output.WriteLine($"{mode} trial {trial + 1,2} {shown,-8}: {at - started,6:0} ms from crm_standby start, {at - returned,6:0} ms from its return");
            }
        var after = await console.MonitorMessageAsync();
        fromStart.Sort();
        fromReturn.Sort();
        double P(List<double> xs, double p) => xs[Math.Min(xs.Count - 1, (int)(xs.Count * p))];
        output.WriteLine($"{mode}: {fromStart.Count} changes (standby/online of {target}, commands run on {from}; monitor at the end: {after}):");
        output.WriteLine($"  from command start:  p50 {P(fromStart, 0.5):0} ms, p95 {P(fromStart, 0.95):0} ms, max {fromStart[^1]:0} ms");
        output.WriteLine($"  from command return: p50 {P(fromReturn, 0.5):0} ms, p95 {P(fromReturn, 0.95):0} ms, max {fromReturn[^1]:0} ms (goal p95 ≤ 150 ms)");
        if (after?.Contains(expected, StringComparison.Ordinal) != true) output.WriteLine($"  NOT {mode} throughout: the monitor says '{after}'");
        if (console.Problems.Count > 0) output.WriteLine("browser problems:\n" + string.Join("\n", console.Problems));
    }

    private static async Task WaitForMonitorAsync(LabConsole console, string mode)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? message;
        while ((message = await console.MonitorMessageAsync())?.Contains(mode, StringComparison.Ordinal) != true)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the monitor is not {mode} after 60 s: '{message}'");
            await Task.Delay(200);
        }
    }
}
