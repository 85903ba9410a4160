using StorageHa.Shared.Validation;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Console;

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

    /// <summary>
    /// Starts applying the plan in the background and returns the job (refused while another job runs on the cluster).
    /// <paramref name="domain"/>: the administrator the cluster joins its Active Directory domain with, for this job only.
    /// </summary>
    Task<ProvisioningJob> ApplyAsync(long clusterId, DomainAdministrator? domain = null, CancellationToken ct = default);

    Task<ProvisioningJob?> GetJobAsync(long jobId, CancellationToken ct = default);

    /// <summary>The cluster's jobs, newest first.</summary>
    Task<IReadOnlyList<ProvisioningJob>> ListJobsAsync(long clusterId, CancellationToken ct = default);

    /// <summary>The job now, then the job again after every change, until it ends or <paramref name="ct"/> is cancelled.</summary>
    IAsyncEnumerable<ProvisioningJob> WatchJobAsync(long jobId, CancellationToken ct = default);

    /// <summary>Stops a running job: the running command is killed, no later step runs, the CIB is pushed only if the push had begun.</summary>
    Task CancelJobAsync(long jobId, CancellationToken ct = default);

    /// <summary>How the live CIB (read from the first node that answers) differs from the spec's plan.</summary>
    Task<DriftReport> DriftAsync(long clusterId, CancellationToken ct = default);

    /// <summary>
    /// Keeps the cluster's version of a virtual IP that drifted: the inventory's VIP behind <paramref name="resource"/> takes
    /// <paramref name="vip"/>'s settings, or <paramref name="vip"/> is added when the inventory has none (validated and audited
    /// like any inventory edit).
    /// </summary>
    Task<VirtualIp> ImportVirtualIpAsync(long clusterId, string resource, VirtualIpSpec vip, CancellationToken ct = default);

    /// <summary>
    /// The plan of a membership change or teardown, and (when nothing blocks it) its CIB batch run through crm_simulate on a
    /// copy of the live CIB: where everything runs afterwards. Changes nothing.
    /// </summary>
    Task<LifecyclePreview> PreviewAsync(long clusterId, LifecycleChange change, CancellationToken ct = default);

    /// <summary>Starts the change as a job (refused while its plan has blockers or another job runs on the cluster).</summary>
    Task<ProvisioningJob> StartAsync(long clusterId, LifecycleChange change, CancellationToken ct = default);
}

public enum LifecycleKind
{
    /// <summary>A node added to the inventory (the newest) joins the running cluster.</summary>
    Join,
    /// <summary>A node's resources move off, then it leaves the cluster and the inventory.</summary>
    Remove,
    /// <summary>Everything the console built is removed from the nodes; the data and the inventory stay.</summary>
    Teardown,
}

/// <summary>A change to a running cluster's membership, or its teardown (<see cref="NodeId"/> null).</summary>
public sealed record LifecycleChange(LifecycleKind Kind, long? NodeId = null)
{
    /// <summary>A teardown's domain administrator, to delete the cluster's machine account as it leaves the domain (for this job only).</summary>
    public DomainAdministrator? Domain { get; init; }

    public static LifecycleChange Join(long nodeId) => new(LifecycleKind.Join, nodeId);
    public static LifecycleChange Remove(long nodeId) => new(LifecycleKind.Remove, nodeId);
    public static readonly LifecycleChange Teardown = new(LifecycleKind.Teardown);
}

/// <summary>What a lifecycle change would do: its plan, and Pacemaker's simulation of the result (null while the plan has blockers).</summary>
public sealed record LifecyclePreview(Plan Plan, SimulationResult? Simulation);

/// <summary>
/// A domain administrator's name and password, given with the one job that joins or leaves the domain: passed to the node on
/// standard input, never stored, logged or shown back.
/// </summary>
public sealed record DomainAdministrator(string User, string Password)
{
    /// <summary>Every error, named by its field under <paramref name="prefix"/>; the password's value never appears in one.</summary>
    public IReadOnlyList<ValidationError> Validate(string prefix = "domainAdministrator.")
    {
        var errors = new List<ValidationError>();
        if (InputRules.DomainAccount(User) is { } user) errors.Add(new(prefix + "user", user));
        if (string.IsNullOrEmpty(Password)) errors.Add(new(prefix + "password", "is required"));
        else if (Password.Length > 256 || Password.IndexOfAny(['\n', '\r', '\0']) >= 0)
            errors.Add(new(prefix + "password", "must be one line of at most 256 characters"));
        return errors;
    }

    /// <summary>As the join and leave scripts read it on standard input: the name, then the password, a line each.</summary>
    public string StandardInput => $"{User}\n{Password}\n";

    // A record prints its fields: never the password.
    public override string ToString() => $"{User} (password not shown)";
}
