using System.Diagnostics;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Ssh;

/// <summary>Stops sshd and every process under it (SIGSTOP) until disposed (SIGCONT), as a hung node would be.</summary>
internal sealed class FrozenSshd : IDisposable
{
    private readonly List<int> _pids;

    private FrozenSshd(List<int> pids)
    {
        _pids = pids;
        Signal("-STOP");
    }

    public static FrozenSshd Freeze(TestSshd sshd)
    {
        var root = int.Parse(File.ReadAllText(Path.Combine(sshd.Directory, "sshd.pid")).Trim());
        return new FrozenSshd([root, .. Descendants(root)]);
    }

    public void Dispose() => Signal("-CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, .. _pids.Select(p => p.ToString())])!;
        kill.WaitForExit();
    }

    private static IEnumerable<int> Descendants(int parent)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (IOException) { continue; }
            // "pid (comm) state ppid …": comm may hold spaces, so read after the last ')'.
            if (int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]) != parent) continue;
            yield return pid;
            foreach (var grandchild in Descendants(pid)) yield return grandchild;
        }
    }
}
