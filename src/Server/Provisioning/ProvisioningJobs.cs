using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using StorageHa.Server.Serving;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Provisioning;

/// <summary>
/// The jobs running in this console: at most one per cluster, each in the background with its own cancellation, every
/// change saved and handed to whoever watches. At start-up, jobs a stopped console left running are marked interrupted.
/// </summary>
public sealed class ProvisioningJobs(JobStore store, PlanRunner runner, ServeCheckStore serveChecks, TimeProvider time, ILogger<ProvisioningJobs> log) : IHostedService
{
    private readonly ConcurrentDictionary<long, LiveJob> _running = new();
    private readonly HashSet<long> _busyClusters = [];

    public async Task StartAsync(CancellationToken ct)
    {
        var interrupted = await store.MarkInterruptedAsync(ct);
        if (interrupted > 0) log.LogWarning("{Count} provisioning job(s) were running when the console stopped; marked interrupted", interrupted);
    }

    /// <summary>
    /// The console is stopping: every running job is cancelled as the admin's cancel would (the running command is killed,
    /// no later step runs) and waited for, so its record says where it was interrupted instead of a job left "running".
    /// </summary>
    public async Task StopAsync(CancellationToken ct)
    {
        var live = _running.Values.ToList();
        foreach (var job in live)
        {
            job.ConsoleStopping = true;
            try { job.Cancellation.Cancel(); } catch (ObjectDisposedException) { } // it ended meanwhile
        }
        try { await Task.WhenAll(live.Select(j => j.Ended)).WaitAsync(ct); }
        catch (OperationCanceledException) { log.LogWarning("The console stopped before its provisioning jobs did; they will show as interrupted"); }
    }

    /// <summary>Creates the job and runs it in the background; refused while the cluster already has a job running.</summary>
    /// <param name="onSucceeded">What the inventory must learn from a job that ended well (a removed node leaves it).</param>
    public async Task<ProvisioningJob> StartAsync(long clusterId, string cluster, JobKind kind, PlanRun run, CancellationToken ct = default,
        Func<ProvisioningJob, Task>? onSucceeded = null)
    {
        lock (_busyClusters)
            if (!_busyClusters.Add(clusterId))
                throw new ConflictException("cluster", $"{cluster} already has a job running; wait for it to end or cancel it.");
        try
        {
            var job = await store.CreateAsync(clusterId, cluster, kind, run.Actor, run.Plan.Steps.Select(s => JobStep.Pending(s, run.NodesOf(s))).ToArray(), ct);
            var live = new LiveJob(job);
            _running[job.Id] = live;
            _ = Task.Run(() => RunAsync(live, run, clusterId, onSucceeded), CancellationToken.None);
            return job;
        }
        catch
        {
            lock (_busyClusters) _busyClusters.Remove(clusterId);
            throw;
        }
    }

    public bool Cancel(long jobId)
    {
        if (!_running.TryGetValue(jobId, out var live)) return false;
        live.Cancellation.Cancel();
        return true;
    }

    /// <summary>The job now and after every change while it runs; a finished job once, from the store.</summary>
    public async IAsyncEnumerable<ProvisioningJob> WatchAsync(long jobId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!_running.TryGetValue(jobId, out var live))
        {
            if (await store.GetAsync(jobId, ct) is { } stored) yield return stored;
            yield break;
        }
        var changes = live.Subscribe();
        try
        {
            await foreach (var job in changes.Reader.ReadAllAsync(ct)) yield return job;
        }
        finally { live.Unsubscribe(changes); }
    }

    private async Task RunAsync(LiveJob live, PlanRun run, long clusterId, Func<ProvisioningJob, Task>? onSucceeded)
    {
        try
        {
            var ended = await runner.RunAsync(live.Current, run, async job =>
            {
                if (job.State == JobState.Cancelled && live.ConsoleStopping) job = Interrupted(job);
                // Kept before the job is seen to end: whoever waits for the end then finds the check it made.
                if (job.EndedAt is not null) await KeepServeCheckAsync(clusterId, run.Plan, job);
                live.Publish(job);
                await store.SaveAsync(job);
            }, live.Cancellation.Token);
            if (ended.State == JobState.Succeeded && onSucceeded is not null) await onSucceeded(ended);
        }
        catch (Exception ex)
        {
            // Whatever went wrong outside a step (the store, a missing secret) still ends the job visibly.
            log.LogError(ex, "Provisioning job {Job} stopped unexpectedly", live.Current.Id);
            var failed = live.Current with { State = JobState.Failed, Failure = $"The job stopped unexpectedly: {ex.Message}", EndedAt = time.GetUtcNow() };
            live.Publish(failed);
            try { await store.SaveAsync(failed); } catch (Exception saveError) { log.LogError(saveError, "Could not save job {Job}", failed.Id); }
        }
        finally
        {
            live.Complete();
            _running.TryRemove(live.Current.Id, out _);
            lock (_busyClusters) _busyClusters.Remove(clusterId);
            live.Cancellation.Dispose();
        }
    }

    /// <summary>A job that reached its serve check leaves it as the cluster's latest, served or not.</summary>
    private async Task KeepServeCheckAsync(long clusterId, Plan plan, ProvisioningJob ended)
    {
        var checks = plan.Steps.Select((step, i) => (step, job: ended.Steps[i]))
            .Where(s => s.step.ChecksServing && s.job.State is StepState.Done or StepState.Failed).ToList();
        if (checks.Count > 0)
            await serveChecks.SaveAsync(clusterId, ServeReport.FromRuns(ended.EndedAt ?? time.GetUtcNow(), checks.SelectMany(c => c.job.Runs)));
    }

    private static ProvisioningJob Interrupted(ProvisioningJob job) => job with
    {
        State = JobState.Interrupted,
        Failure = $"The console stopped during '{job.Steps.FirstOrDefault(s => s.State == StepState.Cancelled)?.Description ?? "the job"}'. " +
            "Steps already done stay done; run it again to continue.",
    };

    /// <summary>A running job: its latest state and the watchers' mailboxes (each keeps only the newest state).</summary>
    private sealed class LiveJob(ProvisioningJob job)
    {
        private readonly List<Channel<ProvisioningJob>> _watchers = [];
        private bool _completed;

        public ProvisioningJob Current { get; private set; } = job;
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        /// <summary>Cancelled because the console is stopping, not by an admin.</summary>
        public bool ConsoleStopping { get; set; }

        public Task Ended => _ended.Task;

        public Channel<ProvisioningJob> Subscribe()
        {
            var channel = Channel.CreateBounded<ProvisioningJob>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
            lock (_watchers)
            {
                channel.Writer.TryWrite(Current);
                if (_completed) channel.Writer.TryComplete();
                else _watchers.Add(channel);
            }
            return channel;
        }

        public void Unsubscribe(Channel<ProvisioningJob> channel)
        {
            lock (_watchers) _watchers.Remove(channel);
        }

        public void Publish(ProvisioningJob job)
        {
            lock (_watchers)
            {
                Current = job;
                foreach (var watcher in _watchers) watcher.Writer.TryWrite(job);
            }
        }

        public void Complete()
        {
            lock (_watchers)
            {
                _completed = true;
                foreach (var watcher in _watchers) watcher.Writer.TryComplete();
                _watchers.Clear();
            }
            _ended.TrySetResult();
        }
    }
}
