using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// A removal's preview simulates the live CIB as Pacemaker will know it once the node has left: the real crm_simulate,
/// on a CIB in which three nodes ran the spec's batch.
/// </summary>
public sealed class RemovePreviewTests
{
    private static readonly string[] Remaining = ["n1", "n2"];

    [Fact]
    public async Task TheCibWithoutTheLeavingNode_PlacesItsVirtualIpsOnTheOthers_WhereTheCibWithItWouldKeepThemThere()
    {
        var live = await RunningCibAsync();
        var onN3 = (await Simulator.RunAsync(live, ["n1", "n2", "n3"], [])).AllUp.Running
            .Where(r => r.Value.Contains("n3") && r.Key.StartsWith("vip-", StringComparison.Ordinal)).Select(r => r.Key).ToList();
        Assert.NotEmpty(onN3);

        var kept = await Simulator.RunAsync(live, Remaining, []);
        var after = await Simulator.RunAsync(ConsoleProvisioning.CibWithout(live, "n3"), Remaining, []);

        // Brought up alone, n1 and n2 would still find n3 online in the CIB's status: it keeps its VIPs.
        Assert.All(onN3, vip => Assert.Equal(["n3"], kept.AllUp.Running[vip]));
        Assert.All(onN3, vip => Assert.Contains(Assert.Single(after.AllUp.Running[vip]), Remaining));
        Assert.DoesNotContain(after.AllUp.Running.Values, nodes => nodes.Contains("n3"));
        Assert.DoesNotContain("uname=\"n3\"", ConsoleProvisioning.CibWithout(live, "n3"), StringComparison.Ordinal);
    }

    /// <summary>The spec's batch on an empty CIB, then crm_simulate bringing the three nodes up: a CIB with status, as a running cluster has.</summary>
    private static async Task<string> RunningCibAsync()
    {
        var plan = PlanBuilder.Build(Spec(), new Dictionary<string, NodeFacts>());
        var configured = (await OfflineCib.ApplyAsync(plan, runChecks: false)).CibXml;
        var dir = Directory.CreateTempSubdirectory("storageha-remove-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "cib.xml"), configured);
            var up = await LocalTool.RunAsync(["crm_simulate", "-x", "cib.xml", "-O", "live.xml", "-S", "--node-up", "n1", "--node-up", "n2", "--node-up", "n3", "--quorum", "1"], dir);
            Assert.True(up.Succeeded, up.Error);
            return await File.ReadAllTextAsync(Path.Combine(dir, "live.xml"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static ClusterSpec Spec() => new()
    {
        Name = "nas",
        Purpose = ClusterPurpose.Smb,
        Nodes = [new NodeSpec { Name = "n1", Address = "192.0.2.11" }, new NodeSpec { Name = "n2", Address = "192.0.2.12" }, new NodeSpec { Name = "n3", Address = "192.0.2.13" }],
        VirtualIps = [new VirtualIpSpec { Address = "192.0.2.101" }, new VirtualIpSpec { Address = "192.0.2.102" }, new VirtualIpSpec { Address = "192.0.2.103" }],
        Shares = [new ShareSpec { Name = "data", Path = "/srv/data" }],
        SharedState = new SharedStateSpec { RecoveryLock = "/srv/state/ctdb/reclock" },
        Fencing = new FencingSpec { NoFencingAcknowledged = true },
    };
}
