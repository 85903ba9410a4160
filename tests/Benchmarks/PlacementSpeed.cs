using System.Diagnostics;
using StorageHa.Shared.Placement;

namespace StorageHa.Benchmarks;

/// <summary>How long one plan of 256 VIPs over 32 nodes takes in process (goal ≤ 10 ms).</summary>
internal static class PlacementSpeed
{
    public static int Print(TextWriter output)
    {
        var nodes = Enumerable.Range(1, 32).Select(i => $"node{i}").ToArray();
        var vips = Enumerable.Range(0, 256).Select(i => $"10.0.{i / 250}.{i % 250 + 1}").ToArray();
        VipPlacement.Plan(nodes, vips); // warm up the JIT
        var times = new List<double>();
        for (var run = 0; run < 200; run++)
        {
            var clock = Stopwatch.StartNew();
            VipPlacement.Plan(nodes, vips);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine($"plan 256 VIPs × 32 nodes (JIT, in process, 200 runs): median {times[100]:F2} ms, min {times[0]:F2} ms, max {times[^1]:F2} ms");
        return 0;
    }
}
