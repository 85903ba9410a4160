using StorageHa.Shared.State;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Operations;

/// <summary>"What if these nodes failed now?": one or two online nodes of the cluster, at least one surviving.</summary>
public sealed record SimulatedFailure(IReadOnlyList<string> Nodes)
{
    /// <summary>The simulator tries every single and double failure; more at once is a different question.</summary>
    public const int MaxNodes = 2;

    public string Summary => $"Simulate the failure of {string.Join(" and ", Nodes)}";

    /// <summary>What is wrong with the question itself (how many nodes, their names), before the cluster is looked at.</summary>
    public IReadOnlyList<ValidationError> Shape()
    {
        if (Nodes.Count is 0 or > MaxNodes)
            return [new("fail", $"name one or {MaxNodes} nodes to fail")];
        if (Nodes.Distinct(StringComparer.Ordinal).Count() != Nodes.Count)
            return [new("fail", "names a node twice")];
        return Nodes.Select((node, i) => InputRules.Name(node) is { } wrong && InputRules.HostAddress(node) is not null ? new ValidationError($"fail[{i}]", wrong) : null)
            .OfType<ValidationError>().ToList();
    }

    public IReadOnlyList<ValidationError> Check(ClusterState state)
    {
        if (Shape() is { Count: > 0 } shape) return shape;
        var errors = new List<ValidationError>();
        for (var i = 0; i < Nodes.Count; i++)
        {
            var field = $"fail[{i}]";
            var node = Nodes[i];
            if (state.Node(node) is not { } known) errors.Add(new(field, $"'{node}' is not a node of this cluster"));
            else if (!known.Online) errors.Add(new(field, $"{node} is already offline"));
            else if (known.Kind != NodeKind.Member) errors.Add(new(field, $"{node} is a remote or guest node: simulate the failure of cluster members"));
        }
        if (errors.Count == 0 && state.Nodes.Count(n => n.Online) <= Nodes.Count)
            errors.Add(new("fail", "no online node would be left: every resource would stop"));
        return errors;
    }

    public void EnsureWellFormed()
    {
        if (Shape() is { Count: > 0 } wrong) throw new InvalidInputException(wrong);
    }

    public void Ensure(ClusterState state)
    {
        var wrong = Check(state);
        if (wrong.Count > 0) throw new InvalidInputException(wrong);
    }
}

/// <summary>One resource that would run somewhere else (or nowhere) after the failure.</summary>
/// <param name="From">Where it runs now (several nodes for a clone); empty when stopped.</param>
/// <param name="To">Where it would run; empty when it would stop.</param>
public sealed record SimulatedMove(string Resource, IReadOnlyList<string> From, IReadOnlyList<string> To)
{
    public bool Stops => To.Count == 0;

    /// <summary>"vip1: node1 → node2", "vip2: node1 → stopped".</summary>
    public string Description => $"{Resource}: {Where(From)} → {Where(To)}";

    private static string Where(IReadOnlyList<string> nodes) => nodes.Count == 0 ? "stopped" : string.Join(", ", nodes);
}

/// <summary>What Pacemaker's scheduler (crm_simulate on the live CIB) says would happen if the nodes failed: nothing was changed.</summary>
/// <param name="Transition">crm_simulate's transition summary lines, e.g. "* Move vip1 ( node1 -> node2 )".</param>
public sealed record FailureSimulation(IReadOnlyList<string> FailedNodes, bool Quorate, IReadOnlyList<SimulatedMove> Moves, IReadOnlyList<string> Transition)
{
    /// <summary>The resources whose nodes differ between two placements (resource → nodes running it), by resource id.</summary>
    public static IReadOnlyList<SimulatedMove> Between(IReadOnlyDictionary<string, IReadOnlyList<string>> before,
        IReadOnlyDictionary<string, IReadOnlyList<string>> after) =>
        [.. before.Keys.Union(after.Keys)
            .Order(StringComparer.Ordinal)
            .Select(id => new SimulatedMove(id, Sorted(before, id), Sorted(after, id)))
            .Where(m => !m.From.SequenceEqual(m.To))];

    private static IReadOnlyList<string> Sorted(IReadOnlyDictionary<string, IReadOnlyList<string>> placement, string id) =>
        placement.TryGetValue(id, out var nodes) ? [.. nodes.Distinct().Order(StringComparer.Ordinal)] : [];
}
