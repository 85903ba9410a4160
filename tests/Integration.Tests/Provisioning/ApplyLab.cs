using StorageHa.Server.Serving;
using StorageHa.Server.Deployment;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Integration.Tests.Monitoring;
using StorageHa.Server.Audit;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Provisioning;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// The console's real job machinery — <see cref="ProvisioningJobs"/>, <see cref="PlanRunner"/>, <see cref="JobStore"/>,
/// the SSH runner and its audit — applying plans to the lab's nodes. The nodes are reached through
/// <see cref="LabForwarder"/>s (the test runs outside the lab's network), while the spec names their real addresses.
/// </summary>
public sealed class ApplyLab : IAsyncDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("storageha-apply-").FullName;
    private readonly Dictionary<string, LabForwarder> _forwarders = new(StringComparer.Ordinal);
    private readonly SshConnectionPool _pool = new();
    private readonly Dictionary<string, SshTarget> _targets = new(StringComparer.Ordinal);

    private ApplyLab(LabDescription lab) => Lab = lab;

    public LabDescription Lab { get; }
    public Database Database { get; private set; } = null!;
    public AuditTrail Audit { get; private set; } = null!;
    public ProvisioningJobs Jobs { get; private set; } = null!;
    public ISshRunner Ssh { get; private set; } = null!;
    public long ClusterId { get; private set; }
    /// <summary>How the console reaches each node (through its forwarder), by node name.</summary>
    public IReadOnlyDictionary<string, SshTarget> Targets => _targets;

    public static async Task<ApplyLab> StartAsync(LabDescription lab, string clusterName)
    {
        var apply = new ApplyLab(lab);
        apply.Database = new Database(Path.Combine(apply._dataDir, "storageha.db"));
        await new Migrator(apply.Database, NullLogger<Migrator>.Instance).MigrateAsync();
        apply.ClusterId = (await new SqliteInventory(apply.Database, new StorageHa.Server.Auth.SystemActor(), TimeProvider.System)
            .AddClusterAsync(new Cluster { Name = clusterName })).Id;
        apply.Audit = new AuditTrail(apply.Database);
        apply.Ssh = new SshRunner(apply._pool, apply.Audit, TimeProvider.System);
        var key = SshAuth.WithKey(await File.ReadAllTextAsync(lab.Ssh.ClientKey), label: "lab client key");
        foreach (var node in lab.Nodes)
        {
            var forwarder = new LabForwarder(lab.ClientNamespace, node.Address, node.SshPort);
            apply._forwarders[node.Name] = forwarder;
            apply._targets[node.Name] = new SshTarget(node.Name, "127.0.0.1", forwarder.Port, lab.Ssh.User, key, node.HostKeyFingerprint);
        }
        apply.Jobs = apply.NewConsole();
        return apply;
    }

    /// <summary>Where the console keeps each cluster's latest serve check (the apply's last step leaves it there).</summary>
    public ServeCheckStore ServeChecks => new(Database);

    /// <summary>The console's runner, installing the node helper this build bundles.</summary>
    private PlanRunner Runner() => new(Ssh, new NodeHelperDeployer(Ssh, new NodeHelperSettings()), TimeProvider.System);

    /// <summary>A console as it starts: a new job registry over the same database (marking jobs a stopped console left running).</summary>
    public ProvisioningJobs NewConsole()
    {
        var jobs = new ProvisioningJobs(new JobStore(Database, TimeProvider.System), Runner(), ServeChecks, TimeProvider.System,
            NullLogger<ProvisioningJobs>.Instance);
        jobs.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return jobs;
    }

    /// <summary>Probes every node as the console does, for the plan.</summary>
    public async Task<IReadOnlyDictionary<string, NodeFacts>> ProbeAsync(ClusterPurpose purpose)
    {
        var prober = new NodeProber(Ssh, TimeProvider.System);
        var facts = new Dictionary<string, NodeFacts>(StringComparer.Ordinal);
        foreach (var (name, target) in _targets) facts[name] = await prober.ProbeAsync(target, "lab-test", purpose);
        return facts;
    }

    public PlanRun RunOf(Plan plan, IReadOnlyDictionary<string, string> secrets) =>
        new(plan, _targets, secrets, "lab-test") { Nodes = Lab.Nodes.Select(n => n.Name).ToArray() };

    /// <summary>Starts the plan as a job and waits for its end, returning it with how long it ran.</summary>
    public async Task<(ProvisioningJob Job, TimeSpan Took)> ApplyAsync(Plan plan, IReadOnlyDictionary<string, string> secrets, ProvisioningJobs? jobs = null)
    {
        jobs ??= Jobs;
        var clock = Stopwatch.StartNew();
        var job = await jobs.StartAsync(ClusterId, plan.Cluster, JobKind.Apply, RunOf(plan, secrets));
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        await foreach (var update in jobs.WatchAsync(job.Id, limit.Token)) job = update;
        return (job, clock.Elapsed);
    }

    /// <summary>
    /// Runs the plan with the real runner but without the job registry, calling <paramref name="onChange"/> with every
    /// change before the runner goes on: a test can act at an exact moment (the push about to start).
    /// </summary>
    public async Task<ProvisioningJob> RunPlanAsync(Plan plan, IReadOnlyDictionary<string, string> secrets, Func<ProvisioningJob, Task> onChange)
    {
        var run = RunOf(plan, secrets);
        var job = new ProvisioningJob(0, ClusterId, plan.Cluster, JobKind.Apply, JobState.Running, run.Actor, DateTimeOffset.UtcNow, null,
            plan.Steps.Select(s => JobStep.Pending(s, run.NodesOf(s))).ToArray());
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        return await Runner().RunAsync(job, run, onChange, limit.Token);
    }

    /// <summary>Cuts the console's SSH connections to <paramref name="node"/> at the network, mid-command if one runs.</summary>
    public void DropConnections(string node) => _forwarders[node].DropConnections();

    public async Task<string> RunAsync(string node, params string[] argv)
    {
        var result = await Ssh.RunAsync(_targets[node], argv, new SshRunOptions { Actor = "lab-test", Timeout = TimeSpan.FromMinutes(2) });
        return result.Succeeded ? result.StdOut : throw new InvalidOperationException($"{string.Join(' ', argv)} on {node} failed ({result.ExitCode}): {result.StdErr}");
    }

    public async ValueTask DisposeAsync()
    {
        _pool.Dispose();
        foreach (var forwarder in _forwarders.Values) await forwarder.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
