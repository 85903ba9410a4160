using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Client.Model;

/// <summary>The plan's steps in the four parts an admin thinks in: prepare the nodes, form the cluster, the CIB batch, then the services.</summary>
public sealed record PlanSection(string Title, string Intro, IReadOnlyList<(int Number, PlanStep Step)> Steps)
{
    // Forming the cluster: starting it and waiting for quorum. Everything before prepares nodes, everything after the push waits for services.
    private static bool FormsCluster(PlanStep step) => step.Action is StartCluster or WaitForCluster { Condition: QuorateWithOnline };

    public static IReadOnlyList<PlanSection> Of(Plan plan)
    {
        var lastCib = plan.Steps.ToList().FindLastIndex(s => s.Target.Kind == StepTargetKind.Cib);
        var firstCib = plan.Steps.ToList().FindIndex(s => s.Target.Kind == StepTargetKind.Cib);
        // Between two batches (the cluster filesystem's, then the services'): the mount checked and the shared state made on it.
        var numbered = plan.Steps.Select((step, i) => (Number: i + 1, Step: step, Part: step.Target.Kind == StepTargetKind.Cib || (i > firstCib && i < lastCib) ? 2
            : FormsCluster(step) ? 1
            : lastCib >= 0 && i > lastCib ? 3
            : 0)).ToList();
        return new[]
        {
            new PlanSection("Nodes", "Software, credentials and configuration files on each node.", Pick(numbered, 0)),
            new PlanSection("Cluster", "Corosync and Pacemaker started, and quorum.", Pick(numbered, 1)),
            new PlanSection("CIB batch", "Every resource and constraint, built on a copy of the CIB and pushed once: the cluster never sees half of it.", Pick(numbered, 2)),
            new PlanSection("Services", "What needs the running cluster, and waiting until everything has started.", Pick(numbered, 3)),
        }.Where(s => s.Steps.Count > 0).ToList();
    }

    private static List<(int, PlanStep)> Pick(IEnumerable<(int Number, PlanStep Step, int Part)> steps, int part) =>
        steps.Where(s => s.Part == part).Select(s => (s.Number, s.Step)).ToList();
}
