using StorageHa.Shared.Console;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// The operations door as the pages see it, in memory: records what was asked (after the same validation the server
/// does against the state given), answers like a node that ran it, or fails with a node's reason. It changes no state:
/// a page sees results only through the stream, as with the real console.
/// </summary>
public sealed class RecordingClusterOperations : IClusterOperations
{
    private readonly List<ClusterOperation> _ran = [];

    public IReadOnlyList<ClusterOperation> Ran { get { lock (_ran) return [.. _ran]; } }
    public ClusterState? State { get; set; }
    /// <summary>When set, every operation fails with this, as a node's refusal would.</summary>
    public Exception? Failure { get; set; }
    public FailureSimulation? Simulation { get; set; }

    public Task<OperationOutcome> RunAsync(long clusterId, ClusterOperation operation, CancellationToken ct = default)
    {
        if (State is not null) operation.Ensure(State);
        lock (_ran) _ran.Add(operation);
        if (Failure is not null) throw Failure;
        return Task.FromResult(new OperationOutcome("node3", string.Join(' ', operation.Argv()), ""));
    }

    public Task<FailureSimulation> SimulateFailureAsync(long clusterId, SimulatedFailure failure, CancellationToken ct = default) =>
        Task.FromResult(Simulation ?? new FailureSimulation(failure.Nodes, true, [], []));
}
