namespace StorageHa.TestSupport.Lab;

/// <summary>
/// What a lab leaves on the machine: its named network namespaces, mounts naming its directory or namespaces,
/// processes living in any of its network or PID namespaces or started for its nodes, its domain controller or its BMCs, and a systemd lab's cgroups and
/// nspawn directories. Taken before `down` (<see cref="Namespaces"/>) and
/// checked after it (<see cref="Leftovers"/>).
/// </summary>
public sealed class LabTraces
{
    private readonly string _prefix;
    private readonly string _labDirectory;

    private LabTraces(string prefix, string labDirectory, IReadOnlySet<string> namespaceIds)
    {
        _prefix = prefix;
        _labDirectory = labDirectory;
        NamespaceIds = namespaceIds;
    }

    /// <summary>Kernel namespace ids ("net:[…]", "pid:[…]") of the lab's nodes and namespaces when it was inspected.</summary>
    public IReadOnlySet<string> NamespaceIds { get; }

    /// <summary>Records the namespaces of every process in the lab's named network namespaces and of every node init.</summary>
    public static LabTraces Of(LabCommand lab)
    {
        var pids = new HashSet<int>();
        foreach (var ns in NamedNamespaces(lab.Prefix))
            foreach (var line in RunIp("netns", "pids", ns).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(line, out var pid)) pids.Add(pid);
        var nodes = Path.Combine(lab.LabDirectory, "nodes");
        var pidFiles = Directory.Exists(nodes) ? Directory.EnumerateFiles(nodes, "init.pid", SearchOption.AllDirectories).ToList() : [];
        var dc = Path.Combine(lab.LabDirectory, "dc", "init.pid");
        if (File.Exists(dc)) pidFiles.Add(dc);
        foreach (var pidFile in pidFiles)
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) pids.Add(pid);
        var ids = new HashSet<string>();
        foreach (var pid in pids)
            foreach (var kind in new[] { "net", "pid" })
                if (NamespaceOf(pid, kind) is { } id) ids.Add(id);
        ids.Remove(NamespaceOf(Environment.ProcessId, "net") ?? "");
        ids.Remove(NamespaceOf(Environment.ProcessId, "pid") ?? "");
        return new LabTraces(lab.Prefix, lab.LabDirectory, ids);
    }

    /// <summary>Everything of the lab still on the machine, one line each; empty when it is gone without a trace.</summary>
    public IReadOnlyList<string> Leftovers()
    {
        var left = new List<string>();
        left.AddRange(NamedNamespaces(_prefix).Select(ns => $"network namespace {ns}"));
        left.AddRange(File.ReadLines("/proc/self/mountinfo")
            .Where(l => l.Contains(_labDirectory, StringComparison.Ordinal) || l.Contains($"/run/netns/{_prefix}-", StringComparison.Ordinal))
            .Select(l => $"mount {l}"));
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            foreach (var kind in new[] { "net", "pid" })
                if (NamespaceOf(pid, kind) is { } id && NamespaceIds.Contains(id))
                    left.Add($"process {pid} ({CommandOf(pid)}) in lab namespace {id}");
        }
        left.AddRange(NodeProcesses().Select(p => $"process {p} ({CommandOf(p)}) of a node in {_labDirectory}"));
        // Systemd nodes: their cgroups, and what nspawn made in the host's /run for them.
        left.AddRange(new[] { "systemd", "unified" }.Select(h => $"/sys/fs/cgroup/{h}/storageha-lab/{_prefix}")
            .Where(Directory.Exists).Select(d => $"cgroup {d}"));
        const string propagate = "/run/systemd/nspawn/propagate";
        if (Directory.Exists(propagate))
            left.AddRange(Directory.EnumerateDirectories(propagate, $"{_prefix}-node*").Select(d => $"directory {d}"));
        if (Directory.Exists(_labDirectory)) left.Add($"directory {_labDirectory}");
        return left;
    }

    /// <summary>Processes started for one of the lab's nodes (boot.sh, systemd-nspawn), its domain controller or its BMCs
    /// (ipmi_sim, a power-on under way): their environment names the node's (the DC's, the BMC's) directory.</summary>
    private IEnumerable<int> NodeProcesses()
    {
        var bmc = Path.Combine(_labDirectory, "bmc");
        var marks = new[] { $"LAB_NODE_DIR={Path.Combine(_labDirectory, "nodes")}/", $"LAB_DC_DIR={Path.Combine(_labDirectory, "dc")}",
                            $"LAB_BMC_DIR={bmc}/", $"LAB_BMC_BOOT={bmc}/" };
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string environment;
            try { environment = File.ReadAllText($"/proc/{pid}/environ"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (environment.Split('\0').Any(v => marks.Any(mark => v.StartsWith(mark, StringComparison.Ordinal)))) yield return pid;
        }
    }

    private static IEnumerable<string> NamedNamespaces(string prefix) =>
        RunIp("netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0])
            .Where(ns => ns == $"{prefix}-br" || ns == $"{prefix}-client" || ns == $"{prefix}-dc" || ns == $"{prefix}-bmc" ||
                         (ns.StartsWith($"{prefix}-node", StringComparison.Ordinal) && ns[(prefix.Length + 5)..].All(char.IsAsciiDigit)));

    private static string? NamespaceOf(int pid, string kind)
    {
        try { return new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    private static string CommandOf(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim(); }
        catch (IOException) { return "?"; }
    }

    private static string RunIp(params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("ip") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var ip = System.Diagnostics.Process.Start(info)!;
        var output = ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        return output;
    }
}
