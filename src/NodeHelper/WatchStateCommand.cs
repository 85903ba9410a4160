using System.Diagnostics;
using System.Globalization;
using StorageHa.Shared.State;

namespace StorageHa.NodeHelper;

/// <summary>How watch-state paces itself.</summary>
/// <param name="Heartbeat">A heartbeat after this long without a record, so the console tells a hung stream from a quiet cluster.</param>
/// <param name="Reread">crm_mon read again after this long even without a CIB change: the fencer's history and pacemakerd's state are not in the CIB.</param>
/// <param name="MinGap">At least this long between two crm_mon runs, however fast the CIB changes (changes meanwhile are read together).</param>
internal sealed record WatchStateOptions(TimeSpan Heartbeat, TimeSpan Reread, TimeSpan MinGap)
{
    public static readonly WatchStateOptions Default = new(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50));

    /// <summary>The options, or null with what is wrong in <paramref name="problem"/>.</summary>
    public static WatchStateOptions? Parse(IReadOnlyList<string> args, out string problem)
    {
        var options = Default;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (option is not ("--heartbeat" or "--reread" or "--min-gap"))
            {
                problem = $"unknown option '{option}'";
                return null;
            }
            if (i + 1 >= args.Count)
            {
                problem = $"{option} needs a value";
                return null;
            }
            var value = args[++i];
            var (least, most) = option == "--min-gap" ? (0.0, 10.0) : (0.1, 3600.0);
            if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds < least || seconds > most)
            {
                problem = $"{option}: '{value}' is not a number of seconds from {least} to {most}";
                return null;
            }
            var span = TimeSpan.FromSeconds(seconds);
            options = option switch
            {
                "--heartbeat" => options with { Heartbeat = span },
                "--reread" => options with { Reread = span },
                _ => options with { MinGap = span },
            };
        }
        problem = "";
        return options;
    }
}

/// <summary>
/// <c>watch-state</c>: the cluster's state as crm_mon gives it, written again on every CIB change (Pacemaker's own
/// notifications), framed as <see cref="StateStream"/> on stdout, with heartbeats, until the reader goes away. One SSH
/// channel carries it to the console. Exit 0 when the reader closed the stream, 1 when the watch could not start or the
/// CIB connection was lost (stderr says why), 2 on bad usage.
/// </summary>
internal static class WatchStateCommand
{
    public const string Usage = "storageha-node watch-state [--heartbeat SECONDS] [--reread SECONDS] [--min-gap SECONDS]\n" +
        "         (defaults 0.5, 2 and 0.05: a heartbeat when quiet, a crm_mon read without a CIB change, the least time between reads)";

    public static int Run(string[] args, Stream? output, TextWriter error)
    {
        var options = WatchStateOptions.Parse(args, out var problem);
        if (options is null)
        {
            error.WriteLine($"storageha-node watch-state: {problem}");
            error.WriteLine($"usage: {Usage}");
            return 2;
        }
        using var changes = CibChanges.Connect(out var why);
        if (changes is null)
        {
            error.WriteLine($"storageha-node watch-state: {why}");
            return 1;
        }
        using var stdout = output ?? Console.OpenStandardOutput();
        try
        {
            return Watch(changes, options, stdout, error);
        }
        catch (IOException)
        {
            return 0; // the console closed the channel: the watch has no reader left
        }
    }

    private static int Watch(CibChanges changes, WatchStateOptions options, Stream stdout, TextWriter error)
    {
        Write(stdout, StateStream.HelloLine());
        var lastRead = Stopwatch.StartNew();
        var lastWrite = Stopwatch.StartNew();
        var changed = true; // the first state, at once
        while (true)
        {
            if (changes.Lost is { } lost)
            {
                Write(stdout, StateStream.Problem(lost));
                error.WriteLine($"storageha-node watch-state: {lost}");
                return 1;
            }
            if (changed || lastRead.Elapsed >= options.Reread)
            {
                if (lastRead.Elapsed < options.MinGap) Thread.Sleep(options.MinGap - lastRead.Elapsed);
                changes.Forget(); // a change from now on is not in this read: it triggers the next
                lastRead.Restart();
                Write(stdout, Read());
                lastWrite.Restart();
                changed = false;
                continue;
            }
            if (lastWrite.Elapsed >= options.Heartbeat)
            {
                Write(stdout, StateStream.Heartbeat());
                lastWrite.Restart();
                continue;
            }
            var wait = Min(options.Heartbeat - lastWrite.Elapsed, options.Reread - lastRead.Elapsed);
            changed = changes.WaitForChange(wait);
        }
    }

    private static byte[] Read()
    {
        var (exitCode, stdout, stderr) = ClusterStateCommand.CrmMon();
        // crm_mon prints its XML, with the exit code inside, even when it exits non-zero: the console's parser judges it.
        if (!string.IsNullOrWhiteSpace(stdout)) return StateStream.State(stdout);
        return StateStream.Problem(exitCode is null ? stderr : $"crm_mon exited {exitCode}: {stderr.Trim()}");
    }

    private static void Write(Stream stdout, byte[] record)
    {
        stdout.Write(record);
        stdout.Flush();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
