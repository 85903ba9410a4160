using System.Xml.Linq;
using System.Xml.XPath;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// Drift of the cluster filesystem's Filesystem resource, on CIBs the plan's batches built with the real cibadmin
/// (OfflineCib): changed behind the console's back, or changed in the spec, it is a changed resource naming each setting,
/// and a re-apply puts it back.
/// </summary>
public sealed class StorageDriftTests
{
    private static readonly IReadOnlyDictionary<string, NodeFacts> NoFacts = new Dictionary<string, NodeFacts>();

    private static ClusterSpec Spec(string? options = null) => new()
    {
        Name = "nas",
        Purpose = ClusterPurpose.Smb,
        Nodes = [new NodeSpec { Name = "n1", Address = "192.0.2.11" }, new NodeSpec { Name = "n2", Address = "192.0.2.12" }],
        VirtualIps = [new VirtualIpSpec { Address = "192.0.2.101" }],
        Shares = [new ShareSpec { Name = "data", Path = "/srv/cluster/data" }],
        SharedState = new SharedStateSpec { RecoveryLock = "/srv/cluster/state/ctdb/reclock" },
        Storage = new StorageSpec { Mounting = StorageMounting.ByCluster, MountPoint = "/srv/cluster", Type = ClusterFilesystem.GlusterFs, Device = "localhost:/vol", Options = options },
        Fencing = new FencingSpec { NoFencingAcknowledged = true },
    };

    private static async Task<string> BuiltAsync(Plan plan)
    {
        var built = await OfflineCib.ApplyAsync(plan, runChecks: false);
        Assert.True(built.Succeeded, built.Failed?.Result?.Error);
        return built.CibXml;
    }

    private static string Describe(DriftReport report) => string.Join("; ", report.Items.Select(i => $"{i.Kind} {i.Resource}: {i.What}"));

    [Fact]
    public async Task ADeviceChangedBehindTheConsolesBack_IsAChangedFilesystemResource_AndAReapplyPutsItBack()
    {
        var plan = PlanBuilder.Build(Spec(), NoFacts);
        var cib = XDocument.Parse(await BuiltAsync(plan));
        Assert.True(Drift.Find(plan, cib.ToString()).InSync, Describe(Drift.Find(plan, cib.ToString())));

        cib.XPathSelectElement($"//primitive[@id='{ResourceIds.Storage}']/instance_attributes/nvpair[@name='device']")!.SetAttributeValue("value", "n2:/vol");
        var drift = Drift.Find(plan, cib.ToString());
        var reapplied = await OfflineCib.ApplyAsync(plan, cib.ToString(), runChecks: true);

        var item = Assert.Single(drift.Items);
        Assert.Equal((DriftKind.Changed, ResourceIds.Storage, true), (item.Kind, item.Resource, item.ReapplyFixes));
        Assert.Equal("The cluster filesystem's resource cluster-fs was changed in the cluster: device is n2:/vol, the spec says localhost:/vol. " +
            "Re-apply sets it back as the spec says, which remounts it on every node (the services above it restart).", item.What);
        Assert.True(reapplied.Succeeded, reapplied.Failed?.Result?.Error);
        Assert.Equal(["cib-cluster-fs-settings"], reapplied.Commands.Where(c => !c.Skipped).Select(c => c.Step.Id));
        Assert.True(Drift.Find(plan, reapplied.CibXml).InSync, Describe(Drift.Find(plan, reapplied.CibXml)));
    }

    [Fact]
    public async Task OptionsAddedInTheSpec_OrAddedInTheCluster_AreNamedAsTheSettingThatDiffers()
    {
        var built = await BuiltAsync(PlanBuilder.Build(Spec(), NoFacts));
        var withOptions = PlanBuilder.Build(Spec("backup-volfile-servers=n2"), NoFacts);
        var builtWithOptions = await BuiltAsync(withOptions);

        var specChanged = Assert.Single(Drift.Find(withOptions, built).Items);
        var clusterChanged = Assert.Single(Drift.Find(PlanBuilder.Build(Spec(), NoFacts), builtWithOptions).Items);

        Assert.Contains("options is not set, the spec says backup-volfile-servers=n2", specChanged.What, StringComparison.Ordinal);
        Assert.Contains("options is backup-volfile-servers=n2, the spec says not set", clusterChanged.What, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClusterWithoutTheMount_ReportsItMissing_AndAMountTheSpecNoLongerHas_IsTheConsolesResourceLeftInPlace()
    {
        var plan = PlanBuilder.Build(Spec(), NoFacts);
        var withoutStorage = PlanBuilder.Build(Spec() with { Storage = null, SharedState = new() { RecoveryLock = "/srv/state/ctdb/reclock" } }, NoFacts);

        var empty = Drift.Find(plan, await OfflineCib.EmptyAsync());
        var left = Drift.Find(withoutStorage, await BuiltAsync(plan));

        Assert.Contains(empty.Items, i => i.Kind == DriftKind.Missing && i.Resource == "cluster-fs" && i.What.StartsWith("Missing: mount the cluster filesystem", StringComparison.Ordinal));
        Assert.DoesNotContain(empty.Items, i => i.Kind == DriftKind.Changed && i.Resource == ResourceIds.Storage);
        Assert.Contains(left.Items, i => i.Kind == DriftKind.Extra && i.Resource == ResourceIds.StorageClone && !i.ReapplyFixes
            && i.What.Contains("a resource the console creates", StringComparison.Ordinal));
    }
}
