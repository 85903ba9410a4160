using StorageHa.Server.Provisioning;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;

namespace StorageHa.Server.Operations;

/// <summary>A live cluster's CIB run through the console's simulator as if some of its nodes failed: what would move, nothing changed.</summary>
public static class FailureWhatIf
{
    public static async Task<FailureSimulation> RunAsync(string cibXml, ClusterState state, SimulatedFailure failure, CancellationToken ct)
    {
        // Only the members that are up now: the simulator brings its nodes up first, and an offline node must stay offline.
        var up = state.Nodes.Where(n => n.Online && n.Kind == NodeKind.Member).Select(n => n.Name).ToArray();
        var simulated = await Simulator.RunAsync(cibXml, up, maxFailures: failure.Nodes.Count, ct: ct);
        var whatIf = simulated.For([.. failure.Nodes]);
        return new FailureSimulation(failure.Nodes, whatIf.Quorate,
            FailureSimulation.Between(simulated.AllUp.Running, whatIf.Placement.Running), whatIf.Transition);
    }
}
