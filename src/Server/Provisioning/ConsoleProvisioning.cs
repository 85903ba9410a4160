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
    ProvisioningJobs jobs, JobStore store, ISshRunner ssh, DriftReader drift, RemovedNodes removedNodes, ICurrentActor actor) : IProvisioning
{
    public async Task<ClusterSpec> GetSpecAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return await specs.ExportAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
    }

    public async Task<Plan> PlanAsync(long clusterId, CancellationToken ct = default)
    {
        var (spec, facts, _) = await InventoryAsync(clusterId, ct);
        return PlanBuilder.Build(spec, facts);
    }

    public async Task<SimulationResult> SimulateAsync(long clusterId, IReadOnlyList<string>? fail = null, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (spec, facts, inventoryNodes) = await InventoryAsync(clusterId, ct);
        var plan = PlanBuilder.Build(spec, facts);
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

    public Task<ProvisioningJob> ApplyAsync(long clusterId, CancellationToken ct = default) =>
        StartAsync(clusterId, JobKind.Apply, PlanBuilder.Build, null, ct);

    /// <summary>Brings a node added to the inventory (the newest, so the last of the spec) into the running cluster.</summary>
    public async Task<ProvisioningJob> AddNodeAsync(long clusterId, long nodeId, CancellationToken ct = default)
    {
        var node = await NodeOfAsync(clusterId, nodeId, ct);
        return await StartAsync(clusterId, JobKind.AddNode, (spec, facts) => LifecyclePlans.AddNode(spec, node.Name, facts), null, ct);
    }

    /// <summary>Moves everything off a node, takes it out of the cluster, then out of the inventory.</summary>
    public async Task<ProvisioningJob> RemoveNodeAsync(long clusterId, long nodeId, CancellationToken ct = default)
    {
        var node = await NodeOfAsync(clusterId, nodeId, ct);
        return await StartAsync(clusterId, JobKind.RemoveNode, (spec, facts) => LifecyclePlans.RemoveNode(spec, node.Name, facts),
            job => removedNodes.ForgetAsync(node, job), ct);
    }

    /// <summary>Removes everything the console built on the nodes; the inventory (and the data on the shares) stay.</summary>
    public Task<ProvisioningJob> TeardownAsync(long clusterId, CancellationToken ct = default) =>
        StartAsync(clusterId, JobKind.Teardown, LifecyclePlans.Teardown, null, ct);

    /// <summary>What the live CIB has that the spec's plan does not, and the other way round.</summary>
    public async Task<DriftReport> DriftAsync(long clusterId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (spec, facts, inventoryNodes) = await InventoryAsync(clusterId, ct);
        var plan = PlanBuilder.Build(spec, facts);
        var errors = new List<string>();
        foreach (var node in inventoryNodes)
        {
            try { return await drift.ReadAsync(await nodes.TargetAsync(node, ct), plan, who, ct); }
            catch (Exception ex) when (ex is NodeSshException or InvalidInputException or InvalidOperationException) { errors.Add(ex.Message); }
        }
        throw new InvalidOperationException("No node gave its CIB: " + (errors.Count == 0 ? "the cluster has no nodes" : string.Join("; ", errors)));
    }

    private async Task<ProvisioningJob> StartAsync(long clusterId, JobKind kind, Func<ClusterSpec, IReadOnlyDictionary<string, NodeFacts>, Plan> build,
        Func<ProvisioningJob, Task>? onSucceeded, CancellationToken ct)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (spec, facts, inventoryNodes) = await InventoryAsync(clusterId, ct);
        var plan = build(spec, facts);
        if (plan.Blockers.Count > 0)
            throw new InvalidInputException(plan.Blockers.Select(b => new ValidationError("plan", b)).ToList());
        var targets = new Dictionary<string, SshTarget>(StringComparer.Ordinal);
        foreach (var node in spec.Nodes)
            targets[node.Name] = await nodes.TargetAsync(inventoryNodes.Single(n => n.Name == node.Name), ct);
        var run = new PlanRun(plan, targets, await secrets.GetOrCreateAsync(clusterId, ct), who) { Nodes = spec.Nodes.Select(n => n.Name).ToArray() };
        return await jobs.StartAsync(clusterId, spec.Name, kind, run, ct, onSucceeded);
    }

    private async Task<Node> NodeOfAsync(long clusterId, long nodeId, CancellationToken ct) =>
        await inventory.GetNodeAsync(nodeId, ct) is { } node && node.ClusterId == clusterId ? node
            : throw new KeyNotFoundException($"Cluster {clusterId} has no node with id {nodeId}.");

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

    /// <summary>The spec from the inventory (nodes in join order) and each node's last probe.</summary>
    private async Task<(ClusterSpec Spec, IReadOnlyDictionary<string, NodeFacts> Facts, IReadOnlyList<Node> Nodes)> InventoryAsync(long clusterId, CancellationToken ct)
    {
        await actor.RequireAsync(Role.Viewer);
        var spec = await specs.ExportAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var inventoryNodes = await inventory.ListNodesAsync(clusterId, ct);
        var facts = new Dictionary<string, NodeFacts>(StringComparer.Ordinal);
        foreach (var node in inventoryNodes)
            if (await nodes.GetLastProbeAsync(node.Id, ct) is { } found) facts[node.Name] = found;
        return (spec, facts, inventoryNodes);
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
