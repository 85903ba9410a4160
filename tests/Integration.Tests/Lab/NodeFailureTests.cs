using System.Diagnostics;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class NodeFailureTests(LabFixture fixture)
{
    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task CrashingTheVipHolder_MovesTheVip_WhichAnswersTheClientWithinThirtySeconds_ThenTheNodeRejoins()
    {
        const string vip = "crashvip";
        var address = Lab.FreeAddresses[0];
        await _cluster.RunAsync("node1", "pcs", "resource", "create", vip, "ocf:heartbeat:IPaddr2", $"ip={address}",
            $"cidr_netmask={Lab.PrefixLength}", $"nic={Lab.Nic}", "op", "monitor", "interval=5s");
        string? crashed = null;
        try
        {
            await LabCluster.WaitUntilAsync($"{vip} started", TimeSpan.FromSeconds(30),
                async () => (await _cluster.ViewFromAsync("node1")).NodesRunning(vip).Count == 1);
            var holder = (await _cluster.ViewFromAsync("node1")).NodesRunning(vip).Single();
            Assert.True(NetworkNamespace.CanConnect(Lab.ClientNamespace, address, 22, TimeSpan.FromSeconds(2)), "VIP does not answer before the crash");

            var clock = Stopwatch.StartNew();
            await fixture.Lab.RunCheckedAsync("crash", holder);
            crashed = holder;
            await LabCluster.WaitUntilAsync($"{vip} answering after {holder} crashed", TimeSpan.FromSeconds(30) - clock.Elapsed,
                () => Task.FromResult(NetworkNamespace.CanConnect(Lab.ClientNamespace, address, 22, TimeSpan.FromSeconds(1))));
            var failover = clock.Elapsed;
            var survivor = Lab.Nodes.First(n => n.Name != holder).Name;
            var newHolder = (await _cluster.ViewFromAsync(survivor)).NodesRunning(vip);
            Assert.Single(newHolder);
            Assert.NotEqual(holder, newHolder[0]);
            Assert.True(failover < TimeSpan.FromSeconds(30), $"failover took {failover.TotalSeconds:F1} s");

            await fixture.Lab.RunCheckedAsync("start", holder);
            crashed = null;
            await LabCluster.WaitUntilAsync($"{holder} online again as seen from {survivor}", TimeSpan.FromSeconds(60),
                async () => (await _cluster.ViewFromAsync(survivor)).OnlineNodes.Contains(holder));
        }
        finally
        {
            if (crashed is not null) await fixture.Lab.RunAsync("start", crashed);
            await _cluster.DeleteAsync(vip);
        }
    }

    [Fact]
    public async Task GracefullyStoppedNode_LeavesTheCluster_AndRejoinsWhenStartedAgain()
    {
        await fixture.Lab.RunCheckedAsync("stop", "node3");
        try
        {
            var view = await _cluster.ViewFromAsync("node1");
            Assert.True(view.Quorate);
            Assert.DoesNotContain("node3", view.OnlineNodes);
        }
        finally
        {
            await fixture.Lab.RunCheckedAsync("start", "node3"); // boots it: `service corosync start && service pacemaker start`
        }
        await LabCluster.WaitUntilAsync("node3 online again as seen from node1", TimeSpan.FromSeconds(60),
            async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains("node3"));
    }

    [Fact]
    public async Task HungNode_KeepsItsAddressButAnswersNothing_DropsOutOfTheCluster_AndOnlyACrashEndsIt()
    {
        var node = Lab.Node("node3");
        var init = NodeProcesses.InitOf(Lab, node.Name);
        var pidNamespace = NodeProcesses.PidNamespaceOf(init);
        await fixture.Lab.RunCheckedAsync("hang", node.Name);
        try
        {
            Assert.Equal("hung", (await fixture.Lab.RunCheckedAsync("state", node.Name)).Trim());
            Assert.All(NodeProcesses.In(pidNamespace), p => Assert.True(p.State == 'T', $"{p.Pid} {p.Name} is not stopped ({p.State})"));
            // The kernel still completes a TCP handshake for its stopped sshd, which never says a word.
            Assert.Null(NetworkNamespace.Run(Lab.ClientNamespace, () => FirstWordsFrom(node.Address, 22, TimeSpan.FromSeconds(3))));
            await LabCluster.WaitUntilAsync("node3 seen offline from node1", TimeSpan.FromSeconds(30),
                async () => !(await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains("node3"));
            Assert.Equal("hung", (await fixture.Lab.RunCheckedAsync("state", node.Name)).Trim());

            await fixture.Lab.RunCheckedAsync("crash", node.Name);
            Assert.False(Directory.Exists($"/proc/{init}"), $"node3's init {init} survived the crash");
            Assert.Empty(NodeProcesses.In(pidNamespace));
        }
        finally
        {
            if ((await fixture.Lab.RunCheckedAsync("state", node.Name)).Trim() == "hung") await fixture.Lab.RunCheckedAsync("crash", node.Name);
            await fixture.Lab.RunCheckedAsync("start", node.Name);
        }
        await LabCluster.WaitUntilAsync("node3 online again as seen from node1", TimeSpan.FromSeconds(60),
            async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains("node3"));
    }

    /// <summary>What a TCP server says first, or null when it accepts the connection and says nothing within <paramref name="wait"/>.</summary>
    private static string? FirstWordsFrom(string address, int port, TimeSpan wait)
    {
        using var client = new System.Net.Sockets.TcpClient();
        client.Connect(address, port);
        client.ReceiveTimeout = (int)wait.TotalMilliseconds;
        var buffer = new byte[256];
        try
        {
            var read = client.GetStream().Read(buffer);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return null; // the read timed out: nobody answered
        }
    }

    [Fact]
    public async Task PartitionedNode_DropsOutOfTheCluster_AndRejoinsWhenHealed()
    {
        await fixture.Lab.RunCheckedAsync("partition", "node3");
        try
        {
            await LabCluster.WaitUntilAsync("node3 seen offline from node1", TimeSpan.FromSeconds(30),
                async () => !(await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains("node3"));
            Assert.True((await _cluster.ViewFromAsync("node1")).Quorate, "the majority side lost quorum");
            Assert.Contains("partitioned", await fixture.Lab.RunCheckedAsync("status"));
        }
        finally
        {
            await fixture.Lab.RunCheckedAsync("heal");
        }
        await LabCluster.WaitUntilAsync("node3 online again as seen from node1", TimeSpan.FromSeconds(60),
            async () => (await _cluster.ViewFromAsync("node1")).OnlineNodes.Contains("node3"));
    }
}
