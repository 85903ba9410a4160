using System.Security.Cryptography;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// The lab's nodes reinstalled unformed and built into an SMB cluster by the console's job machinery, once for a test
/// class (the first test pays for it); the lab's own formed cluster with CTDB is restored after the class. The cluster
/// moves between two specs — <see cref="Base"/> and <see cref="Grown"/> (one VIP more) — and <see cref="Applied"/>
/// says which one it last converged to, so each test can start from whichever is there.
/// </summary>
public sealed class ConsoleBuiltCluster : IAsyncLifetime
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private LabFixture? _lab;

    public static IReadOnlyDictionary<string, string> Secrets { get; } = new Dictionary<string, string>
    {
        [PlanBuilder.HaclusterPassword] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) + "\n",
        [PlanBuilder.CorosyncAuthkey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(192)),
    };

    public ApplyLab Apply { get; private set; } = null!;
    public ClusterSpec Base { get; private set; } = null!;
    public ClusterSpec Grown { get; private set; } = null!;
    public IReadOnlyDictionary<string, NodeFacts> Facts { get; private set; } = null!;

    /// <summary>The first apply, to the unformed nodes: the job, how long until every resource ran, and what crm_mon showed then.</summary>
    public ProvisioningJob Built { get; private set; } = null!;
    public TimeSpan BuiltIn { get; private set; }
    public ResourcePlacement RunningAfterBuild { get; private set; } = null!;
    /// <summary>crm_mon's text right after the build, failed actions included: why a resource runs elsewhere.</summary>
    public string CrmMonAfterBuild { get; private set; } = "";

    /// <summary>Where the simulation, offline and before anything ran, said every resource of <see cref="Base"/> would run.</summary>
    public ResourcePlacement Predicted { get; private set; } = null!;

    /// <summary>The spec the cluster last converged to.</summary>
    public ClusterSpec Applied { get; private set; } = null!;

    public ClusterSpec Other(ClusterSpec spec) => ReferenceEquals(spec, Base) ? Grown : Base;

    public Plan PlanOf(ClusterSpec spec) => PlanBuilder.Build(spec, Facts);

    /// <summary>Records that a run the test made itself (not through <see cref="ConvergeAsync"/>) left the cluster at <paramref name="spec"/>.</summary>
    public void ConvergedTo(ClusterSpec spec) => Applied = spec;

    public async Task<ConsoleBuiltCluster> BuildAsync(LabFixture lab)
    {
        // The console's smb.conf loads the fileid module; the tests read the share with smbclient.
        RequiredTool.Require(RequiredTool.SambaFileId, RequiredTool.SmbClient);
        await _once.WaitAsync();
        try
        {
            if (_lab is not null) return this;
            _lab = lab;
            await lab.ResetAsync();
            var description = lab.Description;
            Apply = await ApplyLab.StartAsync(description, "labnas");
            (Base, Grown) = (Spec(description, vips: 2), Spec(description, vips: 3));
            Directory.CreateDirectory(Path.Combine(description.SharedDirectory, "data"));
            await File.WriteAllTextAsync(Path.Combine(description.SharedDirectory, "data", "hello.txt"), "served by every node\n");
            Facts = await Apply.ProbeAsync(Base.Purpose);
            var first = await FirstApply.RunAsync(Apply, PlanOf(Base), Secrets);
            (Predicted, Built, BuiltIn, RunningAfterBuild, CrmMonAfterBuild) = (first.Predicted, first.Job, first.Took, first.Running, first.RunningText);
            Applied = Base;
            return this;
        }
        finally { _once.Release(); }
    }

    /// <summary>Applies <paramref name="spec"/> as a job and requires it to succeed; the cluster is then at that spec.</summary>
    public async Task<(ProvisioningJob Job, TimeSpan Took)> ConvergeAsync(ClusterSpec spec)
    {
        var (job, took) = await Apply.ApplyAsync(PlanOf(spec), Secrets);
        if (job.State != JobState.Succeeded) throw new InvalidOperationException($"Converging to {Describe(spec)} failed: {Describe(job)}");
        Applied = spec;
        return (job, took);
    }

    public Task<string> CrmMonAsync(string node) => Apply.RunAsync(node, "crm_mon", "-1", "--output-as=xml");

    /// <summary>The live CIB as <paramref name="node"/> has it.</summary>
    public Task<string> CibAsync(string node) => Apply.RunAsync(node, "cibadmin", "--query");

    /// <summary>Which of the two specs the live CIB holds entirely, or null when it holds neither (half of a change).</summary>
    public async Task<ClusterSpec?> CibHoldsAsync(string node, params ClusterSpec[] specs)
    {
        var cib = await CibAsync(node);
        return specs.FirstOrDefault(s => Drift.Find(PlanOf(s), cib).InSync);
    }

    public string Describe(ClusterSpec spec) => ReferenceEquals(spec, Base) ? "the base spec (2 VIPs)" : "the grown spec (3 VIPs)";

    public static string Describe(ProvisioningJob job) =>
        $"{job.State}: {job.Failure}\n" + string.Join("\n", job.Steps.Select(s => $"  {s.Id}: {s.State} " +
            string.Join("; ", s.Runs.Where(r => r.Output.Length > 0).Select(r => $"{r.Node}: {r.Output[..Math.Min(300, r.Output.Length)]}"))));

    private readonly DateTime _started = DateTime.UtcNow;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Apply is not null) await Apply.DisposeAsync();
        if (_lab is not null) await _lab.ResetAsync("--formed", "--ctdb");
        // A batch cut off by the faults (SSH cut, node crash) cannot remove its work directory on the node; lab nodes share the host's /tmp.
        foreach (var orphan in Directory.GetDirectories(Path.GetTempPath(), "storageha-cib.*").Where(d => Directory.GetCreationTimeUtc(d) >= _started))
            Directory.Delete(orphan, recursive: true);
    }

    /// <summary>SMB only (NfsLabTests builds its own NFS cluster), the CTDB tunables the wizard gives a new cluster, a guest share on the shared directory.</summary>
    private static ClusterSpec Spec(LabDescription lab, int vips) => new()
    {
        Name = "labnas",
        Purpose = ClusterPurpose.Smb,
        Nodes = lab.Nodes.Select(n => new NodeSpec { Name = n.Name, Address = n.Address }).ToList(),
        VirtualIps = lab.FreeAddresses.Take(vips).Select(a => new VirtualIpSpec { Address = a, Prefix = lab.PrefixLength }).ToList(),
        Shares = [new ShareSpec { Name = "public", Path = Path.Combine(lab.SharedDirectory, "data"), GuestOk = true, ReadOnly = true }],
        Nic = lab.Nic,
        SharedState = new SharedStateSpec { RecoveryLock = Path.Combine(lab.SharedDirectory, "ctdb", "reclock") },
        Fencing = new FencingSpec { NoFencingAcknowledged = true },
        CtdbTunables = CtdbFailover.Tunables,
    };
}
