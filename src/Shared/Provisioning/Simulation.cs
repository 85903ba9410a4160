using StorageHa.Shared.State;

namespace StorageHa.Shared.Provisioning;

/// <summary>Where each resource runs: primitive id → the nodes running it (several for a clone), in node-name order.</summary>
public sealed record ResourcePlacement(IReadOnlyDictionary<string, IReadOnlyList<string>> Running)
{
    /// <summary>The one node a resource runs on, or null when it runs nowhere.</summary>
    public string? NodeOf(string resource) => Running.TryGetValue(resource, out var nodes) && nodes.Count > 0 ? nodes[0] : null;

    /// <summary>Reads crm_mon's XML with the console's one parser.</summary>
    public static ResourcePlacement From(ClusterState state) => new(state.Instances
        .GroupBy(i => i.Id, StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Where(i => i.IsRunning).Select(i => i.Node!).Distinct().Order(StringComparer.Ordinal).ToArray(),
            StringComparer.Ordinal));
}

/// <summary>"If these nodes fail": where everything runs afterwards, and what Pacemaker would do to get there.</summary>
public sealed record WhatIf(IReadOnlyList<string> FailedNodes, bool Quorate, ResourcePlacement Placement, IReadOnlyList<string> Transition);

/// <summary>A configuration run through Pacemaker's own scheduler with every node up, then each node and each pair failing.</summary>
public sealed record SimulationResult(
    IReadOnlyList<string> Nodes,
    ResourcePlacement AllUp,
    IReadOnlyList<WhatIf> Failures,
    bool Valid,
    IReadOnlyList<string> VerifyFindings)
{
    public WhatIf For(params string[] failed) =>
        Failures.Single(f => f.FailedNodes.Order(StringComparer.Ordinal).SequenceEqual(failed.Order(StringComparer.Ordinal)));
}
