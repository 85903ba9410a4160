using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>The lifecycle plans on the console-built cluster: a node leaves and joins again, and at the very end the console takes down what it built.</summary>
[TestCaseOrderer("StorageHa.Integration.Tests.Provisioning.TeardownLast", "StorageHa.Integration.Tests")]
public sealed partial class ApplyLabTests
{
    [Fact]
    public async Task RemovingTheLastNode_MovesItsVipsAwayFirst_AndJoiningItAgain_GivesTheSameClusterBack()
    {
        var cluster = await built.BuildAsync(fixture);
        var spec = cluster.Applied;

        var (removed, removeTook) = await cluster.Apply.ApplyAsync(LifecyclePlans.RemoveNode(spec, "node3", cluster.Facts), ConsoleBuiltCluster.Secrets);

        output.WriteLine($"removing node3: {removeTook.TotalSeconds:0.0} s");
        Assert.True(removed.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(removed));
        var state = CrmMonParser.Parse(await cluster.CrmMonAsync("node1"));
        Assert.Equal(["node1", "node2"], state.Nodes.Select(n => n.Name).Order());
        var running = ResourcePlacement.From(state);
        foreach (var vip in spec.VirtualIps)
            Assert.Contains(running.NodeOf(ResourceIds.Vip(vip.Address)), new[] { "node1", "node2" });
        await AssertEverythingRunsAsync(cluster);
        foreach (var vip in spec.VirtualIps)
            Assert.Contains("served by every node", await SmbGetAsync(fixture.Description, vip.Address, "public", "hello.txt"), StringComparison.Ordinal);

        var (joined, joinTook) = await cluster.Apply.ApplyAsync(LifecyclePlans.AddNode(spec, "node3", cluster.Facts), ConsoleBuiltCluster.Secrets);

        output.WriteLine($"joining node3 again: {joinTook.TotalSeconds:0.0} s");
        Assert.True(joined.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(joined));
        state = CrmMonParser.Parse(await cluster.CrmMonAsync("node3"));
        Assert.Equal(["node1", "node2", "node3"], state.Nodes.Where(n => n.Online).Select(n => n.Name).Order());
        await AssertEverythingRunsAsync(cluster, "node3");
        var (again, _) = await cluster.Apply.ApplyAsync(cluster.PlanOf(spec), ConsoleBuiltCluster.Secrets);
        Assert.True(again.ChangedNothing, ConsoleBuiltCluster.Describe(again));
    }

    [Fact]
    public async Task Teardown_StopsAndRemovesEverythingTheConsoleBuilt_AndLeavesTheSharedData()
    {
        var cluster = await built.BuildAsync(fixture);
        var lab = fixture.Description;

        var (down, took) = await cluster.Apply.ApplyAsync(LifecyclePlans.Teardown(cluster.Applied, cluster.Facts), ConsoleBuiltCluster.Secrets);

        output.WriteLine($"teardown: {took.TotalSeconds:0.0} s");
        Assert.True(down.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(down));
        foreach (var node in lab.Nodes.Select(n => n.Name))
        {
            var left = await cluster.Apply.RunAsync(node, "sh", "-c",
                "pidof pacemakerd corosync ctdbd smbd; ls /etc/corosync/corosync.conf /etc/ctdb/nodes /etc/samba/smb.conf 2>/dev/null; true");
            Assert.True(left.Trim().Length == 0, $"{node} still has: {left}");
        }
        Assert.Equal("served by every node\n", await File.ReadAllTextAsync(Path.Combine(lab.SharedDirectory, "data", "hello.txt")));
    }
}

/// <summary>Runs a class's tests in xunit's usual order, except that a test named Teardown… runs last.</summary>
public sealed class TeardownLast : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name.StartsWith("Teardown", StringComparison.Ordinal));
}
