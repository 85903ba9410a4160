using StorageHa.Shared.Operations;

namespace StorageHa.Shared.Console;

/// <summary>
/// What an operator does to a running cluster. Every call is role-checked, validated against the cluster's current
/// state and audited; its effect is seen through the live state stream (<see cref="IClusterStateStream"/>), never
/// assumed from the call's return.
/// </summary>
public interface IClusterOperations
{
    /// <summary>Runs the operation's command on a live node of the cluster; returns when the node has run it.</summary>
    Task<OperationOutcome> RunAsync(long clusterId, ClusterOperation operation, CancellationToken ct = default);

    /// <summary>Runs the live CIB through Pacemaker's scheduler (crm_simulate, on the console) as if the nodes failed; changes nothing.</summary>
    Task<FailureSimulation> SimulateFailureAsync(long clusterId, SimulatedFailure failure, CancellationToken ct = default);
}

/// <summary>Where an operation ran and what its command printed; what it changed shows up in the live state.</summary>
public sealed record OperationOutcome(string Node, string Command, string Output);
