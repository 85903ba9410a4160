using System.Globalization;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.State;

namespace StorageHa.Server.Provisioning;

/// <summary>
/// Runs a CIB through <c>crm_verify</c> and <c>crm_simulate</c> on the console machine (no cluster needed): the spec's
/// nodes brought up, then every single and double node failure, each read back with <c>crm_mon --output-as=xml</c>.
/// </summary>
public static class Simulator
{
    /// <param name="assumeQuorum">
    /// False (the truth): the survivors have quorum only as corosync's votequorum gives it (a majority, or the survivor of
    /// two_node), and without it no-quorum-policy applies. True: as if they always kept it, to see where the location scores
    /// alone would put everything.
    /// </param>
    public static Task<SimulationResult> RunAsync(string cibXml, IReadOnlyList<string> nodes, int maxFailures = 2,
        bool assumeQuorum = false, CancellationToken ct = default) =>
        RunAsync(cibXml, nodes, FailureSets(nodes, maxFailures).ToList(), assumeQuorum, ct);

    /// <summary>The same, for exactly these sets of failed nodes.</summary>
    public static async Task<SimulationResult> RunAsync(string cibXml, IReadOnlyList<string> nodes, IReadOnlyList<IReadOnlyList<string>> sets,
        bool assumeQuorum = false, CancellationToken ct = default)
    {
        using var work = new WorkDirectory();
        var cib = Path.Combine(work.Path, "cib.xml");
        await File.WriteAllTextAsync(cib, cibXml, ct);

        var (valid, findings) = await VerifyAsync(cib, work.Path, ct);

        var up = Path.Combine(work.Path, "up.xml");
        var (allUp, _) = await SimulateAsync(work.Path, cib, up, [.. nodes.SelectMany(n => new[] { "--node-up", n }), "--quorum", "1"], ct);

        var failures = new WhatIf[sets.Count];
        // The what-ifs are independent files: run them two at a time (each is one short crm_simulate and one crm_mon).
        await Parallel.ForEachAsync(Enumerable.Range(0, sets.Count), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (i, token) =>
        {
            var output = Path.Combine(work.Path, string.Create(CultureInfo.InvariantCulture, $"fail-{i}.xml"));
            var quorate = assumeQuorum || Quorate(nodes.Count, nodes.Count - sets[i].Count);
            var (placement, transition) = await SimulateAsync(work.Path, up, output,
                [.. sets[i].SelectMany(n => new[] { "--node-fail", n }), "--quorum", quorate ? "1" : "0"], token);
            failures[i] = new WhatIf(sets[i], quorate, placement, transition);
        });
        return new SimulationResult(nodes, allUp, failures, valid, findings);
    }

    /// <summary><c>crm_verify</c>'s verdict on a whole configuration, with every line it printed (errors and warnings).</summary>
    public static async Task<(bool Valid, IReadOnlyList<string> Findings)> VerifyAsync(string cibXml, CancellationToken ct = default)
    {
        using var work = new WorkDirectory();
        var cib = Path.Combine(work.Path, "cib.xml");
        await File.WriteAllTextAsync(cib, cibXml, ct);
        return await VerifyAsync(cib, work.Path, ct);
    }

    private static async Task<(bool, IReadOnlyList<string>)> VerifyAsync(string cibFile, string directory, CancellationToken ct)
    {
        var verify = await LocalTool.RunAsync(["crm_verify", "-x", cibFile, "-V"], directory, ct: ct);
        return (verify.Succeeded, (verify.Error + verify.Output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>Corosync votequorum with one vote a node: a strict majority, or the one survivor of a two_node cluster.</summary>
    public static bool Quorate(int nodes, int survivors) => nodes == 2 ? survivors >= 1 : survivors * 2 > nodes;

    /// <summary>Every node alone, then every pair (as long as a node survives), in the spec's node order.</summary>
    public static IEnumerable<IReadOnlyList<string>> FailureSets(IReadOnlyList<string> nodes, int maxFailures)
    {
        for (var i = 0; i < nodes.Count && maxFailures >= 1 && nodes.Count > 1; i++) yield return [nodes[i]];
        for (var i = 0; i < nodes.Count && maxFailures >= 2 && nodes.Count > 2; i++)
            for (var j = i + 1; j < nodes.Count; j++) yield return [nodes[i], nodes[j]];
    }

    private static async Task<(ResourcePlacement, IReadOnlyList<string>)> SimulateAsync(string directory, string input, string output, IEnumerable<string> arguments, CancellationToken ct)
    {
        var simulate = await LocalTool.RunAsync(["crm_simulate", "-x", input, "-O", output, "-S", .. arguments], directory, ct: ct);
        if (!simulate.Succeeded) throw new InvalidOperationException($"{simulate.CommandLine} failed ({simulate.ExitCode}): {simulate.Error}");
        var mon = await LocalTool.RunAsync(ClusterCondition.Query, directory, cibFile: output, ct: ct);
        if (!mon.Succeeded) throw new InvalidOperationException($"crm_mon on {Path.GetFileName(output)} failed ({mon.ExitCode}): {mon.Error}");
        return (ResourcePlacement.From(CrmMonParser.Parse(mon.Output)), TransitionSummary(simulate.Output));
    }

    /// <summary>The "Transition Summary" lines of crm_simulate: "* Move vip2 ( node2 -> node3 )".</summary>
    public static IReadOnlyList<string> TransitionSummary(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.TrimStart().StartsWith("Transition Summary", StringComparison.Ordinal));
        if (start < 0) return [];
        return lines.Skip(start + 1).TakeWhile(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("Executing", StringComparison.Ordinal))
            .Select(l => l.Trim()).Where(l => l.StartsWith('*')).ToArray();
    }
}
