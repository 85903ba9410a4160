using StorageHa.Shared.Fencing;
using System.Text.Json;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Tests.Provisioning;

public class GoldenPlanTests
{
    public static TheoryData<string> Cases() => new(GoldenCase.Names());

    [Fact]
    public void GoldenCases_CoverOneTwoThreeAndFiveNodes_EveryService_ZeroOneAndFourVips_SharesAndExports_AndAFilesystemTheClusterMounts()
    {
        var specs = GoldenCase.Names().Select(n => GoldenCase.Load(n).Spec).ToList();
        Assert.Equal([1, 2, 3, 5], specs.Select(s => s.Nodes.Count).Distinct().Order());
        Assert.Contains(specs, s => s.Storage is { Mounting: StorageMounting.ByCluster, Type: ClusterFilesystem.GlusterFs });
        Assert.Equal([ClusterPurpose.Smb, ClusterPurpose.Nfs, ClusterPurpose.Both], specs.Select(s => s.Purpose).Distinct().OrderBy(p => p));
        Assert.Superset(new HashSet<int> { 0, 1, 2, 4 }, specs.Select(s => s.VirtualIps.Count).ToHashSet());
        Assert.Contains(specs, s => s.Shares.Count > 0 && s.Exports.Count > 0);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_IsByteForByteTheGoldenPlan(string name)
    {
        var golden = GoldenCase.Load(name);
        GoldenCase.AssertGolden(golden.PlanPath, golden.Build());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameSpec_GivesTheSamePlan_AlsoAfterAJsonRoundTrip(string name)
    {
        var golden = GoldenCase.Load(name);
        var again = JsonSerializer.Deserialize<ClusterSpec>(JsonSerializer.Serialize(golden.Spec, GoldenCase.Json), GoldenCase.Json)!;
        var first = PlanText.Render(golden.Build());
        Assert.Equal(first, PlanText.Render(golden.Build()));
        Assert.Equal(first, PlanText.Render(PlanBuilder.Build(again, golden.Facts)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryStep_HasAnArgv_ADescription_AndAUniqueId_AndNoSecretInAnyArgv(string name)
    {
        var plan = GoldenCase.Load(name).Build();
        Assert.Equal(plan.Steps.Count, plan.Steps.Select(s => s.Id).Distinct().Count());
        Assert.All(plan.Steps, s =>
        {
            Assert.NotEmpty(s.Argv);
            Assert.False(string.IsNullOrWhiteSpace(s.Description));
        });
        var secretSteps = plan.Steps.Where(s => s.Input?.Secret is not null).ToList();
        var golden = GoldenCase.Load(name).Spec;
        Assert.Equal([PlanBuilder.HaclusterPassword, .. golden.Fencing.Devices.Where(FenceDevices.UsesPassword).Select(d => FenceDevices.PasswordSecret(d.Name)), PlanBuilder.CorosyncAuthkey],
            secretSteps.Select(s => s.Input!.Secret!));
        Assert.All(secretSteps, s => Assert.Null(s.Input!.Text));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CibIds_HaveNoColon_SoIpv6VirtualIpsAreValidIds(string name)
    {
        var plan = GoldenCase.Load(name).Build();
        var written = plan.CibEdits.Select(e => e.Written).OfType<System.Xml.Linq.XElement>().SelectMany(e => e.DescendantsAndSelf())
            .Select(e => e.Attribute("id")?.Value).OfType<string>();
        var fenceDevices = plan.CibEdits.OfType<PcsOnCib>().Select(p => p.ResourceId);
        Assert.All(written.Concat(fenceDevices), id => Assert.DoesNotContain(':', id));
    }
}
