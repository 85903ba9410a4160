using System.Diagnostics;
using StorageHa.Server.Serving;
using Microsoft.Extensions.Logging.Abstractions;
using StorageHa.Server.Deployment;
using StorageHa.Server.Inventory;
using StorageHa.Server.Provisioning;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// The job machinery running hand-made plans on a real sshd: checks skip what is done, the first failure stops the run,
/// secrets reach only the command's stdin, a cancel kills the running command, the CIB batch runs in its own directory
/// with the real pcs -f and is pushed only when it changed something.
/// </summary>
public sealed class PlanRunnerTests(NodeLikeSshd fixture) : IClassFixture<NodeLikeSshd>, IDisposable
{
    private readonly string _dir = MakeSharedDirectory();
    private readonly string _dataDir = Directory.CreateTempSubdirectory("storageha-jobs-").FullName;
    private readonly SshLayer _ssh = new(fixture.Sshd);
    private NodeHelperLayout Layout => new(Path.Combine(_dir, "root"));

    private static readonly Dictionary<string, string> Secrets = new() { [PlanBuilder.HaclusterPassword] = "s3cret-never-logged\n" };

    [Fact]
    public async Task FirstRun_DoesEachStep_AndARerun_FindsEveryStepAlreadyDone()
    {
        var plan = PlanOf(Write("a", "first file\n"), Write("b", "second file\n"));

        var first = await RunAsync(plan);
        var second = await RunAsync(plan);

        Assert.Equal(JobState.Succeeded, first.State);
        Assert.All(first.Steps, s => Assert.Equal(StepState.Done, s.State));
        Assert.Equal("second file\n", await File.ReadAllTextAsync(Path.Combine(_dir, "b")));
        Assert.True(second.ChangedNothing);
    }

    [Fact]
    public async Task FailingStep_StopsTheJob_NamingTheNodeAndTheReason_AndLaterStepsNeverRun()
    {
        var broken = new PlanStep("broken", StepTarget.AllNodes, "A step that fails", new NodeCommand(["sh", "-c", "echo 'disk on fire' >&2; exit 4"]));
        var plan = PlanOf(Write("a", "before\n"), broken, Write("c", "after\n"));

        var job = await RunAsync(plan);

        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("node1", job.Failure);
        Assert.Contains("disk on fire", job.Failure);
        Assert.Equal([StepState.Done, StepState.Failed, StepState.Pending], job.Steps.Select(s => s.State));
        Assert.Contains("exit 4", job.Steps[1].Runs.Single().Output);
        Assert.False(File.Exists(Path.Combine(_dir, "c")));
    }

    [Fact]
    public async Task SecretInput_ReachesTheCommand_ButNeitherTheAuditLogNorTheJob()
    {
        var target = Path.Combine(_dir, "password");
        var plan = PlanOf(new PlanStep("password", StepTarget.AllNodes, "Store the password", new WriteFile(target, "600", StepInput.FromSecret(PlanBuilder.HaclusterPassword), Path.Combine(_dir, "originals"))));

        var job = await RunAsync(plan);

        Assert.Equal(JobState.Succeeded, job.State);
        Assert.Equal("s3cret-never-logged\n", await File.ReadAllTextAsync(target));
        Assert.DoesNotContain(_ssh.Audit.Entries, e => $"{e.Command} {e.Detail}".Contains("s3cret", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret", System.Text.Json.JsonSerializer.Serialize(job), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCommand_ChecksIncluded_IsInTheAuditLog_AsTheAdminWhoStartedTheJob()
    {
        await RunAsync(PlanOf(Write("a", "x\n")));

        var entries = _ssh.Audit.Entries;
        Assert.Contains(entries, e => e.Action == "provision.check" && e.Actor == "alice" && e.Command!.Contains("storageha-file-is", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Action == "provision.step" && e.Actor == "alice" && e.Command!.Contains("storageha-write-file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_KillsTheRunningCommand_AndLeavesTheJobCancelled()
    {
        var marker = Path.Combine(_dir, "survived");
        var slow = new PlanStep("slow", StepTarget.AllNodes, "A long wait", new NodeCommand(["sh", "-c", "sleep 30; touch \"$1\"", "slow", marker]));
        var (jobs, _) = Registry();
        var job = await jobs.StartAsync(1, "nas", JobKind.Apply, RunOf(PlanOf(slow, Write("after", "x\n"))));

        await foreach (var update in jobs.WatchAsync(job.Id, Timeout()))
        {
            if (update.Steps[0].State == StepState.Running) jobs.Cancel(job.Id);
            job = update;
        }

        Assert.Equal(JobState.Cancelled, job.State);
        Assert.Equal([StepState.Cancelled, StepState.Pending], job.Steps.Select(s => s.State));
        Assert.True(job.EndedAt - job.StartedAt < TimeSpan.FromSeconds(20), "cancel waited for the command instead of killing it");
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task CibBatch_EditsACopyInItsOwnDirectory_WithThePcs_AndIsPushedOnlyWhenItChangedSomething()
    {
        // The live CIB is a file: the node's sshd gives every command CIB_file, which the real pcs and cibadmin read and write.
        var live = fixture.LiveCib;
        await File.WriteAllTextAsync(live, await OfflineCib.EmptyAsync());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(live, (UnixFileMode)0x1B6); // the node's login user writes it
        var vip = new PlanStep("cib-vip", StepTarget.Cib, "Add a VIP", new UpsertCibElement(new(CibSubjectKind.VirtualIp, "vip1", "vip1"), "resources",
            System.Xml.Linq.XElement.Parse("<primitive id='vip1' class='ocf' provider='heartbeat' type='IPaddr2'/>"), "//primitive[@id='vip1']"));
        var plan = PlanOf(CibBatch.Fetch(), vip, CibBatch.Push());

        var first = await RunAsync(plan);
        var pushedAt = File.GetLastWriteTimeUtc(live);
        var second = await RunAsync(plan);

        Assert.True(first.State == JobState.Succeeded, first.Failure);
        Assert.Contains("<primitive id=\"vip1\"", await File.ReadAllTextAsync(live));
        var workDirectory = System.Text.RegularExpressions.Regex.Match(
            string.Join('\n', _ssh.Audit.Entries.Select(e => e.Command)), @"/tmp/storageha-cib\.[A-Za-z0-9]+").Value;
        Assert.StartsWith("/tmp/storageha-cib.", workDirectory);
        Assert.False(Directory.Exists(workDirectory), "the batch's directory was left behind");
        Assert.True(second.ChangedNothing, string.Join(", ", second.Steps.Select(s => $"{s.Id}={s.State}")));
        Assert.Equal(pushedAt, File.GetLastWriteTimeUtc(live));
    }

    [Fact]
    public async Task StepIdsAreOnlyLabels_ARealSpecsBatchAndItsTeardown_WithEveryIdRenamed_BuildAndThenRemoveTheConfiguration()
    {
        var live = fixture.LiveCib;
        await File.WriteAllTextAsync(live, await OfflineCib.EmptyAsync());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(live, (UnixFileMode)0x1B6);
        var spec = new ClusterSpec
        {
            Name = "nas", Purpose = ClusterPurpose.Smb,
            Nodes = [new NodeSpec { Name = "n1", Address = "192.0.2.11" }, new NodeSpec { Name = "n2", Address = "192.0.2.12" }],
            VirtualIps = [new VirtualIpSpec { Address = "192.0.2.101" }],
            Shares = [new ShareSpec { Name = "data", Path = "/srv/data" }],
            SharedState = new SharedStateSpec { RecoveryLock = "/srv/state/ctdb/reclock" },
            Fencing = new FencingSpec { NoFencingAcknowledged = true },
        };
        var noFacts = new Dictionary<string, StorageHa.Shared.Probe.NodeFacts>();
        static Plan CibPartRenamed(Plan plan) => plan with
        {
            Steps = plan.Steps.Where(s => s.Target.Kind == StepTargetKind.Cib).Select((s, i) => s with { Id = $"renamed-{i}" }).ToArray(),
        };

        var built = await RunAsync(CibPartRenamed(PlanBuilder.Build(spec, noFacts)));
        var again = await RunAsync(CibPartRenamed(PlanBuilder.Build(spec, noFacts)));
        var configured = await File.ReadAllTextAsync(live);
        var tornDown = await RunAsync(CibPartRenamed(LifecyclePlans.Teardown(spec, noFacts)));

        Assert.True(built.State == JobState.Succeeded, built.Failure);
        Assert.Contains("<primitive id=\"vip-192.0.2.101\"", configured);
        Assert.True(again.ChangedNothing, string.Join(", ", again.Steps.Select(s => $"{s.Id}={s.State}")));
        Assert.True(tornDown.State == JobState.Succeeded, tornDown.Failure);
        Assert.Empty(System.Xml.Linq.XDocument.Parse(await File.ReadAllTextAsync(live)).Descendants("resources").Single().Elements());
    }

    [Fact]
    public async Task AWaitForQuorum_EndsWhenCrmMonShowsIt()
    {
        await WriteLiveCibAsync(online: ["node1", "node2"]);
        var wait = new PlanStep("any-label", StepTarget.AllNodes, "Wait for quorum", new WaitForCluster(new QuorateWithOnline(["node1", "node2", "node3"]), 20));

        var running = RunAsync(PlanOf(wait));
        // The third node comes online only once the wait has read the cluster: earlier, the step is already done and never waits.
        var patience = Stopwatch.StartNew();
        while (!_ssh.Audit.Entries.Any(e => e.Action == "provision.cluster-state") && patience.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(50);
        await WriteLiveCibAsync(online: ["node1", "node2", "node3"]);
        var job = await running;

        Assert.True(job.State == JobState.Succeeded, job.Failure);
        Assert.StartsWith("quorate with node1, node2, node3 online after", job.Steps.Single().Runs.Single().Output);
        Assert.Contains(_ssh.Audit.Entries, e => e.Action == "provision.cluster-state" && e.Command == "crm_mon -1 --output-as=xml");
    }

    [Fact]
    public async Task AWaitThatNeverHolds_FailsOnceItsTimeIsUp_SayingWhatTheClusterShows()
    {
        await WriteLiveCibAsync(online: ["node1", "node2"]);
        var wait = new PlanStep("quorum", StepTarget.AllNodes, "Wait for quorum", new WaitForCluster(new QuorateWithOnline(["node1", "node2", "node3"]), 1));

        var job = await RunAsync(PlanOf(wait));

        Assert.Equal(JobState.Failed, job.State);
        Assert.Contains("still not quorate with node1, node2, node3 online after 1 s: quorate, but not online: node3", job.Failure);
    }

    [Fact]
    public async Task AStepWhoseClusterCheckHolds_IsAlreadyDone_AndItsCommandNeverRuns()
    {
        await WriteLiveCibAsync(online: ["node1", "node2"]);
        var marker = Path.Combine(_dir, "ran");
        // node4 has already left the cluster: there is nothing left to drain.
        var standby = new PlanStep("standby", StepTarget.AllNodes, "Drain node4",
            new NodeCommand(["touch", marker], new ClusterCheck(new Drained("node4"))));

        var job = await RunAsync(PlanOf(standby));

        Assert.Equal(StepState.AlreadyDone, job.Steps.Single().State);
        Assert.False(File.Exists(marker));
    }

    /// <summary>A live CIB with quorum whose status has these nodes online (the others configured but down).</summary>
    private async Task WriteLiveCibAsync(string[] online)
    {
        string[] nodes = ["node1", "node2", "node3"];
        var xml = $"""
            <cib crm_feature_set="3.16.2" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
              <configuration><crm_config/><nodes>{string.Concat(nodes.Select((n, i) => $"<node id=\"{i + 1}\" uname=\"{n}\"/>"))}</nodes><resources/><constraints/></configuration>
              <status>{string.Concat(online.Select(n => $"<node_state id=\"{Array.IndexOf(nodes, n) + 1}\" uname=\"{n}\" in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>"))}</status>
            </cib>
            """;
        // Written whole and renamed, so crm_mon never reads half a file.
        var next = fixture.LiveCib + ".next";
        await File.WriteAllTextAsync(next, xml);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(next, (UnixFileMode)0x1B6);
        File.Move(next, fixture.LiveCib, overwrite: true);
    }

    [Fact]
    public async Task AJobLeftRunningByAStoppedConsole_IsMarkedInterrupted_WhenTheConsoleStartsAgain()
    {
        var database = await DatabaseAsync();
        var store = new JobStore(database, TimeProvider.System);
        var left = await store.CreateAsync(1, "nas", JobKind.Apply, "alice", [JobStep.Pending(Write("a", "x"), ["node1"])], CancellationToken.None);

        var (jobs, _) = Registry(database);
        await jobs.StartAsync(CancellationToken.None);

        var found = await store.GetAsync(left.Id);
        Assert.Equal(JobState.Interrupted, found!.State);
        Assert.Contains("run it again", found.Failure);
    }

    [Fact]
    public async Task ConsoleStopping_KillsTheRunningCommand_AndRecordsTheJobInterruptedAtItsStep_NotLeftRunning()
    {
        var marker = Path.Combine(_dir, "survived-stop");
        var slow = new PlanStep("slow", StepTarget.AllNodes, "A long wait", new NodeCommand(["sh", "-c", "sleep 30; touch \"$1\"", "slow", marker]));
        var (jobs, store) = Registry();
        var job = await jobs.StartAsync(1, "nas", JobKind.Apply, RunOf(PlanOf(slow, Write("after", "x\n"))));
        await foreach (var update in jobs.WatchAsync(job.Id, Timeout()))
            if (update.Steps[0].State == StepState.Running) break;

        await jobs.StopAsync(Timeout());

        var stored = await store.GetAsync(job.Id);
        Assert.Equal(JobState.Interrupted, stored!.State);
        Assert.Equal("The console stopped during 'A long wait'. Steps already done stay done; run it again to continue.", stored.Failure);
        Assert.Equal([StepState.Cancelled, StepState.Pending], stored.Steps.Select(s => s.State));
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task NodeThatStopsAnsweringMidStep_FailsTheStepWithinSeconds_NotAtTheStepTimeout_SayingWhatIsNotKnown()
    {
        var hung = new PlanStep("hung", StepTarget.AllNodes, "A long wait", new NodeCommand(["sleep", "40.75"]));
        var runner = Runner(livenessInterval: TimeSpan.FromSeconds(1));
        var run = RunOf(PlanOf(hung));
        var pending = new ProvisioningJob(1, 1, "nas", JobKind.Apply, JobState.Running, "alice", DateTimeOffset.UtcNow, null,
            run.Plan.Steps.Select(s => JobStep.Pending(s, run.NodesOf(s))).ToArray());
        FrozenSshd? frozen = null;
        var freezing = Task.Run(async () =>
        {
            await DroppedConnectionTests.WaitUntilRunningAsync("^sleep 40.75");
            frozen = FrozenSshd.Freeze(fixture.Sshd); // the node hangs with the step's command running on it
        });
        ProvisioningJob job;
        try { job = await runner.RunAsync(pending, run, _ => Task.CompletedTask, Timeout()); }
        finally
        {
            await freezing;
            frozen?.Dispose();
            using var kill = System.Diagnostics.Process.Start("pkill", ["-f", "^sleep 40.75"]);
            await kill!.WaitForExitAsync();
        }

        Assert.Equal(JobState.Failed, job.State);
        Assert.True(job.EndedAt - job.StartedAt < TimeSpan.FromSeconds(30), "the job waited for the hung command instead of noticing the node");
        Assert.Contains("stopped answering while this step ran", job.Failure);
        Assert.Contains("whether the step finished there is not known", job.Failure);
        Assert.Contains(_ssh.Audit.Entries, e => e.Command == "true" && e.ExitCode is null);
    }

    [Fact]
    public async Task SecondJob_OnTheSameCluster_IsRefusedWhileTheFirstRuns()
    {
        var slow = new PlanStep("slow", StepTarget.AllNodes, "A long wait", new NodeCommand(["sleep", "20"]));
        var (jobs, _) = Registry();
        var first = await jobs.StartAsync(1, "nas", JobKind.Apply, RunOf(PlanOf(slow)));
        try
        {
            var refused = await Assert.ThrowsAsync<StorageHa.Shared.Validation.ConflictException>(() => jobs.StartAsync(1, "nas", JobKind.Apply, RunOf(PlanOf(slow))));
            Assert.Contains("already has a job running", refused.Message);
        }
        finally
        {
            jobs.Cancel(first.Id);
            await foreach (var _ in jobs.WatchAsync(first.Id, Timeout())) { }
        }
    }

    [Fact]
    public async Task NodeHelperStep_InstallsTheBundledHelperBeforeItsCommandRuns_AndARerun_FindsItCurrent()
    {
        var helper = new PlanStep("node-helper", StepTarget.AllNodes, "Install the node helper", new InstallNodeHelper(Layout.BinaryPath));

        var first = await RunAsync(PlanOf(helper));
        var second = await RunAsync(PlanOf(helper));

        Assert.Equal(JobState.Succeeded, first.State);
        var output = first.Steps.Single().Runs.Single().Output;
        Assert.Contains($"installed {Layout.BinaryPath}", output);
        Assert.Contains($"{NodeHelperPackage.BinaryName} {NodeHelperPackage.Load(NodeHelperPackage.DefaultDirectory).Version}", output);
        Assert.Equal(StepState.AlreadyDone, second.Steps.Single().State);
    }

    private PlanStep Write(string name, string content) =>
        new($"write-{name}", StepTarget.AllNodes, $"Write {name}", new WriteFile(Path.Combine(_dir, name), "644", StepInput.Of(content), Path.Combine(_dir, "originals")));

    private static Plan PlanOf(params PlanStep[] steps) => new("nas", steps, [], []);

    private PlanRun RunOf(Plan plan) =>
        new(plan, new Dictionary<string, StorageHa.Server.Ssh.SshTarget> { ["node1"] = _ssh.PasswordTarget() }, Secrets, "alice");

    private async Task<ProvisioningJob> RunAsync(Plan plan)
    {
        var (jobs, _) = Registry(await DatabaseAsync());
        var job = await jobs.StartAsync(1, "nas", JobKind.Apply, RunOf(plan));
        await foreach (var update in jobs.WatchAsync(job.Id, Timeout())) job = update;
        return job;
    }

    private Database? _database;

    private async Task<Database> DatabaseAsync()
    {
        if (_database is not null) return _database;
        _database = new Database(Path.Combine(_dataDir, "storageha.db"));
        await new Migrator(_database, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var c = await _database.OpenAsync();
        await Dapper.SqlMapper.ExecuteAsync(c, "INSERT OR IGNORE INTO clusters (id, name, purpose, created_at) VALUES (1, 'nas', 'Smb', '2026-01-01T00:00:00Z')");
        return _database;
    }

    private (ProvisioningJobs Jobs, JobStore Store) Registry(Database? database = null)
    {
        database ??= DatabaseAsync().GetAwaiter().GetResult();
        var store = new JobStore(database, TimeProvider.System);
        return (new ProvisioningJobs(store, Runner(), new ServeCheckStore(database), TimeProvider.System, NullLogger<ProvisioningJobs>.Instance), store);
    }

    /// <summary>The console's runner; the node helper goes under a root in the shared directory, never the test machine's /usr.</summary>
    private PlanRunner Runner(TimeSpan? livenessInterval = null) =>
        new(_ssh.Runner, new NodeHelperDeployer(_ssh.Runner, new NodeHelperSettings { Layout = Layout }), TimeProvider.System, livenessInterval);

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    /// <summary>A directory the test sshd's unprivileged user can write to.</summary>
    private static string MakeSharedDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("storageha-runner-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        return dir;
    }

    public void Dispose()
    {
        _ssh.Dispose();
        foreach (var dir in new[] { _dir, _dataDir })
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A test sshd whose sessions get root's PATH (with /usr/sbin, where pcs and cibadmin live), as on a cluster node.</summary>
public sealed class NodeLikeSshd : IAsyncLifetime
{
    public StorageHa.TestSupport.Sshd.TestSshd Sshd { get; private set; } = null!;

    /// <summary>The "live CIB" of this node: pcs and cibadmin read and write this file instead of a running cluster.</summary>
    public string LiveCib { get; } = Path.Combine(Path.GetTempPath(), $"storageha-live-cib-{Guid.NewGuid():N}.xml");

    public async Task InitializeAsync() => Sshd = await StorageHa.TestSupport.Sshd.TestSshd.StartAsync(
        new Dictionary<string, string> { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ["CIB_file"] = LiveCib });

    public async Task DisposeAsync()
    {
        await Sshd.DisposeAsync();
        File.Delete(LiveCib);
    }
}
