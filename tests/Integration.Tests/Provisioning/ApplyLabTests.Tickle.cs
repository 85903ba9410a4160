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
            await cluster.Apply.RunAsync(survivor, [.. NodeCommands.WaitForResources(300)]);
        }
        await AssertEverythingRunsAsync(cluster, survivor);
    }

    private static async Task<ResourcePlacement> PlacementAsync(ConsoleBuiltCluster cluster, string node) =>
        ResourcePlacement.From(CrmMonParser.Parse(await cluster.CrmMonAsync(node)));
}
