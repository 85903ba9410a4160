using System.Globalization;

namespace StorageHa.TestSupport.Lab;

/// <summary>
/// A lab node's Pacemaker log (/var/log/pacemaker/pacemaker.log): when its fencer and controller acted, to the
/// millisecond (crm_mon's times are to the second). Lines read "Dec 06 20:03:33.316 node1 pacemaker-fenced [179] …"
/// in the node's local time, which is the host's (UTC on the test machines).
/// </summary>
public static class PacemakerLog
{
    /// <summary>The node's log lines containing any of <paramref name="texts"/> (fixed strings), written since <paramref name="since"/> (less a second of slack).</summary>
    public static async Task<IReadOnlyList<(DateTimeOffset Time, string Line)>> LinesAsync(LabCommand lab, string node, DateTimeOffset since, params string[] texts)
    {
        var found = await lab.RunAsync(["exec", node, "grep", "-h", "-F", .. texts.SelectMany(t => new[] { "-e", t }), "/var/log/pacemaker/pacemaker.log"]);
        if (found.ExitCode is not (0 or 1)) throw new InvalidOperationException($"cannot read {node}'s Pacemaker log: {found.Output}");
        return found.Output.Split('\n').Where(l => l.Length > 19).Select(l => (Time: TimeOf(l), Line: l))
            .Where(l => l.Time >= since.AddSeconds(-1)).ToList();
    }

    public static DateTimeOffset TimeOf(string line)
    {
        var stamp = DateTime.ParseExact(line[..19], "MMM dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return new DateTimeOffset(DateTime.UtcNow.Year, stamp.Month, stamp.Day, stamp.Hour, stamp.Minute, stamp.Second, stamp.Millisecond, TimeSpan.Zero);
    }
}
