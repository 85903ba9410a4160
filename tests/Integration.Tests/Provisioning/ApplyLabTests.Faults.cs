using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// Faults during an apply, on the console-built cluster: each test changes the cluster to the other spec (a VIP added or
/// removed) and breaks something just as the batch is pushed. Whatever happens, the CIB holds the old spec or the whole
/// new one, never part of it, and running the job again converges.
/// </summary>
public sealed partial class ApplyLabTests
{
    /// <summary>Into the push: pcs has started but not finished (it takes about a second to diff and patch).</summary>
    private static readonly TimeSpan IntoThePush = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task SshConnectionCutDuringThePush_FailsTheJob_LeavesTheOldOrTheWholeNewCib_AndARerunConverges()
    {
        var cluster = await built.BuildAsync(fixture);
        var (from, to) = (cluster.Applied, cluster.Other(cluster.Applied));

        var (hook, faulted) = DuringThePush(() =>
        {
            cluster.Apply.DropConnections("node1");
            return Task.CompletedTask;
        });
        var job = await cluster.Apply.RunPlanAsync(cluster.PlanOf(to), ConsoleBuiltCluster.Secrets, hook);
        await faulted();

        Assert.True(job.State == JobState.Failed, ConsoleBuiltCluster.Describe(job));
        Assert.Contains("node1", job.Failure);
        await WhenNoPushRunsAsync("node1");
        await AssertOldOrWholeNewThenConvergesAsync(cluster, from, to, judgeOn: "node1");
    }

    [Fact]
    public async Task NodeCrashedDuringThePush_FailsTheJob_LeavesTheOldOrTheWholeNewCib_AndARerunConverges()
    {
        var cluster = await built.BuildAsync(fixture);
        var (from, to) = (cluster.Applied, cluster.Other(cluster.Applied));

        var (hook, faulted) = DuringThePush(() => fixture.Lab.RunCheckedAsync("crash", "node1"));
        var job = await cluster.Apply.RunPlanAsync(cluster.PlanOf(to), ConsoleBuiltCluster.Secrets, hook);
        await faulted();

        Assert.True(job.State == JobState.Failed, ConsoleBuiltCluster.Describe(job));
        // The survivors hold the CIB; the crashed node comes back with its own copy and takes theirs when it rejoins.
        var held = await cluster.CibHoldsAsync("node2", from, to);
        Assert.True(held is not null, "node2's CIB holds part of the change");
        output.WriteLine($"node1 crashed in the push: the survivors kept {cluster.Describe(held!)}");
        await fixture.Lab.RunCheckedAsync("start", "node1");
        await AssertOldOrWholeNewThenConvergesAsync(cluster, from, to, judgeOn: "node1");
    }

    [Fact]
    public async Task ConsoleStoppedDuringThePush_RecordsTheJobInterrupted_LeavesTheOldOrTheWholeNewCib_AndTheNextConsoleConverges()
    {
        var cluster = await built.BuildAsync(fixture);
        var (from, to) = (cluster.Applied, cluster.Other(cluster.Applied));
        var stopping = cluster.Apply.NewConsole();
        var plan = cluster.PlanOf(to);

        var job = await stopping.StartAsync(cluster.Apply.ClusterId, plan.Cluster, JobKind.Apply, cluster.Apply.RunOf(plan, ConsoleBuiltCluster.Secrets));
        using (var limit = new CancellationTokenSource(TimeSpan.FromMinutes(10)))
            await foreach (var update in stopping.WatchAsync(job.Id, limit.Token))
                if (update.Steps.Single(s => s.Id == "cib-push").State != StepState.Pending) break; // a watcher may see only the newest change
        await Task.Delay(IntoThePush);
        using (var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            await stopping.StopAsync(shutdown.Token);

        var next = cluster.Apply.NewConsole();
        var stored = await new JobStore(cluster.Apply.Database, TimeProvider.System).GetAsync(job.Id);
        Assert.True(stored!.State == JobState.Interrupted, ConsoleBuiltCluster.Describe(stored));
        Assert.Contains("The console stopped during", stored.Failure);
        await WhenNoPushRunsAsync("node1");
        await AssertOldOrWholeNewThenConvergesAsync(cluster, from, to, judgeOn: "node1", next);
    }

    [Fact]
    public async Task PcsChangeBetweenFetchAndPush_ThatCollidesWithTheBatch_StopsThePushNamingTheConflict_AndOneThatDoesNot_IsKept()
    {
        var cluster = await built.BuildAsync(fixture);
        if (ReferenceEquals(cluster.Applied, cluster.Grown)) await cluster.ConvergeAsync(cluster.Base);

        // Someone deletes the VIP set the batch adds the new VIP to: the push is refused as a whole, and their change stays.
        var refused = await cluster.Apply.RunPlanAsync(cluster.PlanOf(cluster.Grown), ConsoleBuiltCluster.Secrets, AtThePush(() =>
            cluster.Apply.RunAsync("node2", "pcs", "constraint", "delete", CibBatch.ColocationVipsWithServices)));
        Assert.True(refused.State == JobState.Failed, ConsoleBuiltCluster.Describe(refused));
        Assert.Equal(StepState.Failed, refused.Steps.Single(s => s.Id == "cib-push").State);
        Assert.Contains("changed since the batch fetched it", refused.Failure);
        output.WriteLine($"the colliding push: {refused.Failure}");
        var cib = await cluster.CibAsync("node1");
        Assert.DoesNotContain($"id=\"{CibBatch.ColocationVipsWithServices}\"", cib, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"{ResourceIds.Vip(cluster.Grown.VirtualIps[^1].Address)}\"", cib, StringComparison.Ordinal);
        await cluster.ConvergeAsync(cluster.Grown);

        // Someone adds a resource of their own with pcs while the batch is being built: the push keeps it.
        var kept = await cluster.Apply.RunPlanAsync(cluster.PlanOf(cluster.Base), ConsoleBuiltCluster.Secrets, AtThePush(() =>
            cluster.Apply.RunAsync("node2", "pcs", "resource", "create", "admins-dummy", "ocf:heartbeat:Dummy")));
        Assert.True(kept.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(kept));
        cib = await cluster.CibAsync("node1");
        Assert.Contains("id=\"admins-dummy\"", cib, StringComparison.Ordinal);
        Assert.All(Drift.Find(cluster.PlanOf(cluster.Base), cib).Items, i => Assert.Equal((DriftKind.Extra, "admins-dummy"), (i.Kind, i.Resource)));
        await cluster.Apply.RunAsync("node2", "pcs", "resource", "delete", "admins-dummy");
        cluster.ConvergedTo(cluster.Base);
    }

    /// <summary>The CIB holds one spec entirely; then the job run again (by <paramref name="console"/>) converges to the new one.</summary>
    private async Task AssertOldOrWholeNewThenConvergesAsync(ConsoleBuiltCluster cluster, ClusterSpec from, ClusterSpec to, string judgeOn,
        ProvisioningJobs? console = null)
    {
        var held = await cluster.CibHoldsAsync(judgeOn, from, to);
        Assert.True(held is not null, $"{judgeOn}'s CIB holds part of the change");
        output.WriteLine($"after the fault the CIB holds {cluster.Describe(held!)}");

        var (rerun, took) = await cluster.Apply.ApplyAsync(cluster.PlanOf(to), ConsoleBuiltCluster.Secrets, console);
        Assert.True(rerun.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(rerun));
        output.WriteLine($"re-run converged in {took.TotalSeconds:0.0} s");
        Assert.Same(to, await cluster.CibHoldsAsync(judgeOn, to));
        await AssertEverythingRunsAsync(cluster, judgeOn);
        cluster.ConvergedTo(to);
    }

    /// <summary>
    /// Starts <paramref name="fault"/> <see cref="IntoThePush"/> after the runner began pushing, without holding the runner
    /// back; <c>Faulted</c> ends when the fault was done.
    /// </summary>
    private static (Func<ProvisioningJob, Task> Hook, Func<Task> Faulted) DuringThePush(Func<Task> fault)
    {
        Task? faulting = null;
        var hook = AtThePush(() =>
        {
            faulting = Task.Run(async () =>
            {
                await Task.Delay(IntoThePush);
                await fault();
            });
            return Task.CompletedTask;
        });
        return (hook, () => faulting ?? throw new InvalidOperationException("The job never reached the push."));
    }

    /// <summary>Calls <paramref name="act"/> and waits for it the moment the runner is about to push the batch: between fetch and push.</summary>
    private static Func<ProvisioningJob, Task> AtThePush(Func<Task> act)
    {
        var done = false;
        return job =>
        {
            if (done || job.Steps.Single(s => s.Id == "cib-push").State != StepState.Running) return Task.CompletedTask;
            done = true;
            return act();
        };
    }

    /// <summary>A push cut off from the console may still be running on the node; the CIB is judged once it ended.</summary>
    private async Task WhenNoPushRunsAsync(string node)
    {
        for (var i = 0; i < 60; i++)
        {
            // [c]: the pattern does not match the command line that carries it.
            var running = await fixture.Lab.RunAsync("exec", node, "pgrep", "-f", "[c]luster cib-push");
            if (!running.Succeeded) return;
            await Task.Delay(1000);
        }
        throw new TimeoutException($"A pcs cluster cib-push still runs on {node} after 60 s");
    }
}
