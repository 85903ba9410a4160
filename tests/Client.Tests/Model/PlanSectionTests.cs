using StorageHa.Client.Model;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Model;

/// <summary>The plan page's four parts, over the plan the real builder makes for the three-node lab.</summary>
public sealed class PlanSectionTests : ProvisioningTest
{
    [Fact]
    public void ThePlan_ReadsAsNodes_Cluster_CibBatch_Services_EachStepOnceUnderItsNumberInThePlan()
    {
        var plan = LabPlan();

        var sections = PlanSection.Of(plan);

        Assert.Equal(["Nodes", "Cluster", "CIB batch", "Services"], sections.Select(s => s.Title));
        var numbered = sections.SelectMany(s => s.Steps).OrderBy(s => s.Number).ToList();
        Assert.Equal(Enumerable.Range(1, plan.Steps.Count), numbered.Select(s => s.Number));
        Assert.Equal(plan.Steps, numbered.Select(s => s.Step));
        Assert.All(sections, s => Assert.Equal(s.Steps.OrderBy(n => n.Number), s.Steps)); // in plan order within a part
    }

    [Fact]
    public void TheCibBatch_HoldsExactlyTheCibSteps_AndServicesWhatComesAfterThem()
    {
        var sections = PlanSection.Of(LabPlan()).ToDictionary(s => s.Title);

        Assert.All(sections["CIB batch"].Steps, s => Assert.Equal(StepTargetKind.Cib, s.Step.Target.Kind));
        Assert.DoesNotContain(sections["Nodes"].Steps.Concat(sections["Services"].Steps), s => s.Step.Target.Kind == StepTargetKind.Cib);
        Assert.True(sections["Services"].Steps[0].Number > sections["CIB batch"].Steps[^1].Number);
        Assert.Equal(["start-cluster", "quorum"], sections["Cluster"].Steps.Select(s => s.Step.Id));
    }

    [Fact]
    public void APartWithoutSteps_IsLeftOut()
    {
        var plan = LabPlan();
        var nodesOnly = plan with { Steps = [.. PlanSection.Of(plan)[0].Steps.Select(s => s.Step)] };

        Assert.Equal(["Nodes"], PlanSection.Of(nodesOnly).Select(s => s.Title));
    }
}
