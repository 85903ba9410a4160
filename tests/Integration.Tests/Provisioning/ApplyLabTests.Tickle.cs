using System.Diagnostics;
using System.Net;
using StorageHa.Integration.Tests.Tickle;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>The tickle agents the console's plan put beside each VIP, on the cluster it built: what an SMB client sees when a VIP's node dies.</summary>
public sealed partial class ApplyLabTests
{
    private const int SmbPort = 445;
    // The recorder lists the VIP's connections every second; wait for two records so the idle client is in the list.
    private static readonly TimeSpan Recorded = TimeSpan.FromSeconds(2.5);

    [Fact]
    public async Task VipHolderCrashes_TheTickleAgentOnTheNewNode_ResetsAnIdleSmbClient_SoItReconnectsAtOnce()
    {
        var cluster = await built.BuildAsync(fixture);
        var vip = cluster.Applied.VirtualIps[0].Address;
        var before = await PlacementAsync(cluster, "node1");
        var holder = before.NodeOf(ResourceIds.Vip(vip))!;
        Assert.Equal(holder, before.NodeOf(ResourceIds.Tickle(vip)));
        var survivor = fixture.Description.Nodes.Select(n => n.Name).First(n => n != holder);

        var clock = Stopwatch.StartNew();
        using var idle = VipClient.Connect(fixture.Description.ClientNamespace, new IPEndPoint(IPAddress.Parse(vip), SmbPort), sending: false, clock);
        await Task.Delay(Recorded);
        await fixture.Lab.RunCheckedAsync("crash", holder);
        var crashed = clock.Elapsed;
        try
        {
            // Without a tickle an idle client learns nothing until TCP keepalive, hours later (TakeoverTests shows it hung).
            var (learned, how, back) = await idle.Outcome.WaitAsync(TimeSpan.FromSeconds(90));
            var after = await PlacementAsync(cluster, survivor);
            output.WriteLine($"{holder} crashed holding {vip}; {vip} and its tickle agent now on {after.NodeOf(ResourceIds.Vip(vip))}; " +
                $"the idle SMB client learned ({how}) {(learned - crashed).TotalSeconds:0.0} s after the crash and was connected again at {(back - crashed).TotalSeconds:0.0} s");
            Assert.Contains(how, new[] { "ConnectionReset", "EOF" });
            Assert.NotEqual(holder, after.NodeOf(ResourceIds.Vip(vip)));
            Assert.Equal(after.NodeOf(ResourceIds.Vip(vip)), after.NodeOf(ResourceIds.Tickle(vip)));
        }
        finally
        {
            await fixture.Lab.RunCheckedAsync("start", holder);
            await AnswersAgainAsync(cluster, holder);
            await cluster.Apply.RunAsync(holder, [.. NodeCommands.WaitForResources(300)]);
        }
        await AssertEverythingRunsAsync(cluster, holder);
    }

    /// <summary>
    /// The console's pooled connection to the crashed node died with it, unnoticed while nothing ran there: the first
    /// command finds it dead and drops it, the next opens a new one. The class's next test must find a live connection.
    /// </summary>
    private static async Task AnswersAgainAsync(ConsoleBuiltCluster cluster, string node)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await cluster.Apply.RunAsync(node, "true");
                return;
            }
            catch (Exception dead) when (attempt < 10 && dead is StorageHa.Server.Ssh.NodeSshException or InvalidOperationException)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    private static async Task<ResourcePlacement> PlacementAsync(ConsoleBuiltCluster cluster, string node) =>
        ResourcePlacement.From(CrmMonParser.Parse(await cluster.CrmMonAsync(node)));
}
