using System.Diagnostics;
using System.Globalization;

namespace StorageHa.TestSupport.Lab;

/// <summary>
/// An independent client measuring its own outage through a VIP: docker/lab/outage-client.py in a network namespace (the lab's client namespace),
/// trying every <see cref="Period"/> with Samba's own client library (a guest session, a tree connect, a listing of the
/// share) or libnfs (an NFSv4 mount and listing of the path: no OPEN, so a Ganesha in grace still answers it), each try
/// killed after <see cref="AttemptLimit"/>. The tries are forked from one running program and time themselves, so a
/// loaded machine does not add a program's start to them (smbclient's took 0.2–0.7 s, too much for a 0.5 s comparison).
/// Its outage is measured as the console's probes measure theirs, so the two can be compared: a try not answered within
/// <see cref="AnswerWithin"/>, or answered with an error, is one not served, unless another try was served within
/// <see cref="AnswerWithin"/> of it (then it was slow, or its session was cut and its client reconnected); the outage runs
/// from the first try not served (<see cref="Attempt.NotServedAt"/>) to the end of the first try served after it.
/// </summary>
public sealed class ClientOutageWatch : IAsyncDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    /// <summary>The console's probes wait as long for an answer (ServiceProbeOptions' default timeout): so do clients judged against them.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(1.5);
    /// <summary>A try is killed just after it stopped counting: a stalled server does not pile up the client's own processes (and smbd's).</summary>
    public static readonly TimeSpan AttemptLimit = AnswerWithin + TimeSpan.FromSeconds(0.1);

    public static RequiredTool[] Tools { get; } = [RequiredTool.Python, RequiredTool.SambaPython, RequiredTool.LibNfs];

    private readonly List<Attempt> _attempts = [];
    private readonly List<string> _errors = [];
    private readonly Process _process;
    private readonly Task _reading;
    private bool _disposed;

    private ClientOutageWatch(string networkNamespace, string what, string kind, string vip, string target)
    {
        RequiredTool.Require(Tools);
        What = what;
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "netns", "exec", networkNamespace, RequiredTool.Python.Find()!, Script, kind, vip, target,
                     Seconds(Period), Seconds(AttemptLimit) })
            info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{what}: ip did not start");
        _reading = Task.WhenAll(ReadAsync(_process.StandardOutput, Take), ReadAsync(_process.StandardError, line => { lock (_errors) _errors.Add(line); }));
    }

    public string What { get; }

    public static ClientOutageWatch Smb(string networkNamespace, string vip, string share) =>
        new(networkNamespace, $"SMB client of //{vip}/{share}", "smb", vip, share);

    public static ClientOutageWatch Nfs(string networkNamespace, string vip, string path) =>
        new(networkNamespace, $"NFSv4 client of {vip}:{path}", "nfs", vip, path);

    /// <summary>Waits until a try is served: the watch measures from a served start.</summary>
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
        var attempts = Attempts();
        var notServed = attempts
            .Where(a => a.NotServedAt >= since && !(a.NotServedAt >= until))
            .Where(a => !attempts.Any(served => served.Ok && served.End > a.NotServedAt && served.End <= a.NotServedBy))
            .MinBy(a => a.NotServedAt);
        if (notServed?.NotServedAt is not { } from) return null;
        var served = attempts.Where(a => a.Ok && a.End > from).MinBy(a => a.End);
        return served is null ? null : (from, served.End);
    }

    /// <summary>
    /// The tries not served (failed or slow; with <paramref name="servedToo"/> every try) between two times, for the log: when
    /// each started (from <paramref name="since"/>), how long it took, why.
    /// </summary>
    public string FailuresBetween(DateTimeOffset since, DateTimeOffset until, bool servedToo = false) => string.Join(", ", Attempts()
        .Where(a => a.Start >= since && a.Start < until && (servedToo || a.NotServedAt is not null)).OrderBy(a => a.Start)
        .Select(a => $"+{(a.Start - since).TotalSeconds:0.00} s {(a.NotServedAt is null ? "served" : a.Ok ? "slow" : a.Why)} after {(a.End - a.Start).TotalSeconds:0.00} s"));

    /// <summary>Every try so far, for the log: how many, how many served, and anything the client wrote to stderr.</summary>
    public string Summary()
    {
        var attempts = Attempts();
        string errors;
        lock (_errors) errors = _errors.Count == 0 ? "" : $"; it said: {string.Join(" / ", _errors.TakeLast(3))}";
        return $"{What}: {attempts.Count} tries, {attempts.Count(a => a.Ok)} served{errors}";
    }

    private List<Attempt> Attempts()
    {
        lock (_attempts) return [.. _attempts];
    }

    /// <summary>One line per try: "&lt;start&gt; &lt;end&gt; ok|failed &lt;why&gt;", times in seconds since the epoch.</summary>
    private void Take(string line)
    {
        var fields = line.Split(' ', 4);
        if (fields.Length < 3 || !double.TryParse(fields[0], CultureInfo.InvariantCulture, out var start)
            || !double.TryParse(fields[1], CultureInfo.InvariantCulture, out var end))
        {
            lock (_errors) _errors.Add(line);
            return;
        }
        var attempt = new Attempt(At(start), At(end), fields[2] == "ok", fields.Length > 3 ? fields[3] : "");
        lock (_attempts) _attempts.Add(attempt);
    }

    private static DateTimeOffset At(double secondsSinceEpoch) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(secondsSinceEpoch * 1000));

    private static async Task ReadAsync(StreamReader reader, Action<string> take)
    {
        while (await reader.ReadLineAsync() is { } line) take(line);
    }

    private async Task UntilAsync(TimeSpan limit, string what, Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited) throw new InvalidOperationException($"{what}: the client ended (exit {_process.ExitCode}); {Summary()}");
            if (clock.Elapsed > limit) throw new TimeoutException($"{what}: not within {limit.TotalSeconds:0} s; {Summary()}");
            await Task.Delay(100);
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Script => Path.Combine(LabCommand.RepositoryRoot(), "docker", "lab", "outage-client.py");

    /// <summary>Closes the client's stdin, which ends it; the tries in flight are killed with it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            try { _process.StandardInput.Close(); } catch (IOException) { }
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        await _reading;
        _process.Dispose();
    }

    private sealed record Attempt(DateTimeOffset Start, DateTimeOffset End, bool Ok, string Why)
    {
        private bool Answered => End - Start <= AnswerWithin;

        /// <summary>
        /// From when the try says the VIP was not served: a try not answered within <see cref="AnswerWithin"/>, from its start (as the
        /// console's probe counts one); a try answered with an error (reset, refused, no such share), from that answer, since a
        /// session may have been served for a while before it was cut. Null for a try served in time.
        /// </summary>
        public DateTimeOffset? NotServedAt => !Answered ? Start : Ok ? null : End;

        /// <summary>
        /// Until when a try served after <see cref="NotServedAt"/> makes this one no outage: the same <see cref="AnswerWithin"/> the
        /// console's probes wait. An unanswered try served by then was slow; a session the move cut (the drill reports those as
        /// closed or reset) whose client is served again by then reconnected.
        /// </summary>
        public DateTimeOffset? NotServedBy => NotServedAt + AnswerWithin;
    }
}
