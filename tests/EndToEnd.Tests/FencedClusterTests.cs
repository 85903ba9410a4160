using System.Diagnostics;
using System.Net;
using System.Text.Json;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>The fencing end-to-end tests' own lab ("sha-fp"): three servers with no cluster yet, each with a BMC.</summary>
public sealed class FencingE2eLab() : LabFixture("sha-fp", formed: false, bmc: true);

[CollectionDefinition(Name)]
public sealed class FencingE2eLabCollection : ICollectionFixture<FencingE2eLab>
{
    public const string Name = "fencing e2e lab";
}

/// <summary>
/// Fencing as the console builds it, proven from the client's side: the console applies an SMB cluster with one
/// fence_ipmilan device per node (each node's BMC, its password through the write-only route) after the devices
/// passed their Test; then the VIP's holder hangs — every process stopped, its addresses kept, so nothing but a fence
/// can take the VIP from it. Pacemaker fences it through its BMC, starts the VIP elsewhere only once the fence has
/// completed, smbclient reads the share through the VIP again, the fence's power cycle boots the node and it rejoins,
/// and the console's state and events show the fence.
/// </summary>
[Collection(FencingE2eLabCollection.Name)]
public sealed class FencedClusterTests(FencingE2eLab fixture, ITestOutputHelper output)
{
    private const string AdminPassword = "Fence-admin-pass-1";
    // Token loss (3 s token + consensus), then the agent's off and on: ~20 s in the lab; bounded for a busy machine.
    private static readonly TimeSpan FenceLimit = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ServedLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan RejoinLimit = TimeSpan.FromSeconds(180);

    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task AHungVipHolder_IsFencedThroughItsBmc_TheVipStartsElsewhereOnlyAfterTheFence_SmbIsServedAgain_AndTheNodeRejoins()
    {
        RequiredTool.Require(RequiredTool.SmbClient, RequiredTool.SambaFileId);
        var clock = Stopwatch.StartNew();
        var data = Path.Combine(Lab.SharedDirectory, "data");
        Directory.CreateDirectory(data);
        var served = $"written for the fencing run at {DateTimeOffset.UtcNow:O}\n";
        await File.WriteAllTextAsync(Path.Combine(data, "hello.txt"), served);
        await using var console = await RunningConsole.InNamespace(Lab.ClientNamespace, Lab.ClientAddress, AdminPassword);
        var api = await ApiScript.SignInAsync(console, AdminPassword);
        var keyId = await api.AddLabKeyAsync(Lab);
        var cluster = (await api.SendAsync(HttpMethod.Post, "/api/clusters", new { name = "fencednas", purpose = "Smb" }, HttpStatusCode.Created)).GetProperty("id").GetInt64();
        foreach (var node in Lab.Nodes) await api.AddNodeAsync(cluster, node, Lab.Ssh.User, keyId);

        // One IPMI device per node, its BMC's options without the password, which has its own write-only route.
        var bmcs = Lab.Nodes.ToDictionary(n => DeviceOf(n.Name), n => n.Bmc ?? throw new InvalidOperationException($"lab.json gives {n.Name} no BMC"));
        await api.SendAsync(HttpMethod.Patch, $"/api/clusters/{cluster}/settings", new
        {
            nic = Lab.Nic,
            sharedState = new { recoveryLock = Path.Combine(Lab.SharedDirectory, "ctdb", "reclock") },
            fencing = new
            {
                noFencingAcknowledged = false,
                devices = Lab.Nodes.Select(n => new
                {
                    name = DeviceOf(n.Name),
                    agent = bmcs[DeviceOf(n.Name)].Agent,
                    options = bmcs[DeviceOf(n.Name)].Options.Where(o => o.Key != "password").ToDictionary(),
                    nodes = new[] { n.Name },
                }),
            },
        });
        foreach (var (device, bmc) in bmcs)
            await api.SendAsync(HttpMethod.Put, $"/api/clusters/{cluster}/fencing/devices/{device}/password", new { password = bmc.Password }, HttpStatusCode.NoContent);
        var test = await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/fencing/test", new { });
        var results = test.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
        // Each device from each node that would have to fence with it: the two others.
        Assert.Equal(bmcs.Count * (Lab.Nodes.Count - 1), results.Count);
        Assert.True((await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/fencing")).GetProperty("proven").GetBoolean());
        Log(clock, $"{bmcs.Count} fence devices passed their Test from every node that would use them " +
                   $"({string.Join(", ", results.Select(r => $"{r.GetProperty("device").GetString()} from {r.GetProperty("fromNode").GetString()} {r.GetProperty("seconds").GetDouble():0.0} s"))})");

        var vip = Lab.FreeAddresses[0];
        await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/vips", new { address = vip, prefix = Lab.PrefixLength }, HttpStatusCode.Created);
        await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/shares", new { name = "public", path = data, guestOk = true, readOnly = true }, HttpStatusCode.Created);
        var plan = (await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/plan")).GetProperty("plan");
        Assert.Empty(plan.GetProperty("blockers").EnumerateArray());
        var job = await api.RunJobAsync($"/api/clusters/{cluster}/apply");
        ApiScript.AssertSucceeded(job);
        Assert.Contains(served.Trim(), await LabClient.GetSmbAsync(Lab, vip, "public", "hello.txt"), StringComparison.Ordinal);
        Log(clock, $"applied with fencing on; //{vip}/public served");

        // Fencing is on, with the console's devices, and no BMC password is in the CIB (Pacemaker's CIB secrets keep it).
        var cib = await OnNodeAsync("node1", "cibadmin", "--query");
        Assert.Contains("name=\"stonith-enabled\" value=\"true\"", cib);
        Assert.All(bmcs, b => Assert.Contains($"id=\"{ResourceIds.FenceDevice(b.Key)}\"", cib));
        Assert.All(bmcs.Values, b => Assert.DoesNotContain(b.Password, cib));

        var vipResource = ResourceIds.Vip(vip);
        var holder = await UntilAsync($"{vipResource} running", TimeSpan.FromSeconds(60), api, cluster, s => WhereRuns(s, vipResource));
        var hungAt = DateTimeOffset.UtcNow;
        await fixture.Lab.RunCheckedAsync("hang", holder);
        Log(clock, $"{holder}, which holds {vip}, hung (every process stopped, its addresses kept)");

        // The console's state shows the fence (crm_mon's fence history); the VIP then runs on another node.
        var fence = (await UntilAsync($"{holder} fenced, in the console's state", FenceLimit, api, cluster, s => SucceededFence(s, holder, hungAt)))!.Value;
        var fencedAt = DateTimeOffset.UtcNow;
        Log(clock, $"the console's state shows {holder} fenced ({fence.GetProperty("action").GetString()} by {fence.GetProperty("delegate").GetString()}, " +
                   $"completed {fence.GetProperty("completed").GetString()}), {(fencedAt - hungAt).TotalSeconds:0.0} s after the hang");
        await Eventually.TrueAsync($"//{vip}/public served again", ServedLimit, TimeSpan.FromSeconds(1),
            async () => (await LabClient.GetSmbAsync(Lab, vip, "public", "hello.txt")).Contains(served.Trim(), StringComparison.Ordinal));
        var servedAt = DateTimeOffset.UtcNow;
        var newHolder = await UntilAsync($"{vipResource} on another node", TimeSpan.FromSeconds(30), api, cluster, s => WhereRuns(s, vipResource) is { } n && n != holder ? n : null);
        Log(clock, $"//{vip}/public served again from {newHolder}, {(servedAt - hungAt).TotalSeconds:0.0} s after the hang");

        // Only after the fence: Pacemaker's own record (the fence's origin decided both), to the millisecond.
        var origin = fence.GetProperty("origin").GetString()!;
        var log = await PacemakerLog.LinesAsync(fixture.Lab, origin, hungAt, $"Requesting peer fencing (reboot) targeting {holder}",
            $"targeting {holder} by ", $"Initiating start operation {vipResource}_start_0");
        var requested = log.First(l => l.Line.Contains("Requesting peer fencing")).Time;
        // One node's log in its own order: the start is logged after the fence's result (often in the same millisecond).
        var doneLine = log.ToList().FindIndex(l => l.Line.Contains("OK (complete)"));
        var startLine = log.ToList().FindLastIndex(l => l.Line.Contains($"{vipResource}_start_0"));
        var (done, vipStarted) = (log[doneLine].Time, log[startLine].Time);
        Assert.True(startLine > doneLine && vipStarted >= done,
            $"{vipResource} was started at {vipStarted:HH:mm:ss.fff} (log line {startLine}), before the fence completed at {done:HH:mm:ss.fff} (line {doneLine})");
        Assert.DoesNotContain(log.Take(doneLine), l => l.Line.Contains($"{vipResource}_start_0"));

        // The power cycle boots the node; it rejoins, and the console sees it online again.
        Assert.Equal(new[] { "power off", "power on" }, BmcPowerLog.Read(Lab, holder).Where(p => p.Time >= hungAt).Select(p => p.Action));
        await UntilAsync($"{holder} online again in the console's state", RejoinLimit, api, cluster, s => IsOnline(s, holder) ? holder : null);
        var rejoinedAt = DateTimeOffset.UtcNow;
        Assert.Equal("running", (await fixture.Lab.RunCheckedAsync("state", holder)).Trim());

        // The console's record of it: a fencing event for the node, with its result.
        var events = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/events?since={Uri.EscapeDataString(hungAt.AddSeconds(-5).ToString("O"))}");
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("kind").GetString() == "FencingEvent"
            && e.GetProperty("description").GetString()!.Contains($"fenced {holder} (reboot", StringComparison.Ordinal));
        var failovers = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/failovers");
        // The failover of the hang holds the fence: the node, a reboot, its success, and how long from the node lost.
        Assert.Contains(failovers.EnumerateArray(), f => f.GetProperty("fences").EnumerateArray().Any(o =>
            o.GetProperty("fence").GetProperty("target").GetString() == holder && o.GetProperty("fence").GetProperty("status").GetString() == "Success"
            && o.GetProperty("fence").GetProperty("action").GetString() == "reboot" && o.GetProperty("duration").ValueKind == System.Text.Json.JsonValueKind.String));

        string At(DateTimeOffset t) => $"+{(t - hungAt).TotalSeconds:0.0} s";
        var power = BmcPowerLog.Read(Lab, holder).Where(p => p.Time >= hungAt).ToList();
        output.WriteLine($"hang {hungAt:HH:mm:ss.fff} → fence requested by {origin} {At(requested)} → " +
                         string.Join(" → ", power.Select(p => $"BMC {p.Action} {At(p.Time)}")) +
                         $" → fence done {At(done)} → {vipResource} start on {newHolder} {At(vipStarted)} → shown fenced in the console {At(fencedAt)} → " +
                         $"SMB served {At(servedAt)} → {holder} rejoined {At(rejoinedAt)}");
        output.WriteLine($"hang → fenced {(done - hungAt).TotalSeconds:0.0} s (the fence itself {(done - requested).TotalSeconds:0.0} s) → VIP served again {(servedAt - hungAt).TotalSeconds:0.0} s");
    }

    private static string DeviceOf(string node) => $"ipmi-{node}";

    private Task<string> OnNodeAsync(string node, params string[] argv) => fixture.Lab.SshAsync(node, ShellCommand.Join(argv));

    /// <summary>Asks the console's state API until <paramref name="pick"/> finds something in it.</summary>
    private static async Task<T> UntilAsync<T>(string what, TimeSpan limit, ApiScript api, long cluster, Func<JsonElement, T?> pick)
    {
        T? found = default;
        await Eventually.TrueAsync(what, limit, TimeSpan.FromSeconds(1), async () =>
        {
            var snapshot = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/state");
            found = snapshot.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.Object ? pick(state) : default;
            return found is not null;
        });
        return found!;
    }

    private static string? WhereRuns(JsonElement state, string resource) =>
        state.GetProperty("instances").EnumerateArray()
            .Where(i => i.GetProperty("id").GetString() == resource && i.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String)
            .Select(i => i.GetProperty("node").GetString()).FirstOrDefault();

    private static bool IsOnline(JsonElement state, string node) =>
        state.GetProperty("nodes").EnumerateArray().Any(n => n.GetProperty("name").GetString() == node && n.GetProperty("online").GetBoolean());

    /// <summary>A successful fence of <paramref name="node"/> completed after <paramref name="since"/>, from crm_mon's fence history.</summary>
    private static JsonElement? SucceededFence(JsonElement state, string node, DateTimeOffset since) =>
        state.GetProperty("fenceHistory").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(f =>
            f!.Value.GetProperty("target").GetString() == node
            && string.Equals(f.Value.GetProperty("status").ToString(), "success", StringComparison.OrdinalIgnoreCase)
            && f.Value.TryGetProperty("completedTime", out var at) && at.ValueKind == JsonValueKind.String && at.GetDateTimeOffset() >= since.AddSeconds(-1));

    private void Log(Stopwatch clock, string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {what}");
}
