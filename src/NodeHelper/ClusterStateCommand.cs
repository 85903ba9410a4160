using System.Diagnostics;
using StorageHa.Shared.State;

namespace StorageHa.NodeHelper;

/// <summary>
/// <c>cluster-state</c>: this node's view of its cluster in one line, read from <c>crm_mon --output-as=xml</c> by the
/// console's own parser; with --quorate-with, whether the cluster has a DC and quorum with those nodes online, waiting
/// up to --wait seconds for it (the lab's "formed" and "rejoined").
/// </summary>
internal static class ClusterStateCommand
{
    public const string Usage = "storageha-node cluster-state [--quorate-with NODE,…] [--wait SECONDS] [--from FILE]\n" +
        "         (exit 1 when the cluster cannot be read, or is not quorate with those nodes online within SECONDS;\n" +
        "          --from reads crm_mon's XML from FILE instead of running crm_mon)";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? from = null;
        string[]? online = null;
        var wait = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            if (option is not ("--quorate-with" or "--wait" or "--from")) return Refuse(error, $"unknown option '{option}'");
            if (i + 1 >= args.Length) return Refuse(error, $"{option} needs a value");
            var value = args[++i];
            switch (option)
            {
                case "--from": from = value; break;
                case "--quorate-with": online = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries); break;
                default:
                    if (!int.TryParse(value, out wait) || wait < 0) return Refuse(error, $"--wait: '{value}' is not a number of seconds");
                    break;
            }
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (state, why) = Read(from);
            if (state is not null && (online is null || Missing(state, online) is null))
            {
                output.WriteLine(Describe(state));
                return 0;
            }
            if (clock.Elapsed.TotalSeconds >= wait)
            {
                var reason = state is null ? why : $"{Missing(state, online!)} ({Describe(state)})";
                error.WriteLine(online is null
                    ? $"storageha-node cluster-state: {reason}"
                    : $"storageha-node cluster-state: not quorate with {string.Join(", ", online)} online after {wait} s: {reason}");
                return 1;
            }
            Thread.Sleep(Poll);
        }
    }

    /// <summary>What keeps the cluster from being quorate with every one of <paramref name="online"/> online; null when nothing does.</summary>
    internal static string? Missing(ClusterState state, IReadOnlyCollection<string> online)
    {
        if (!state.Summary.DcPresent) return "no DC";
        if (!state.Summary.HasQuorum) return "no quorum";
        var offline = online.Where(n => state.Node(n)?.Online != true).ToList();
        return offline.Count == 0 ? null : $"not online: {string.Join(' ', offline)}";
    }

    /// <summary>"quorate, DC node1; online: node1 node2; offline: node3".</summary>
    internal static string Describe(ClusterState state)
    {
        var s = state.Summary;
        var head = !s.DcPresent ? "no DC" : $"{(s.HasQuorum ? "quorate" : "no quorum")}, DC {s.DcName}";
        var offline = state.Nodes.Where(n => !n.Online).Select(n => n.Name).ToList();
        return $"{head}; online: {string.Join(' ', state.Nodes.Where(n => n.Online).Select(n => n.Name))}" +
            (offline.Count == 0 ? "" : $"; offline: {string.Join(' ', offline)}");
    }

    private static (ClusterState? State, string Why) Read(string? from)
    {
        string xml;
        if (from is not null)
        {
            try { xml = File.ReadAllText(from); }
            catch (IOException e) { return (null, $"cannot read {from}: {e.Message}"); }
            catch (UnauthorizedAccessException e) { return (null, $"cannot read {from}: {e.Message}"); }
        }
        else
        {
            var (exitCode, stdout, stderr) = CrmMon();
            if (exitCode is null) return (null, stderr);
            xml = stdout;
            if (string.IsNullOrWhiteSpace(xml)) return (null, $"crm_mon failed with exit code {exitCode}: {stderr.Trim()}");
        }
        try
        {
            return (CrmMonParser.Parse(xml), "");
        }
        catch (CrmMonParseException e)
        {
            return (null, e.Message);
        }
    }

    private static (int? ExitCode, string StdOut, string StdErr) CrmMon()
    {
        var info = new ProcessStartInfo("crm_mon") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["-1", "--output-as=xml"]) info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info) ?? throw new InvalidOperationException("crm_mon did not start.");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, "", $"cannot run crm_mon (is pacemaker-cli-utils installed?): {e.Message}");
        }
    }

    private static int Refuse(TextWriter error, string message)
    {
        error.WriteLine($"storageha-node cluster-state: {message}");
        error.WriteLine($"usage: {Usage}");
        return 2;
    }
}
