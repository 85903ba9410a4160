using System.Diagnostics;
using System.Text.Json;
using StorageHa.Shared.Probe;

namespace StorageHa.NodeHelper;

/// <summary>storageha-node probe [--json]: the console's probe script, run here by /bin/sh and read by the same parser.</summary>
internal static class ProbeCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var json = args.Contains("--json");
        if (args.Any(a => a != "--json"))
        {
            error.WriteLine("usage: storageha-node probe [--json]");
            return 2;
        }
        var (exitCode, stdout, stderr) = RunScript();
        if (exitCode != 0)
        {
            error.WriteLine($"storageha-node: the probe script failed with exit code {exitCode}: {stderr.Trim()}");
            return 1;
        }
        var facts = ProbeReport.Parse(stdout, DateTimeOffset.UtcNow);
        if (json) output.WriteLine(JsonSerializer.Serialize(facts, NodeFactsJson.Default.NodeFacts));
        else WriteText(facts, output);
        return 0;
    }

    private static (int ExitCode, string StdOut, string StdErr) RunScript()
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in NodeProbe.Command.Skip(1)) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("/bin/sh did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
    }

    private static void WriteText(NodeFacts facts, TextWriter output)
    {
        output.WriteLine($"{facts.Hostname}: {facts.OsName}, kernel {facts.Kernel}");
        foreach (var package in facts.Packages) output.WriteLine($"  {package.Name,-16} {package.Version ?? "not installed"}");
        foreach (var service in facts.Services) output.WriteLine($"  {service.Name,-16} {(service.Running ? "running" : "stopped")}");
        output.WriteLine($"  clock            {(facts.TimeSynchronized switch { true => "synchronised", false => "NOT synchronised", null => "unknown" })}");
        foreach (var finding in facts.Findings)
            output.WriteLine($"{finding.Severity.ToString().ToLowerInvariant()}: {finding.Message}{(finding.FixCommand is null ? "" : $"\n  fix: {finding.FixCommand}")}");
    }
}
