using System.Diagnostics;
using StorageHa.Integration.Tests.Lab;
using StorageHa.Integration.Tests.Tickle;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// Tier 2: an NFS cluster (NFS-Ganesha clone, one export, two VIPs, a grace agent beside each VIP) applied to reinstalled,
/// unformed lab nodes by the console's job machinery, judged from the outside: crm_mon, Ganesha's own log and the userspace
/// NFS client (libnfs's nfs-cat; this kernel has no NFS client) in the lab's client namespace. The lab is formed again after.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class NfsLabTests(LabFixture fixture, NfsBuiltCluster built, ITestOutputHelper output) : IClassFixture<NfsBuiltCluster>
{
    private static readonly TimeSpan ServedAgainWithin = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task NfsSpec_OnUnformedNodes_RunsEveryResourceWhereSimulated_AndServesTheExportThroughEachVip()
    {
        var cluster = await built.BuildAsync(fixture);
        output.WriteLine($"apply to unformed nodes → every resource started: {cluster.First.Took.TotalSeconds:0.0} s; slowest steps: " +
            string.Join(", ", cluster.First.Job.Steps.Select(s => (s.Id, Seconds: s.Runs.Max(r => r.Seconds ?? 0))).OrderByDescending(s => s.Seconds)
                .Take(6).Select(s => $"{s.Id} {s.Seconds:0.0} s")));

        Assert.True(cluster.First.Job.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(cluster.First.Job));
        var mon = await cluster.CrmMonAsync("node1");
        Assert.DoesNotContain("role=\"Stopped\"", mon, StringComparison.Ordinal);
        Assert.DoesNotContain("failed=\"true\"", mon, StringComparison.Ordinal);
        Assert.Equal(cluster.First.Predicted.Running.Where(r => r.Value.Count > 0).Select(r => (r.Key, string.Join(",", r.Value))),
            cluster.First.Running.Running.Where(r => r.Value.Count > 0).Select(r => (r.Key, string.Join(",", r.Value))));
        foreach (var vip in cluster.Spec.VirtualIps)
        {
            Assert.Equal(fixture.Description.Nodes.Select(n => n.Name), cluster.First.Running.Running[NfsGrace.ResourceId(vip.Address)]);
            // A Ganesha that has just taken a VIP lets its clients reclaim first: new opens are refused until its grace ends.
            var (took, lastError) = await ReadUntilServedAsync(cluster, vip.Address, ServedAgainWithin);
            output.WriteLine($"read through {vip.Address} {took.TotalSeconds:0.0} s after the apply" + (lastError is null ? "" : $" (until then: {lastError})"));
        }
    }

    [Fact]
    public async Task CrashingAVipsHolder_PutsTheTakeoverNodeInGraceForThatVip_AndTheOtherSurvivorInGrace_AndTheExportIsReadThroughItAgain()
    {
        var cluster = await built.BuildAsync(fixture);
        Assert.True(cluster.First.Job.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(cluster.First.Job));
        var vip = cluster.Spec.VirtualIps[0].Address;
        var holder = ResourcePlacement.From(CrmMonParser.Parse(await cluster.CrmMonAsync("node1"))).NodeOf(ResourceIds.Vip(vip))
            ?? throw new InvalidOperationException($"{vip} runs nowhere");
        var survivor = fixture.Description.Nodes.First(n => n.Name != holder).Name;
        // A client of the holder, recorded in its recovery directory: the state the takeover node must let it reclaim.
        await ReadUntilServedAsync(cluster, vip, ServedAgainWithin);

        var bystanderGraces = fixture.Description.Nodes.Where(n => n.Name != holder)
            .ToDictionary(n => n.Name, n => GraceEventsIn(File.ReadAllText(GaneshaLog(n))));
        var clock = Stopwatch.StartNew();
        string? crashed = null;
        try
        {
            await fixture.Lab.RunCheckedAsync("crash", holder);
            crashed = holder;
            string? takeover = null;
            var moved = await LabCluster.WaitUntilAsync($"{vip} running on another node after {holder} crashed", ServedAgainWithin, async () =>
            {
                var placement = ResourcePlacement.From(CrmMonParser.Parse(await cluster.CrmMonAsync(survivor)));
                takeover = placement.NodeOf(ResourceIds.Vip(vip));
                return takeover is not null && takeover != holder;
            });
            var graceLine = $"NFS Server recovery event 5 nodeid -1 ip {vip}";
            var log = "";
            var inGrace = await LabCluster.WaitUntilAsync($"{takeover}'s Ganesha in grace for {vip}", TimeSpan.FromSeconds(60), async () =>
                (log = await File.ReadAllTextAsync(GaneshaLog(fixture.Description.Node(takeover!)))).Contains(graceLine, StringComparison.Ordinal));
            // It read the crashed holder's clients: its own recovery directory links the VIP to the holder's.
            Assert.Contains($"{cluster.State}/{takeover}/{vip}/v4recov", log, StringComparison.Ordinal);
            Assert.Equal($"../{holder}", new DirectoryInfo(Path.Combine(cluster.State, takeover!, vip)).LinkTarget);
            // The other survivor's Ganesha entered grace too: its instance of the VIP's grace clone restarted when the VIP started.
            var bystander = fixture.Description.Nodes.Single(n => n.Name != holder && n.Name != takeover);
            await LabCluster.WaitUntilAsync($"{bystander.Name}'s Ganesha in grace after {holder} crashed", TimeSpan.FromSeconds(30), async () =>
                GraceEventsIn(await File.ReadAllTextAsync(GaneshaLog(bystander))) > bystanderGraces[bystander.Name]);

            var (_, lastError) = await ReadUntilServedAsync(cluster, vip, ServedAgainWithin - clock.Elapsed);
            var readAgain = clock.Elapsed;
            output.WriteLine($"{holder} crashed → {vip} started on {takeover}: {moved.TotalSeconds:0.0} s, in grace there {(moved + inGrace).TotalSeconds:0.0} s; " +
                $"nfs-cat through {vip} works again: {readAgain.TotalSeconds:0.0} s after the crash" +
                (lastError is null ? "" : $" (until then: {lastError})"));
        }
        finally
        {
            if (crashed is not null) await fixture.Lab.RunCheckedAsync("start", crashed);
        }
        // Asked of the survivor: the console's connection to the crashed node died with it.
        await EverythingServedAgainAsync(cluster, survivor);
    }

    /// <summary>
    /// Every resource started again and the export read through each VIP: the cluster as the class's next test expects
    /// it, not still in the grace its crash began.
    /// </summary>
    private async Task EverythingServedAgainAsync(NfsBuiltCluster cluster, string survivor)
    {
        await LabCluster.WaitUntilAsync("every resource started again after the crashed node rejoined", TimeSpan.FromMinutes(3), async () =>
        {
            var mon = await cluster.CrmMonAsync(survivor);
            return !mon.Contains("role=\"Stopped\"", StringComparison.Ordinal) && !mon.Contains("failed=\"true\"", StringComparison.Ordinal);
        });
        foreach (var vip in cluster.Spec.VirtualIps)
        {
            var (took, lastError) = await ReadUntilServedAsync(cluster, vip.Address, ServedAgainWithin);
            output.WriteLine($"read through {vip.Address} again {took.TotalSeconds:0.0} s after every resource started" +
                (lastError is null ? "" : $" (until then: {lastError})"));
        }
    }

    /// <summary>
    /// Reads the export's file through <paramref name="vip"/> until it is served (a grace refuses opens meanwhile), every
    /// 2 s; how long that took and the last refusal's last line. Fails with that refusal when not served within the bound.
    /// </summary>
    private async Task<(TimeSpan Took, string? LastError)> ReadUntilServedAsync(NfsBuiltCluster cluster, string vip, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        string? lastError = null;
        while (true)
        {
            try
            {
                Assert.Equal(NfsBuiltCluster.Content, await NfsCatAsync(fixture.Description, vip, cluster.FilePath));
                return (clock.Elapsed, lastError);
            }
            catch (InvalidOperationException e) when (clock.Elapsed < within)
            {
                lastError = e.Message.Split('\n').Last(l => l.Length > 0).Trim();
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    /// <summary>How many times Ganesha started a grace asked over D-Bus (its start-up grace runs on its main thread).</summary>
    private static int GraceEventsIn(string log) =>
        log.Split('\n').Count(l => l.Contains("[dbus_heartbeat] nfs_start_grace :STATE :EVENT :NFS Server Now IN GRACE", StringComparison.Ordinal));

    /// <summary>Each lab node's /var/log is its own directory under the node's "disk".</summary>
    private static string GaneshaLog(LabNode node) => Path.Combine(node.Directory, "fs", "var", "log", "ganesha", "ganesha.log");

    /// <summary>Reads a file over NFSv4 through a VIP with libnfs's nfs-cat in the lab's client namespace.</summary>
    private static Task<string> NfsCatAsync(LabDescription lab, string vip, string path) =>
        NamespaceCommand.RunAsync(TimeSpan.FromSeconds(30), lab.ClientNamespace, "nfs-cat", $"nfs://{vip}{path}?version=4");
}

/// <summary>
/// The lab's nodes reinstalled unformed and built into an NFS cluster by the console's job machinery, once for the class;
/// the lab's own formed cluster with CTDB is restored after it.
/// </summary>
public sealed class NfsBuiltCluster : IAsyncLifetime
{
    public const string Content = "served over NFS by every node\n";

    private readonly SemaphoreSlim _once = new(1, 1);
    private LabFixture? _lab;

    public ApplyLab Apply { get; private set; } = null!;
    public ClusterSpec Spec { get; private set; } = null!;
    public FirstApply First { get; private set; } = null!;

    /// <summary>The file the test reads, in the export (lab nodes share the host's file system).</summary>
    public string FilePath { get; private set; } = null!;

    /// <summary>Ganesha's shared state directory: every node's RecoveryRoot is STATE/NODE.</summary>
    public string State => Spec.SharedState!.GaneshaState!;

    public async Task<NfsBuiltCluster> BuildAsync(LabFixture lab)
    {
        RequiredTool.Require(RequiredTool.GaneshaVfs, RequiredTool.NfsCat);
        await _once.WaitAsync();
        try
        {
            if (_lab is not null) return this;
            _lab = lab;
            await lab.ResetAsync();
            var description = lab.Description;
            Apply = await ApplyLab.StartAsync(description, "labnfs");
            Spec = SpecOf(description);
            var export = Spec.Exports[0].Path;
            Directory.CreateDirectory(export);
            FilePath = Path.Combine(export, "hello-nfs.txt");
            await File.WriteAllTextAsync(FilePath, Content);
            First = await FirstApply.RunAsync(Apply, PlanBuilder.Build(Spec, await Apply.ProbeAsync(Spec.Purpose)), ConsoleBuiltCluster.Secrets);
            return this;
        }
        finally { _once.Release(); }
    }

    public Task<string> CrmMonAsync(string node) => Apply.RunAsync(node, "crm_mon", "-1", "--output-as=xml");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Apply is not null) await Apply.DisposeAsync();
        if (_lab is not null) await _lab.ResetAsync("--formed", "--ctdb");
    }

    /// <summary>NFS only, two VIPs, one read-only export for everyone, Ganesha's state on the lab's shared directory.</summary>
    private static ClusterSpec SpecOf(LabDescription lab) => new()
    {
        Name = "labnfs",
        Purpose = ClusterPurpose.Nfs,
        Nodes = lab.Nodes.Select(n => new NodeSpec { Name = n.Name, Address = n.Address }).ToList(),
        VirtualIps = lab.FreeAddresses.Take(2).Select(a => new VirtualIpSpec { Address = a, Prefix = lab.PrefixLength }).ToList(),
        Exports = [new ExportSpec { Path = Path.Combine(lab.SharedDirectory, "export"), Access = ExportAccess.ReadOnly }],
        Nic = lab.Nic,
        SharedState = new SharedStateSpec { GaneshaState = Path.Combine(lab.SharedDirectory, "ganesha") },
        Fencing = new FencingSpec { NoFencingAcknowledged = true },
    };
}
