using System.Diagnostics;
using StorageHa.TestSupport.Lab;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// An independent client measuring its own outage through a VIP: a real smbclient (a guest listing of a share) or libnfs's
/// nfs-ls (NFSv4: no OPEN, so a Ganesha in grace still answers it), started every <see cref="Period"/> in the lab's client
/// namespace whatever the earlier ones are doing, each killed after <see cref="AttemptLimit"/>. Its outage is measured as the
/// probes measure theirs: from the start of the first failed attempt (of several in a row) to the end of the first one served after it.
/// </summary>
public sealed class ClientOutageWatch : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);
    /// <summary>A loaded CI machine takes seconds to start smbclient: a limit near its 1 s probes' would count slowness as outage.</summary>
    public static readonly TimeSpan AttemptLimit = TimeSpan.FromSeconds(3);
    /// <summary>Attempts in flight at once: a VIP without service keeps each until its limit.</summary>
    private const int MaxInFlight = 16;
    /// <summary>Failed attempts in a row that make an outage: one slow attempt on a loaded machine is not one.</summary>
    private const int FailuresInARow = 3;

    private readonly LabDescription _lab;
    private readonly string[] _command;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Attempt> _attempts = [];
    private readonly Task _running;
    private int _inFlight;

    private ClientOutageWatch(LabDescription lab, string what, string[] command)
    {
        (_lab, What, _command) = (lab, what, command);
        _running = Task.Run(LoopAsync);
    }

    public string What { get; }

    public static ClientOutageWatch Smb(LabDescription lab, string vip, string share) =>
        new(lab, $"smbclient //{vip}/{share}", ["smbclient", $"//{vip}/{share}", "-N", "-c", "ls"]);

    public static ClientOutageWatch Nfs(LabDescription lab, string vip, string path) =>
        new(lab, $"nfs-ls nfs://{vip}{path}", ["nfs-ls", $"nfs://{vip}{path}?version=4"]);

    /// <summary>Waits until an attempt is served: the watch measures from a served start.</summary>
    public Task ServedAsync(TimeSpan limit) => UntilAsync(limit, $"{What} served", () => Attempts().Any(a => a.Ok));

    /// <summary>The outage that began after <paramref name="since"/>, once served again (within <paramref name="limit"/>).</summary>
    public async Task<(DateTimeOffset NotServedAt, DateTimeOffset ServedAt)> OutageAsync(DateTimeOffset since, TimeSpan limit)
    {
        (DateTimeOffset, DateTimeOffset)? outage = null;
        await UntilAsync(limit, $"{What} failing after {since:HH:mm:ss.f} and then served again", () => (outage = Find(since)) is not null);
        return outage!.Value;
    }

    /// <summary>The outage that began between <paramref name="since"/> and <paramref name="until"/>, if the watch saw one end.</summary>
    public (DateTimeOffset NotServedAt, DateTimeOffset ServedAt)? OutageBetween(DateTimeOffset since, DateTimeOffset until) => Find(since, until);

    private (DateTimeOffset, DateTimeOffset)? Find(DateTimeOffset since, DateTimeOffset? until = null)
    {
        var attempts = Attempts().Where(a => a.Start >= since).OrderBy(a => a.Start).ToList();
        for (var i = 0; i + FailuresInARow <= attempts.Count; i++)
        {
            if (attempts.Skip(i).Take(FailuresInARow).Any(a => a.Ok)) continue;
            var failed = attempts[i];
            if (failed.Start >= until) return null;
            var served = attempts.Where(a => a.Ok && a.Start > failed.Start).OrderBy(a => a.End).FirstOrDefault();
            return served is null ? null : (failed.Start, served.End);
        }
        return null;
    }

    /// <summary>The attempts that failed between two times, for the log: when each started (from <paramref name="since"/>), how long it took, why.</summary>
    public string FailuresBetween(DateTimeOffset since, DateTimeOffset until) => string.Join(", ", Attempts()
        .Where(a => a.Start >= since && a.Start < until && !a.Ok).OrderBy(a => a.Start)
        .Select(a => $"+{(a.Start - since).TotalSeconds:0.0} s {a.Why} after {(a.End - a.Start).TotalSeconds:0.0} s"));

    /// <summary>Every attempt so far, for the log: how many, how many served.</summary>
    public string Summary()
    {
        var attempts = Attempts();
        return $"{What}: {attempts.Count} attempts, {attempts.Count(a => a.Ok)} served";
    }

    private List<Attempt> Attempts()
    {
        lock (_attempts) return [.. _attempts];
    }

    private async Task LoopAsync()
    {
        var running = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            if (Volatile.Read(ref _inFlight) < MaxInFlight) running.Add(AttemptAsync());
            try { await Task.Delay(Period, _stop.Token); }
            catch (OperationCanceledException) { break; }
            running.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(running);
    }

    private async Task AttemptAsync()
    {
        Interlocked.Increment(ref _inFlight);
        var start = DateTimeOffset.UtcNow;
        var ok = false;
        var why = "did not start";
        try
        {
            var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "netns", "exec", _lab.ClientNamespace }.Concat(_command)) info.ArgumentList.Add(arg);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("ip did not start");
            using var limit = new CancellationTokenSource(AttemptLimit);
            var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(limit.Token), process.StandardError.ReadToEndAsync(limit.Token));
            try
            {
                await process.WaitForExitAsync(limit.Token);
                ok = process.ExitCode == 0;
                why = $"exit {process.ExitCode}";
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                why = "killed";
            }
            try { await output; } catch (OperationCanceledException) { }
        }
        finally
        {
            var end = DateTimeOffset.UtcNow;
            lock (_attempts) _attempts.Add(new Attempt(start, end, ok, why));
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static async Task UntilAsync(TimeSpan limit, string what, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"{what}: not within {limit.TotalSeconds:0} s");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    private sealed record Attempt(DateTimeOffset Start, DateTimeOffset End, bool Ok, string Why);
}
