using System.Diagnostics;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.State;

namespace StorageHa.NodeHelper;

/// <summary>
/// <c>cluster-state</c>: this node's view of its cluster in one line, read from <c>crm_mon --output-as=xml</c> by the
/// console's own parser; with --online, whether the cluster is quorate with those nodes online (<see cref="QuorateWithOnline"/>),
/// waiting up to --wait seconds for it (the lab's "formed" and "rejoined").
/// </summary>
internal static class ClusterStateCommand
{
    public const string Usage = "storageha-node cluster-state [--online NODE,…] [--wait SECONDS] [--from FILE]\n" +
        "         (exit 1 when the cluster cannot be read, or is not quorate with those nodes online within SECONDS;\n" +
        "          --from reads crm_mon's XML from FILE instead of running crm_mon)";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? from = null;
        ClusterCondition? condition = null;
        var wait = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            if (option is not ("--online" or "--wait" or "--from")) return Refuse(error, $"unknown option '{option}'");
            if (i + 1 >= args.Length) return Refuse(error, $"{option} needs a value");
            var value = args[++i];
            switch (option)
            {
                case "--from": from = value; break;
                case "--online": condition = new QuorateWithOnline(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)); break;
                default:
                    if (!int.TryParse(value, out wait) || wait < 0) return Refuse(error, $"--wait: '{value}' is not a number of seconds");
                    break;
            }
        }

        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (state, why) = Read(from);
            if (state is not null && condition?.Unmet(state) is null)
            {
                output.WriteLine(Describe(state));
                return 0;
            }
            if (clock.Elapsed.TotalSeconds >= wait)
            {
                var reason = state is null ? why : $"{condition!.Unmet(state)} ({Describe(state)})";
                error.WriteLine(condition is null
                    ? $"storageha-node cluster-state: {reason}"
                    : $"storageha-node cluster-state: not {condition.Describe()} after {wait} s: {reason}");
                return 1;
            }
            Thread.Sleep(Poll);
        }
    }

    /// <summary>"quorate, DC node1; online: node1 node2; offline: node3".</summary>
    private static string Describe(ClusterState state)
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

    /// <summary>crm_mon's XML as <see cref="ClusterCondition.Query"/> gives it; a null exit code when crm_mon could not run.</summary>
    internal static (int? ExitCode, string StdOut, string StdErr) CrmMon()
    {
        var info = new ProcessStartInfo(ClusterCondition.Query[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in ClusterCondition.Query.Skip(1)) info.ArgumentList.Add(arg);
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
