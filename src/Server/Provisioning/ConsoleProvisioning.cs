using System.Runtime.CompilerServices;
using StorageHa.Client.Services;
using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Provisioning;

/// <summary>
/// The pages' and the API's door to provisioning: the plan from the inventory and the nodes' last probes, its simulation
/// on a shadow CIB, and jobs that apply it over SSH as the signed-in admin.
/// </summary>
public sealed class ConsoleProvisioning(IInventory inventory, ClusterSpecs specs, NodeAccess nodes, ClusterSecrets secrets,
    ProvisioningJobs jobs, JobStore store, ISshRunner ssh, ICurrentActor actor) : IProvisioning
{
    public async Task<ClusterSpec> GetSpecAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return await specs.ExportAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
    }

    public async Task<Plan> PlanAsync(long clusterId, CancellationToken ct = default) => (await BuildAsync(clusterId, ct)).Plan;

    public async Task<SimulationResult> SimulateAsync(long clusterId, IReadOnlyList<string>? fail = null, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (_, plan, inventoryNodes) = await BuildAsync(clusterId, ct);
        var names = inventoryNodes.Select(n => n.Name).ToArray();
        if (fail is not null)
            foreach (var node in fail.Where(f => !names.Contains(f, StringComparer.Ordinal)))
                throw new InvalidInputException("fail", $"'{node}' is not a node of this cluster ({string.Join(", ", names)})");
        var live = await LiveCibAsync(inventoryNodes, who, ct);
        var batch = await OfflineCib.ApplyAsync(plan, live, runChecks: live is not null, ct);
        if (!batch.Succeeded)
            throw new InvalidInputException("plan", $"The CIB batch fails on a copy of the {(live is null ? "empty" : "live")} CIB at '{batch.Failed!.Step.Description}': " +
                $"{batch.Failed.Result!.Error.Trim()}");
        return fail is null
            ? await Simulator.RunAsync(batch.CibXml, names, ct: ct)
            : await Simulator.RunAsync(batch.CibXml, names, [fail], ct: ct);
    }

    public async Task<ProvisioningJob> ApplyAsync(long clusterId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (spec, plan, inventoryNodes) = await BuildAsync(clusterId, ct);
        if (plan.Blockers.Count > 0)
            throw new InvalidInputException(plan.Blockers.Select(b => new ValidationError("plan", b)).ToList());
        var targets = new Dictionary<string, SshTarget>(StringComparer.Ordinal);
        foreach (var node in spec.Nodes)
            targets[node.Name] = await nodes.TargetAsync(inventoryNodes.Single(n => n.Name == node.Name), ct);
        var run = new PlanRun(plan, targets, await secrets.GetOrCreateAsync(clusterId, ct), who) { Nodes = spec.Nodes.Select(n => n.Name).ToArray() };
        return await jobs.StartAsync(clusterId, spec.Name, JobKind.Apply, run, ct);
    }

    public async Task<ProvisioningJob?> GetJobAsync(long jobId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return await store.GetAsync(jobId, ct);
    }

    public async Task<IReadOnlyList<ProvisioningJob>> ListJobsAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return await store.ListAsync(clusterId, ct: ct);
    }

    public async IAsyncEnumerable<ProvisioningJob> WatchJobAsync(long jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        await foreach (var job in jobs.WatchAsync(jobId, ct)) yield return job;
    }

    public async Task CancelJobAsync(long jobId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Operator);
        var job = await store.GetAsync(jobId, ct) ?? throw new KeyNotFoundException($"There is no job with id {jobId}.");
        if (!jobs.Cancel(jobId)) throw new ConflictException("state", $"Job {jobId} is not running ({job.State}).");
    }

    /// <summary>The spec from the inventory, each node's last probe, and the plan built from both.</summary>
    private async Task<(ClusterSpec Spec, Plan Plan, IReadOnlyList<Node> Nodes)> BuildAsync(long clusterId, CancellationToken ct)
    {
        await actor.RequireAsync(Role.Viewer);
        var spec = await specs.ExportAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var inventoryNodes = await inventory.ListNodesAsync(clusterId, ct);
        var facts = new Dictionary<string, NodeFacts>(StringComparer.Ordinal);
        foreach (var node in inventoryNodes)
            if (await nodes.GetLastProbeAsync(node.Id, ct) is { } found) facts[node.Name] = found;
        return (spec, PlanBuilder.Build(spec, facts), inventoryNodes);
    }

    /// <summary>The running cluster's CIB from the first node that answers, or null when no cluster runs there yet.</summary>
    private async Task<string?> LiveCibAsync(IReadOnlyList<Node> inventoryNodes, string who, CancellationToken ct)
    {
        foreach (var node in inventoryNodes)
        {
            SshTarget target;
            try { target = await nodes.TargetAsync(node, ct); }
            catch (InvalidInputException) { continue; }
            try
            {
                var cib = await ssh.RunAsync(target, ["cibadmin", "--query"], new SshRunOptions { Actor = who, AuditAction = "provision.simulate", Timeout = TimeSpan.FromSeconds(30) }, ct);
                if (cib.Succeeded) return cib.StdOut;
            }
            catch (NodeSshException) { }
        }
        return null;
    }
}
