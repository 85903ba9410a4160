using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>The plan keeps the local users' Unix accounts on every node, before the services start; teardown removes the console's own.</summary>
public sealed class LocalAccountPlanTests
{
    private static readonly IdentitySpec Team = new()
    {
        Mode = IdentityMode.LocalUsers,
        Groups = [new("staff-rw", 20000)],
        Users = [new("alice", 20001, ["staff-rw"]), new("bob", 20002, [])],
        HighestLocalId = 20002,
    };

    private static readonly ClusterSpec Spec = SpecExamples.ThreeNodes() with { Purpose = ClusterPurpose.Smb, Exports = [], Identity = Team };

    private static Plan PlanOf(ClusterSpec spec) => PlanBuilder.Build(spec, SpecExamples.FactsFor(spec));

    [Fact]
    public void LocalUsers_AreMadeOnEveryNode_WithTheirIds_BeforeTheClusterStarts()
    {
        var steps = PlanOf(Spec).Steps.Select(s => s.Id).ToList();

        var step = PlanOf(Spec).Steps.Single(s => s.Id == "local-accounts");
        Assert.Equal(StepTarget.AllNodes, step.Target);
        Assert.Equal(["apply", LocalAccountSteps.RecordPath, "group:staff-rw:20000", "user:alice:20001:staff-rw", "user:bob:20002:"], step.Argv.Skip(4));
        Assert.Equal(["check", LocalAccountSteps.RecordPath, "group:staff-rw:20000", "user:alice:20001:staff-rw", "user:bob:20002:"], step.Check!.Skip(4));
        Assert.True(steps.IndexOf("local-accounts") < steps.IndexOf("start-cluster"));
        Assert.Null(step.Action.Input);
    }

    [Theory]
    [InlineData(IdentityMode.Guest)]
    [InlineData(IdentityMode.LocalUsers)]
    public void NoStep_WithoutLocalUsers(IdentityMode mode) =>
        Assert.DoesNotContain(PlanOf(Spec with { Identity = new IdentitySpec { Mode = mode } }).Steps, s => s.Id == "local-accounts");

    [Fact]
    public void ANodeThatJoins_GetsTheAccounts_BeforeItStarts()
    {
        var spec = Spec with { Nodes = [.. Spec.Nodes, new NodeSpec { Name = "node4", Address = "192.0.2.14", Number = 4 }] };
        var steps = LifecyclePlans.AddNode(spec, "node4", SpecExamples.FactsFor(spec)).Steps.Select(s => s.Id).ToList();

        Assert.Contains("local-accounts", steps);
        Assert.True(steps.IndexOf("local-accounts") < steps.IndexOf("start-cluster"));
    }

    [Fact]
    public void TeardownAndANodeThatLeaves_RemoveTheConsolesAccounts()
    {
        var facts = SpecExamples.FactsFor(Spec);
        var teardown = LifecyclePlans.Teardown(Spec, facts).Steps.Single(s => s.Id == "remove-local-accounts");
        var removal = LifecyclePlans.RemoveNode(Spec, "node3", facts).Steps.Single(s => s.Id == "remove-local-accounts");

        Assert.Equal(StepTarget.AllNodes, teardown.Target);
        Assert.Equal("node3", removal.Target.Node);
        Assert.Equal(["apply", LocalAccountSteps.RecordPath], teardown.Argv.Skip(4));
        Assert.DoesNotContain(LifecyclePlans.Teardown(Spec with { Identity = new() }, facts).Steps, s => s.Id == "remove-local-accounts");
    }
}
