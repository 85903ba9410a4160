using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Services;

/// <summary>
/// A cluster's plan, its simulation and the jobs that apply it. The plan is built from the inventory (the cluster's spec
/// and each node's last probe); bad specs throw <see cref="StorageHa.Shared.Validation.InvalidInputException"/> listing every error.
/// </summary>
public interface IProvisioning
{
    /// <summary>The cluster as one spec document: what the plan is built from.</summary>
    Task<ClusterSpec> GetSpecAsync(long clusterId, CancellationToken ct = default);

    /// <summary>The plan for the cluster as the inventory describes it now (with its warnings and blockers).</summary>
    Task<Plan> PlanAsync(long clusterId, CancellationToken ct = default);

    /// <summary>
    /// The plan's CIB batch applied to a shadow CIB (the live one when the cluster runs, an empty one before) and run through
    /// crm_verify and crm_simulate: where everything lands, and what if each node and each pair fails (or only <paramref name="fail"/>).
    /// </summary>
    Task<SimulationResult> SimulateAsync(long clusterId, IReadOnlyList<string>? fail = null, CancellationToken ct = default);

    /// <summary>Starts applying the plan in the background and returns the job (refused while another job runs on the cluster).</summary>
    Task<ProvisioningJob> ApplyAsync(long clusterId, CancellationToken ct = default);

    Task<ProvisioningJob?> GetJobAsync(long jobId, CancellationToken ct = default);

    /// <summary>The cluster's jobs, newest first.</summary>
    Task<IReadOnlyList<ProvisioningJob>> ListJobsAsync(long clusterId, CancellationToken ct = default);

    /// <summary>The job now, then the job again after every change, until it ends or <paramref name="ct"/> is cancelled.</summary>
    IAsyncEnumerable<ProvisioningJob> WatchJobAsync(long jobId, CancellationToken ct = default);

    /// <summary>Stops a running job: the running command is killed, no later step runs, the CIB is pushed only if the push had begun.</summary>
    Task CancelJobAsync(long jobId, CancellationToken ct = default);
}
