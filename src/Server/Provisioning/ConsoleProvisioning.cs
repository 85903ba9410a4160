using System.Net;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using System.Xml.XPath;
using StorageHa.Shared.Console;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Ssh;
using StorageHa.Server.Fencing;
using StorageHa.Shared.Fencing;
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
    ProvisioningJobs jobs, JobStore store, LiveNodes live, DriftReader drift, RemovedNodes removedNodes, ConsoleFencing fencing, ICurrentActor actor) : IProvisioning
{
    public async Task<ClusterSpec> GetSpecAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return await specs.ExportAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
    }

    public async Task<Plan> PlanAsync(long clusterId, CancellationToken ct = default)
    {
        var (spec, facts, _) = await InventoryAsync(clusterId, ct);
        return PlanBuilder.Build(spec, facts, await fencing.EvidenceAsync(clusterId, ct));
    }

    public async Task<SimulationResult> SimulateAsync(long clusterId, IReadOnlyList<string>? fail = null, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (spec, facts, inventoryNodes) = await InventoryAsync(clusterId, ct);
        var plan = PlanBuilder.Build(spec, facts, await fencing.EvidenceAsync(clusterId, ct));
        var names = inventoryNodes.Select(n => n.Name).ToArray();
        if (fail is not null)
            foreach (var node in fail.Where(f => !names.Contains(f, StringComparer.Ordinal)))
                throw new InvalidInputException("fail", $"'{node}' is not a node of this cluster ({string.Join(", ", names)})");
        var liveCib = await LiveCibAsync(spec.Name, inventoryNodes, who, ct);
        var cib = await ShadowCibAsync(plan, liveCib, runChecks: liveCib is not null, ct);
        return fail is null
            ? await Simulator.RunAsync(cib, names, ct: ct)
            : await Simulator.RunAsync(cib, names, [fail], ct: ct);
    }

    /// <summary>The plan's CIB batch applied to a copy of <paramref name="live"/> (an empty CIB when null); a failing command is refused by name.</summary>
    private static async Task<string> ShadowCibAsync(Plan plan, string? live, bool runChecks, CancellationToken ct)
    {
        var batch = await OfflineCib.ApplyAsync(plan, live, runChecks, ct);
        return batch.Succeeded ? batch.CibXml
            : throw new InvalidInputException("plan", $"The CIB batch fails on a copy of the {(live is null ? "empty" : "live")} CIB at '{batch.Failed!.Step.Description}': " +
                $"{batch.Failed.Result!.Error.Trim()}");
    }

    public Task<ProvisioningJob> ApplyAsync(long clusterId, DomainAdministrator? domain = null, CancellationToken ct = default) =>
        RunJobAsync(clusterId, JobKind.Apply, PlanBuilder.Build, null, domain, ct);

    /// <summary>
    /// Join: a node added to the inventory (the newest, so the one with the highest number) comes into the running cluster. Remove:
    /// everything moves off the node, it leaves the cluster, then the inventory. Teardown: everything the console built on
    /// the nodes goes; the inventory (and the data on the shares) stay.
    /// </summary>
    public async Task<ProvisioningJob> StartAsync(long clusterId, LifecycleChange change, CancellationToken ct = default)
    {
        var (kind, build, node) = await LifecycleAsync(clusterId, change, ct);
        return await RunJobAsync(clusterId, kind, build,
            change.Kind == LifecycleKind.Remove ? job => removedNodes.ForgetAsync(node!, job) : null, change.Domain, ct);
    }

    public async Task<LifecyclePreview> PreviewAsync(long clusterId, LifecycleChange change, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (_, build, node) = await LifecycleAsync(clusterId, change, ct);
        var (spec, facts, inventoryNodes) = await InventoryAsync(clusterId, ct);
        var plan = build(spec, facts, await fencing.EvidenceAsync(clusterId, ct));
        if (plan.Blockers.Count > 0) return new LifecyclePreview(plan, null);
        var names = spec.Nodes.Select(n => n.Name).Where(n => change.Kind != LifecycleKind.Remove || n != node!.Name).ToArray();
        var liveCib = await LiveCibAsync(spec.Name, inventoryNodes, who, ct);
        if (liveCib is not null && change.Kind == LifecycleKind.Remove) liveCib = CibWithout(liveCib, node!.Name);
        // On an empty CIB only a teardown's deletions need their checks (skipped where there is nothing to delete); each check is a cibadmin run.
        var cib = await ShadowCibAsync(plan, liveCib, runChecks: liveCib is not null || change.Kind == LifecycleKind.Teardown, ct);
        // After a teardown nothing is left to fail over: only where things stand with every node up.
        IReadOnlyList<IReadOnlyList<string>> failures = change.Kind == LifecycleKind.Teardown ? [] : Simulator.FailureSets(names, 2).ToList();
        return new LifecyclePreview(plan, await Simulator.RunAsync(cib, names, failures, ct: ct));
    }

    /// <summary>The job kind and plan builder of a change, and its node (checked to be of this cluster).</summary>
    private async Task<(JobKind Kind, Func<ClusterSpec, IReadOnlyDictionary<string, NodeFacts>, FenceEvidence, Plan> Build, Node? Node)> LifecycleAsync(
        long clusterId, LifecycleChange change, CancellationToken ct)
    {
        if (change.Kind == LifecycleKind.Teardown)
            return (JobKind.Teardown, (spec, facts, _) => LifecyclePlans.Teardown(spec, facts, leaveDomain: change.Domain is not null), null);
        var node = change.NodeId is { } id ? await NodeOfAsync(clusterId, id, ct) : throw new InvalidInputException("nodeId", "Which node? A join or removal names one.");
        return change.Kind == LifecycleKind.Join
            ? (JobKind.AddNode, (spec, facts, fenced) => LifecyclePlans.AddNode(spec, node.Name, facts, fenced), node)
            : (JobKind.RemoveNode, (spec, facts, fenced) => LifecyclePlans.RemoveNode(spec, node.Name, facts, fenced), node);
    }

    /// <summary>The CIB without the node: as Pacemaker will know it once the node has left (its resources not placed anywhere yet).</summary>
    internal static string CibWithout(string cibXml, string node)
    {
        var cib = XDocument.Parse(cibXml);
        cib.XPathSelectElements("/cib/configuration/nodes/node").Concat(cib.XPathSelectElements("/cib/status/node_state"))
            .Where(n => n.Attribute("uname")?.Value == node).ToList().ForEach(n => n.Remove());
        return cib.ToString();
    }

    public async Task<VirtualIp> ImportVirtualIpAsync(long clusterId, string resource, VirtualIpSpec vip, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Operator);
        if (string.IsNullOrWhiteSpace(resource)) throw new InvalidInputException("resource", "Name the cluster's resource whose version to keep.");
        if (vip is null) throw new InvalidInputException("virtualIp", "Give the virtual IP's settings as the cluster has them.");
        // The inventory VIP the resource was made from: the console names its VIP resources after their address.
        var known = (await inventory.ListVirtualIpsAsync(clusterId, ct))
            .FirstOrDefault(v => IPAddress.TryParse(v.Address, out _) && ResourceIds.Vip(v.Address) == resource);
        var kept = vip.ToVirtualIp(clusterId);
        return known is null
            ? await inventory.AddVirtualIpAsync(kept, ct)
            : await inventory.UpdateVirtualIpAsync(kept with { Id = known.Id }, ct);
    }

    /// <summary>What the live CIB has that the spec's plan does not, and the other way round.</summary>
    public async Task<DriftReport> DriftAsync(long clusterId, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (spec, facts, inventoryNodes) = await InventoryAsync(clusterId, ct);
        var plan = PlanBuilder.Build(spec, facts, await fencing.EvidenceAsync(clusterId, ct));
        return await drift.ReadAsync(await nodes.TargetsAsync(spec.Name, inventoryNodes, ct), plan, who, ct);
    }

    private async Task<ProvisioningJob> RunJobAsync(long clusterId, JobKind kind, Func<ClusterSpec, IReadOnlyDictionary<string, NodeFacts>, FenceEvidence, Plan> build,
        Func<ProvisioningJob, Task>? onSucceeded, DomainAdministrator? domain, CancellationToken ct)
    {
        var who = await actor.RequireAsync(domain is null ? Role.Operator : Role.Admin);
        if (domain?.Validate() is { Count: > 0 } wrong) throw new InvalidInputException(wrong);
        var (spec, facts, inventoryNodes) = await InventoryAsync(clusterId, ct);
        var plan = build(spec, facts, await fencing.EvidenceAsync(clusterId, ct));
        if (plan.Blockers.Count > 0)
            throw new InvalidInputException(plan.Blockers.Select(b => new ValidationError("plan", b)).ToList());
        var targets = new Dictionary<string, SshTarget>(StringComparer.Ordinal);
        foreach (var node in spec.Nodes)
            targets[node.Name] = await nodes.TargetAsync(inventoryNodes.Single(n => n.Name == node.Name), ct);
        var runSecrets = new Dictionary<string, string>(await secrets.GetOrCreateAsync(clusterId, ct));
        foreach (var (name, password) in await secrets.FencePasswordsAsync(clusterId, ct)) runSecrets[name] = password;
        if (domain is not null) runSecrets[PlanBuilder.DomainAdministrator] = domain.StandardInput; // this job's only, never stored
        var run = new PlanRun(plan, targets, runSecrets, who) { Nodes = spec.Nodes.Select(n => n.Name).ToArray() };
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

    /// <summary>The running cluster's CIB from the first node that gives it, or null when no cluster runs there yet.</summary>
    private async Task<string?> LiveCibAsync(string cluster, IReadOnlyList<Node> inventoryNodes, string who, CancellationToken ct)
    {
        try
        {
            var reach = await nodes.TargetsAsync(cluster, inventoryNodes, ct);
            return (await live.FindAsync(reach, ClusterQueries.Cib, new Asker(who, "provision.simulate"), LiveNodePolicy.Default, ct)).Value;
        }
        // Every node asked answered without a CIB (or none can be logged in to yet): no cluster runs, simulate on an empty CIB.
        // A node that could not be asked (down, hung, changed host key, refused login) may hold a running cluster: the
        // simulation would then show one the console did not read, so it is refused, naming each node and why.
        catch (NoLiveNodeException none) when (none.Failures.All(f => f.Kind == NodeFailureKind.NoAnswer))
        {
            return null;
        }
    }
}
