using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>A lab node's processes as the host sees them: its PID-namespace init, and whatever still lives in that namespace.</summary>
internal static class NodeProcesses
{
    /// <summary>The node's PID-namespace init as the host numbers it.</summary>
    public static int InitOf(LabDescription lab, string node) =>
        int.Parse(File.ReadAllText(Path.Join(lab.Node(node).Directory, "init.pid")).Trim());

    public static string PidNamespaceOf(int pid) =>
        new FileInfo($"/proc/{pid}/ns/pid").LinkTarget ?? throw new InvalidOperationException($"process {pid} has no PID namespace");

    /// <summary>Every process living in PID namespace <paramref name="pidNamespace"/> (zombies aside), with its
    /// state letter from /proc/PID/stat (T: stopped).</summary>
    public static List<NodeProcess> In(string pidNamespace)
    {
        var found = new List<NodeProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (new FileInfo($"{dir}/ns/pid").LinkTarget != pidNamespace) continue;
                var stat = File.ReadAllText($"{dir}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');   // the name before it may hold spaces and parentheses
                var state = fields[0][0];
                if (state != 'Z') found.Add(new(pid, File.ReadAllText($"{dir}/comm").Trim(), state, long.Parse(fields[19])));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone while looking
            }
        }
        return found;
    }

    /// <summary>
    /// Those of <paramref name="seen"/> still alive: the same PID started at the same time. A node powered on again may
    /// get a new PID namespace with the old one's number (the kernel reuses them) and even reuse a PID, never both with
    /// the same start time.
    /// </summary>
    public static List<NodeProcess> Surviving(IEnumerable<NodeProcess> seen) =>
        [.. seen.Where(p => StartOf(p.Pid) == p.Started)];

    private static long? StartOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // gone
        }
    }
}

/// <summary>One process of a lab node: its host PID, name, state letter and start time (clock ticks after boot, /proc/PID/stat's 22nd field).</summary>
internal sealed record NodeProcess(int Pid, string Name, char State, long Started);
