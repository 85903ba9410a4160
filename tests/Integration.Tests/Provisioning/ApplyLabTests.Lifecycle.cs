using System.Text.RegularExpressions;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>The lifecycle plans on the console-built cluster: the middle node leaves and joins again, and at the very end the console takes down what it built.</summary>
[TestCaseOrderer("StorageHa.Integration.Tests.Provisioning.TeardownLast", "StorageHa.Integration.Tests")]
public sealed partial class ApplyLabTests
{
    [Fact]
    public async Task RemovingTheMiddleNode_MovesItsVipsAwayFirst_AndJoiningItAgain_GivesItTheNextNumber_WhileTheOthersKeepTheirs()
    {
        var cluster = await built.BuildAsync(fixture);
        // With the local user the local-users test left, if it ran: node2 gives its account back when it leaves and gets it when it joins.
        var spec = await WithLocalUsersAsync(cluster, cluster.Applied, fixture.Description);
        if (!ReferenceEquals(spec, cluster.Applied)) await cluster.ConvergeAsync(spec);
        var before = ResourcePlacement.From(CrmMonParser.Parse(await cluster.CrmMonAsync("node1")));
        var vipsOnNode2 = spec.VirtualIps.Select(v => ResourceIds.Vip(v.Address)).Where(vip => before.NodeOf(vip) == "node2").ToList();

        var (removed, removeTook) = await cluster.Apply.ApplyAsync(LifecyclePlans.RemoveNode(spec, "node2", cluster.Facts), ConsoleBuiltCluster.Secrets);

        output.WriteLine($"removing node2 (the middle node, {vipsOnNode2.Count} VIP(s) on it): {removeTook.TotalSeconds:0.0} s");
        Assert.True(removed.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(removed));
        // The drain (its check: node2 holds nothing) finished before node2 stopped.
        Assert.Equal(["standby", "stop-cluster"], removed.Steps.Take(2).Select(s => s.Id));
        Assert.Equal(StepState.Done, removed.Steps[0].State);
        var state = CrmMonParser.Parse(await cluster.CrmMonAsync("node1"));
        Assert.Equal(["node1", "node3"], state.Nodes.Select(n => n.Name).Order());
        var running = ResourcePlacement.From(state);
        foreach (var vip in spec.VirtualIps)
            Assert.Contains(running.NodeOf(ResourceIds.Vip(vip.Address)), new[] { "node1", "node3" });
        await AssertEverythingRunsAsync(cluster);
        foreach (var vip in spec.VirtualIps)
            Assert.Contains("served by every node", await SmbGetAsync(fixture.Description, vip.Address, "public", "hello.txt"), StringComparison.Ordinal);
        Assert.Equal($"{spec.Nodes[0].Address}\n#\n{spec.Nodes[2].Address}\n", await cluster.Apply.RunAsync("node3", "cat", ConfigFiles.CtdbNodesPath));
        if (s_localUser is { } gone) Assert.Equal("", await cluster.Apply.RunAsync("node2", "sh", "-c", "getent passwd \"$0\" || true", gone.User));

        // As the inventory numbers it: node2 comes back after every current node, as node 4.
        var rejoined = spec with { Nodes = [spec.Nodes[0], spec.Nodes[2], spec.Nodes[1] with { Number = 4 }] };
        var (joined, joinTook) = await cluster.Apply.ApplyAsync(LifecyclePlans.AddNode(rejoined, "node2", cluster.Facts), ConsoleBuiltCluster.Secrets);

        output.WriteLine($"joining node2 again as node 4: {joinTook.TotalSeconds:0.0} s");
        Assert.True(joined.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(joined));
        cluster.ConvergedTo(rejoined);
        state = CrmMonParser.Parse(await cluster.CrmMonAsync("node2"));
        Assert.Equal(["node1", "node2", "node3"], state.Nodes.Where(n => n.Online).Select(n => n.Name).Order());
        await AssertEverythingRunsAsync(cluster, "node2");
        foreach (var vip in spec.VirtualIps)
            Assert.Contains("served by every node", await SmbGetAsync(fixture.Description, vip.Address, "public", "hello.txt"), StringComparison.Ordinal);
        if (s_localUser is { } local)
            await SmbAsUserAsync(fixture.Description, spec.Nodes[1].Address, local.User, local.Password, "ls");
        var ctdb = await cluster.Apply.RunAsync("node1", "ctdb", "status");
        output.WriteLine(ctdb);
        Assert.Contains("Number of nodes:4 (including 1 deleted nodes)", ctdb, StringComparison.Ordinal);
        Assert.Matches($"pnn:3 {Regex.Escape(spec.Nodes[1].Address)} +OK", ctdb);
        var members = await cluster.Apply.RunAsync("node1", "corosync-quorumtool", "-l");
        output.WriteLine(members);
        foreach (var (id, node) in new[] { (1, rejoined.Nodes[0]), (3, rejoined.Nodes[1]), (4, rejoined.Nodes[2]) })
            Assert.Matches(new Regex($@"^\s*{id}\s+1\s+({node.Name}|{Regex.Escape(node.Address)})\b", RegexOptions.Multiline), members);
        var (again, againTook) = await cluster.Apply.ApplyAsync(cluster.PlanOf(rejoined), ConsoleBuiltCluster.Secrets);
        output.WriteLine($"re-apply after the join: {againTook.TotalSeconds:0.0} s");
        Assert.True(again.ChangedNothing, ConsoleBuiltCluster.Describe(again));
    }

    [Fact]
    public async Task Teardown_StopsAndRemovesEverythingTheConsoleBuilt_GivesBackTheNodesOwnFiles_AndLeavesTheSharedData()
    {
        var cluster = await built.BuildAsync(fixture);
        var lab = fixture.Description;

        var (down, took) = await cluster.Apply.ApplyAsync(LifecyclePlans.Teardown(cluster.Applied, cluster.Facts), ConsoleBuiltCluster.Secrets);

        output.WriteLine($"teardown: {took.TotalSeconds:0.0} s");
        Assert.True(down.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(down));
        foreach (var node in lab.Nodes.Select(n => n.Name))
        {
            // The node's own corosync.conf and smb.conf (Debian's, from its packages) are back; the console's files are gone.
            var left = await cluster.Apply.RunAsync(node, "sh", "-c",
                "pidof pacemakerd corosync ctdbd smbd; grep -l 'Written by StorageHa' /etc/corosync/corosync.conf /etc/samba/smb.conf 2>/dev/null; " +
                "ls /etc/ctdb/nodes /etc/corosync/authkey /usr/local/sbin/storageha-node 2>/dev/null; true");
            Assert.True(left.Trim().Length == 0, $"{node} still has: {left}");
            Assert.Contains("[global]", await cluster.Apply.RunAsync(node, "cat", "/etc/samba/smb.conf"), StringComparison.Ordinal);
        }
        Assert.Equal("served by every node\n", await File.ReadAllTextAsync(Path.Combine(lab.SharedDirectory, "data", "hello.txt")));
    }
}

/// <summary>
/// Runs a class's tests in xunit's usual order, except that a test named Removing… runs after the others (node2 comes back
/// as node 4, so the class's base and grown specs no longer describe the cluster) and one named Teardown… runs last.
/// </summary>
public sealed class TeardownLast : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.Name switch
        {
            var name when name.StartsWith("Teardown", StringComparison.Ordinal) => 2,
            var name when name.StartsWith("Removing", StringComparison.Ordinal) => 1,
            _ => 0,
        });
}
