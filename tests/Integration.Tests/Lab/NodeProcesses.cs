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
    public static List<(int Pid, string Name, char State)> In(string pidNamespace)
    {
        var found = new List<(int, string, char)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (new FileInfo($"{dir}/ns/pid").LinkTarget != pidNamespace) continue;
                var stat = File.ReadAllText($"{dir}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..][0];   // the name before it may hold spaces and parentheses
                if (state != 'Z') found.Add((pid, File.ReadAllText($"{dir}/comm").Trim(), state));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone while looking
            }
        }
        return found;
    }
}
