using System.Text.RegularExpressions;
using StorageHa.Integration.Tests.Lab;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// Tier 2: a whole spec applied to reinstalled (unformed) lab nodes by the console's job machinery, then judged from the
/// outside — crm_mon, the CIB's epoch, and an SMB client in the lab's client namespace. The faults (this class's other
/// file) run on the same console-built cluster; the lab is formed again after the class.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class ApplyLabTests(LabFixture fixture, ConsoleBuiltCluster built, ITestOutputHelper output) : IClassFixture<ConsoleBuiltCluster>
{
    [Fact]
    public async Task FullSpec_OnUnformedNodes_FormsTheCluster_RunsEachVipWhereSimulated_AndServesSmbThroughEachVip()
    {
        var cluster = await built.BuildAsync(fixture);
        output.WriteLine($"apply to unformed nodes → every resource started: {cluster.BuiltIn.TotalSeconds:0.0} s; steps of 0.5 s or more: " +
            string.Join(", ", cluster.Built.Steps.Select(s => (s.Id, Seconds: s.Runs.Max(r => r.Seconds ?? 0))).OrderByDescending(s => s.Seconds)
                .TakeWhile(s => s.Seconds >= 0.5).Select(s => $"{s.Id} {s.Seconds:0.0} s")));

        Assert.True(cluster.Built.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(cluster.Built));
        Assert.All(cluster.Built.Steps, s => Assert.Contains(s.State, new[] { StepState.Done, StepState.AlreadyDone }));
        foreach (var id in cluster.Base.VirtualIps.Select(v => ResourceIds.Vip(v.Address)))
            Assert.True(cluster.Predicted.NodeOf(id) == cluster.RunningAfterBuild.NodeOf(id),
                $"{id} runs on {cluster.RunningAfterBuild.NodeOf(id)}, the simulation said {cluster.Predicted.NodeOf(id)}; crm_mon:\n{cluster.CrmMonAfterBuild}");
        await AssertEverythingRunsAsync(cluster);
        foreach (var vip in cluster.Base.VirtualIps)
            Assert.Contains("served by every node", await SmbGetAsync(fixture.Description, vip.Address, "public", "hello.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReapplyingTheSameSpec_FindsEveryStepAlreadyDone_AndLeavesTheCibEpochUnchanged()
    {
        var cluster = await built.BuildAsync(fixture);
        var epoch = await EpochAsync(cluster);

        var (again, took) = await cluster.Apply.ApplyAsync(cluster.PlanOf(cluster.Applied), ConsoleBuiltCluster.Secrets);

        output.WriteLine($"re-apply of {cluster.Describe(cluster.Applied)}: {took.TotalSeconds:0.0} s");
        Assert.True(again.ChangedNothing, ConsoleBuiltCluster.Describe(again));
        Assert.Equal(epoch, await EpochAsync(cluster));
    }

    [Fact]
    public async Task AddingAVip_ChangesOnlyItsResourceItsConstraintsAndTheVipSets_AndServesSmbThroughIt()
    {
        var cluster = await built.BuildAsync(fixture);
        if (ReferenceEquals(cluster.Applied, cluster.Grown)) await cluster.ConvergeAsync(cluster.Base);

        var (added, took) = await cluster.ConvergeAsync(cluster.Grown);

        var changed = added.Steps.Where(s => s.State == StepState.Done).Select(s => s.Id).ToList();
        output.WriteLine($"adding a VIP: {took.TotalSeconds:0.0} s; steps that changed: {string.Join(", ", changed)}");
        var newVip = ResourceIds.Vip(cluster.Grown.VirtualIps[^1].Address);
        var newTickle = ResourceIds.Tickle(cluster.Grown.VirtualIps[^1].Address);
        Assert.Contains($"cib-{newVip}", changed);
        Assert.Contains($"cib-{newTickle}", changed);
        Assert.All(changed, id => Assert.True(
            id is "cib-fetch" or "cib-push" or "settle" or ServeCheck.StepId || id.StartsWith($"cib-{newVip}", StringComparison.Ordinal) || id.StartsWith($"cib-{newTickle}", StringComparison.Ordinal) ||
            id.EndsWith("-placement", StringComparison.Ordinal) || id.EndsWith("-placement-stale", StringComparison.Ordinal) ||
            id.StartsWith("cib-vips-with-services", StringComparison.Ordinal) || id.StartsWith("cib-services-then-vips", StringComparison.Ordinal),
            $"{id} changed, though adding a VIP should not touch it"));
        Assert.Contains("served by every node", await SmbGetAsync(fixture.Description, cluster.Grown.VirtualIps[^1].Address, "public", "hello.txt"), StringComparison.Ordinal);
    }

    /// <summary>Every resource started somewhere, none failed, as crm_mon on node1 shows it.</summary>
    private static async Task AssertEverythingRunsAsync(ConsoleBuiltCluster cluster, string node = "node1")
    {
        var mon = await cluster.CrmMonAsync(node);
        Assert.DoesNotContain("role=\"Stopped\"", mon, StringComparison.Ordinal);
        Assert.DoesNotContain("failed=\"true\"", mon, StringComparison.Ordinal);
    }

    /// <summary>Reads a file through a VIP as a guest, with smbclient in the lab's client namespace.</summary>
    private static Task<string> SmbGetAsync(LabDescription lab, string vip, string share, string file) =>
        StorageHa.Integration.Tests.Tickle.NamespaceCommand.RunAsync(TimeSpan.FromSeconds(60), lab.ClientNamespace,
            "smbclient", $"//{vip}/{share}", "-N", "-c", $"get {file} /dev/stdout");

    private static async Task<string> EpochAsync(ConsoleBuiltCluster cluster)
    {
        var cib = await cluster.Apply.RunAsync("node1", "cibadmin", "--query", "--xpath", "/cib", "--no-children");
        return EpochAttributes().Match(cib).Value;
    }

    [GeneratedRegex("admin_epoch=\"\\d+\" epoch=\"\\d+\"|epoch=\"\\d+\"")]
    private static partial Regex EpochAttributes();
}
