using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// Provisioning as pages see it: the test sets each cluster's plan and simulation, and drives a job by publishing its
/// next state, which every page watching it receives through a channel. Planning, simulating and applying for real are
/// tested with pcs, crm_simulate and the lab in Server.Tests and Integration.Tests.
/// </summary>
public sealed class TestProvisioning(InMemoryInventory inventory, TestFencing fencing) : IProvisioning
{
    private readonly object _gate = new();
    private readonly Dictionary<long, List<Channel<ProvisioningJob>>> _watchers = [];
    private long _nextJobId;

    /// <summary>
    /// A plan set by the test, by cluster id. Without one, a cluster gets the plan the real <see cref="PlanBuilder"/> builds from
    /// the inventory (bad specs refused by field), its nodes probed as <see cref="Unprobed"/> and <see cref="MissingPackages"/> say.
    /// </summary>
    public Dictionary<long, Plan> Plans { get; } = [];

    /// <summary>Nodes never probed: the built plan is blocked until they are.</summary>
    public HashSet<string> Unprobed { get; } = [];

    /// <summary>Packages the probe found missing on every node: the built plan is blocked with the command that installs them.</summary>
    public List<string> MissingPackages { get; } = [];

    /// <summary>Thrown by <see cref="PlanAsync"/>, <see cref="SimulateAsync"/> and <see cref="ApplyAsync"/> when set: a spec the server refuses.</summary>
    public InvalidInputException? PlanRefusal { get; set; }

    /// <summary>The simulation each cluster gets, by cluster id.</summary>
    public Dictionary<long, SimulationResult> Simulations { get; } = [];

    /// <summary>Completes the running simulation when set (to show the page's progress); null answers at once.</summary>
    public TaskCompletionSource? SimulationGate { get; set; }

    /// <summary>The <c>fail</c> argument of every simulation asked for, in order.</summary>
    public List<IReadOnlyList<string>?> SimulationsAsked { get; } = [];

    /// <summary>Every job, newest last; <see cref="ListJobsAsync"/> returns a cluster's newest first.</summary>
    public List<ProvisioningJob> Jobs { get; } = [];

    /// <summary>The jobs the admin asked to cancel, in order. Cancelling does not end the job: the test publishes its end.</summary>
    public List<long> CancelsAsked { get; } = [];

    /// <summary>Who starts the jobs <see cref="ApplyAsync"/> creates.</summary>
    public string Actor { get; set; } = "olga";

    public DateTimeOffset Now { get; set; } = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public Task<ClusterSpec> GetSpecAsync(long clusterId, CancellationToken ct = default) => Task.FromResult(SpecOf(clusterId));

    /// <summary>The cluster as one spec, from the in-memory inventory and its settings.</summary>
    public ClusterSpec SpecOf(long clusterId)
    {
        var cluster = inventory.Clusters.FirstOrDefault(c => c.Id == clusterId) ?? throw new KeyNotFoundException($"cluster {clusterId}");
        var spec = new ClusterSpec
        {
            Name = cluster.Name,
            Purpose = cluster.Purpose,
            Description = cluster.Description,
            // By number, as the server exports it; nodes a test gave no number are numbered in the order they were added.
            Nodes = inventory.Nodes.Where(n => n.ClusterId == clusterId).OrderBy(n => n.Number).ThenBy(n => n.Id)
                .Select(n => new NodeSpec { Name = n.Name, Address = n.Address, SshPort = n.SshPort, SshUser = n.SshUser, Number = n.Number }).ToList(),
            VirtualIps = inventory.VirtualIps.Where(v => v.ClusterId == clusterId)
                .Select(v => new VirtualIpSpec { Address = v.Address, Prefix = v.Prefix, Nic = v.Nic }).ToList(),
            Shares = inventory.Shares.Where(s => s.ClusterId == clusterId)
                .Select(ShareSpec.Of)
                .ToList(),
            Exports = inventory.Exports.Where(e => e.ClusterId == clusterId)
                .Select(e => new ExportSpec { Path = e.Path, Clients = e.Clients, Access = e.Access }).ToList(),
        };
        return inventory.Settings.GetValueOrDefault(clusterId) is { } settings ? settings.ApplyTo(spec) : spec;
    }

    public Task<Plan> PlanAsync(long clusterId, CancellationToken ct = default) => Task.FromResult(PlanFor(clusterId));

    /// <summary>What a probe of a node with this address finds: Debian without systemd (as in the lab), one NIC, the cluster software.</summary>
    public NodeFacts FactsOf(string address) => new()
    {
        ProbedAt = Now,
        OsId = "debian",
        InitProcess = "boot.sh",
        Interfaces = [new("eth0", null, true, [$"{address}/24"])],
        Packages = [.. NodeProbe.Packages.Select(p => new PackageState(p, MissingPackages.Contains(p) ? null : "1.0"))],
    };

    public async Task<SimulationResult> SimulateAsync(long clusterId, IReadOnlyList<string>? fail = null, CancellationToken ct = default)
    {
        PlanFor(clusterId);
        SimulationsAsked.Add(fail);
        if (SimulationGate is { } gate)
            await gate.Task.WaitAsync(ct);
        return Simulations.TryGetValue(clusterId, out var result)
            ? result
            : throw new InvalidOperationException($"the test set no simulation for cluster {clusterId}");
    }

    public Task<ProvisioningJob> ApplyAsync(long clusterId, DomainAdministrator? domain = null, CancellationToken ct = default)
    {
        DomainGiven = domain;
        return Task.FromResult(Start(clusterId, JobKind.Apply, PlanFor(clusterId)));
    }

    /// <summary>The domain administrator the last apply was given (null: none).</summary>
    public DomainAdministrator? DomainGiven { get; private set; }

    private ProvisioningJob Start(long clusterId, JobKind kind, Plan plan)
    {
        lock (_gate)
        {
            if (Jobs.Any(j => j.ClusterId == clusterId && j.IsRunning))
                throw new ConflictException("cluster", "Another job is running on this cluster; wait for it to end or cancel it.");
            var nodes = inventory.Nodes.Where(n => n.ClusterId == clusterId).Select(n => n.Name).ToList();
            var job = new ProvisioningJob(++_nextJobId, clusterId, plan.Cluster, kind, JobState.Running, Actor, Now, null,
                plan.Steps.Select(s => JobStep.Pending(s, NodesOf(s.Target, nodes))).ToList());
            Jobs.Add(job);
            return job;
        }
    }

    /// <summary>What <see cref="DriftAsync"/> answers, by cluster id (the real comparison of a live CIB is tested in Server.Tests).</summary>
    public Dictionary<long, DriftReport> Drifts { get; } = [];

    /// <summary>How many times each cluster's drift was read.</summary>
    public Dictionary<long, int> DriftReads { get; } = [];

    public Task<DriftReport> DriftAsync(long clusterId, CancellationToken ct = default)
    {
        DriftReads[clusterId] = DriftReads.GetValueOrDefault(clusterId) + 1;
        return Drifts.TryGetValue(clusterId, out var report) ? Task.FromResult(report)
            : throw new InvalidOperationException($"the test set no drift for cluster {clusterId}");
    }

    /// <summary>Every import asked for: the resource and the VIP to keep.</summary>
    public List<(long ClusterId, string Resource, VirtualIpSpec Vip)> Imports { get; } = [];

    /// <summary>Records the import and makes it in the in-memory inventory, as the server's door does: the VIP behind the resource updated, or added.</summary>
    public Task<VirtualIp> ImportVirtualIpAsync(long clusterId, string resource, VirtualIpSpec vip, CancellationToken ct = default)
    {
        Imports.Add((clusterId, resource, vip));
        var known = inventory.VirtualIps.FirstOrDefault(v => v.ClusterId == clusterId && ResourceIds.Vip(v.Address) == resource);
        var kept = vip.ToVirtualIp(clusterId) with { Id = known?.Id ?? inventory.VirtualIps.Select(v => v.Id).DefaultIfEmpty().Max() + 1 };
        if (known is not null) inventory.VirtualIps.Remove(known);
        inventory.VirtualIps.Add(kept);
        return Task.FromResult(kept);
    }

    /// <summary>Thrown by <see cref="PreviewAsync"/> when set: e.g. the change's CIB batch failing on the live CIB.</summary>
    public Exception? PreviewRefusal { get; set; }

    /// <summary>Every preview asked for, in order.</summary>
    public List<LifecycleChange> PreviewsAsked { get; } = [];

    /// <summary>
    /// The lifecycle plan the real <see cref="LifecyclePlans"/> builds from the in-memory inventory (join order: node id), with
    /// the cluster's simulation from <see cref="Simulations"/> (none while the plan has blockers).
    /// </summary>
    public Task<LifecyclePreview> PreviewAsync(long clusterId, LifecycleChange change, CancellationToken ct = default)
    {
        PreviewsAsked.Add(change);
        if (PreviewRefusal is { } refused) throw refused;
        var plan = LifecyclePlanFor(clusterId, change);
        return Task.FromResult(new LifecyclePreview(plan, plan.Blockers.Count > 0 ? null
            : Simulations.TryGetValue(clusterId, out var result) ? result : throw new InvalidOperationException($"the test set no simulation for cluster {clusterId}")));
    }

    /// <summary>Starts the change's job; refused, as the server refuses it, while its plan has blockers.</summary>
    public Task<ProvisioningJob> StartAsync(long clusterId, LifecycleChange change, CancellationToken ct = default)
    {
        var plan = LifecyclePlanFor(clusterId, change);
        if (plan.Blockers.Count > 0) throw new InvalidInputException(plan.Blockers.Select(b => new ValidationError("plan", b)).ToList());
        var kind = change.Kind switch { LifecycleKind.Join => JobKind.AddNode, LifecycleKind.Remove => JobKind.RemoveNode, _ => JobKind.Teardown };
        return Task.FromResult(Start(clusterId, kind, plan));
    }

    public Plan LifecyclePlanFor(long clusterId, LifecycleChange change)
    {
        var spec = SpecOf(clusterId);
        var facts = spec.Nodes.Where(n => !Unprobed.Contains(n.Name)).ToDictionary(n => n.Name, n => FactsOf(n.Address));
        string NodeName() => inventory.Nodes.Single(n => n.Id == change.NodeId).Name;
        return change.Kind switch
        {
            LifecycleKind.Join => LifecyclePlans.AddNode(spec, NodeName(), facts),
            LifecycleKind.Remove => LifecyclePlans.RemoveNode(spec, NodeName(), facts),
            _ => LifecyclePlans.Teardown(spec, facts),
        };
    }

    public Task<ProvisioningJob?> GetJobAsync(long jobId, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(Jobs.FirstOrDefault(j => j.Id == jobId));
    }

    public Task<IReadOnlyList<ProvisioningJob>> ListJobsAsync(long clusterId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<ProvisioningJob>>(Jobs.Where(j => j.ClusterId == clusterId)
                .OrderByDescending(j => j.StartedAt).ThenByDescending(j => j.Id).ToList());
    }

    public async IAsyncEnumerable<ProvisioningJob> WatchJobAsync(long jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var changes = Channel.CreateUnbounded<ProvisioningJob>();
        ProvisioningJob? now;
        lock (_gate)
        {
            now = Jobs.FirstOrDefault(j => j.Id == jobId);
            if (now is { IsRunning: true })
            {
                if (!_watchers.TryGetValue(jobId, out var list)) _watchers[jobId] = list = [];
                list.Add(changes);
            }
        }
        if (now is null) yield break;
        yield return now;
        if (!now.IsRunning) yield break;
        try
        {
            await foreach (var job in changes.Reader.ReadAllAsync(ct))
                yield return job;
        }
        finally
        {
            lock (_gate) _watchers.GetValueOrDefault(jobId)?.Remove(changes);
        }
    }

    public Task CancelJobAsync(long jobId, CancellationToken ct = default)
    {
        lock (_gate) CancelsAsked.Add(jobId);
        return Task.CompletedTask;
    }

    /// <summary>Stores the job's new state and delivers it to every page watching; a job that ended closes their streams.</summary>
    public void Publish(ProvisioningJob job)
    {
        lock (_gate)
        {
            var index = Jobs.FindIndex(j => j.Id == job.Id);
            if (index < 0) Jobs.Add(job);
            else Jobs[index] = job;
            foreach (var watcher in _watchers.GetValueOrDefault(job.Id) ?? [])
            {
                watcher.Writer.TryWrite(job);
                if (!job.IsRunning) watcher.Writer.TryComplete();
            }
            if (!job.IsRunning) _watchers.Remove(job.Id);
        }
    }

    /// <summary>Publishes the job with one step (and each of its node runs) in a new state, the runs printing <paramref name="output"/>.</summary>
    public ProvisioningJob SetStep(long jobId, string stepId, StepState state, string output = "", double? seconds = null)
    {
        ProvisioningJob job;
        lock (_gate) job = Jobs.Single(j => j.Id == jobId);
        job = job with
        {
            Steps = job.Steps.Select(s => s.Id != stepId ? s
                : s with { State = state, Runs = s.Runs.Select(r => r with { State = state, Output = output, Seconds = seconds }).ToList() }).ToList(),
        };
        Publish(job);
        return job;
    }

    /// <summary>Publishes the job as ended (succeeded, failed, cancelled or interrupted), with the reason it stopped.</summary>
    public ProvisioningJob End(long jobId, JobState state, string? failure = null, DateTimeOffset? at = null)
    {
        ProvisioningJob job;
        lock (_gate) job = Jobs.Single(j => j.Id == jobId);
        job = job with { State = state, EndedAt = at ?? Now.AddSeconds(30), Failure = failure };
        Publish(job);
        return job;
    }

    /// <summary>How many pages watch the job now (a page that was left stops watching).</summary>
    public int WatcherCount(long jobId)
    {
        lock (_gate) return _watchers.GetValueOrDefault(jobId)?.Count ?? 0;
    }

    /// <summary>The nodes a step runs on, as the server's job runner fans it out: the CIB batch on the first node.</summary>
    public static IReadOnlyList<string> NodesOf(StepTarget target, IReadOnlyList<string> nodes) => target.Kind switch
    {
        StepTargetKind.Node => [target.Node!],
        StepTargetKind.AllNodes => nodes,
        _ => nodes.Take(1).ToList(),
    };

    /// <summary>The plan <see cref="PlanAsync"/> answers with, for a test to compare the page against.</summary>
    public Plan PlanFor(long clusterId)
    {
        if (PlanRefusal is { } refused) throw refused;
        if (Plans.TryGetValue(clusterId, out var plan)) return plan;
        var spec = SpecOf(clusterId);
        return PlanBuilder.Build(spec, spec.Nodes.Where(n => !Unprobed.Contains(n.Name)).ToDictionary(n => n.Name, n => FactsOf(n.Address)), fencing.Evidence);
    }
}
