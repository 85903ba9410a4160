using System.Diagnostics;

namespace StorageHa.Benchmarks;

/// <summary>
/// Publishes storageha-node with NativeAOT once and measures what a node pays for it: binary size, start-up time,
/// peak RSS, and a 256-VIP × 32-node `place` end to end.
/// </summary>
internal static class NodeHelperAot
{
    public static int Print(TextWriter output)
    {
        var repo = FindRepository();
        var outDir = Path.Combine(AppContext.BaseDirectory, "storageha-node-aot");
        {
            var publish = Stopwatch.StartNew();
            var (code, text) = Run("dotnet", ["publish", Path.Combine(repo, "src/NodeHelper/StorageHa.NodeHelper.csproj"), "-c", "Release",
                "-r", "linux-x64", "-p:PublishAot=true", "-p:InvariantGlobalization=true", "-o", outDir]);
            if (code != 0) { output.WriteLine(text); return 1; }
            output.WriteLine($"AOT publish: {publish.Elapsed.TotalSeconds:F0} s");
            var binary = Path.Combine(outDir, "storageha-node");
            output.WriteLine($"binary size: {new FileInfo(binary).Length / 1024.0 / 1024.0:F2} MiB");

            var nodes = string.Join(',', Enumerable.Range(1, 32).Select(i => $"node{i}"));
            var vips = string.Join(',', Enumerable.Range(0, 256).Select(i => $"10.0.{i / 250}.{i % 250 + 1}"));
            Measure(output, "version", binary, ["version"]);
            Measure(output, "place 2 nodes × 1 VIP", binary, ["place", "--nodes", "n1,n2", "--vips", "10.0.0.1"]);
            Measure(output, "place 256×32 (text)", binary, ["place", "--nodes", nodes, "--vips", vips]);
            Measure(output, "place 256×32 --json", binary, ["place", "--nodes", nodes, "--vips", vips, "--json"]);
            output.WriteLine($"binary kept at {binary}");
            return 0;
        }
    }

    /// <summary>Median wall time over 20 runs (output discarded by the pipe reader), and peak RSS from /usr/bin/time.</summary>
    private static void Measure(TextWriter output, string label, string binary, string[] args)
    {
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var (code, _) = Run(binary, args);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (code != 0) throw new InvalidOperationException($"{label} exited {code}");
        }
        times.Sort();
        var rss = File.Exists("/usr/bin/time") ? Run("/usr/bin/time", ["-f", "%M", binary, .. args]).Output.Trim().Split('\n')[^1] + " KiB" : "(no /usr/bin/time)";
        output.WriteLine($"{label}: median {times[10]:F1} ms, min {times[0]:F1} ms wall (incl. process start), peak RSS {rss}");
    }

    internal static (int Code, string Output) Run(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StorageHa.sln"))) return dir.FullName;
        throw new InvalidOperationException("run bench from inside the repository");
    }
}
