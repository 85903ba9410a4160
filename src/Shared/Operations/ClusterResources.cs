using StorageHa.Shared.State;

namespace StorageHa.Shared.Operations;

/// <summary>The resource names an operation may act on, as crm_mon shows them: primitives, groups, clones and bundles.</summary>
public static class ClusterResources
{
    /// <summary>Every id of the resource tree; a cloned group's instance name ("grp:1") counts as the group ("grp").</summary>
    public static IReadOnlySet<string> Ids(ClusterState state) =>
        state.Instances
            .SelectMany(i => new[] { i.Id, i.Group, i.CloneSet, i.Bundle })
            .OfType<string>()
            .Select(Base)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The primitive instances that belong to <paramref name="resource"/> (itself, or its members).</summary>
    public static IReadOnlyList<ResourceInstance> InstancesOf(ClusterState state, string resource) =>
        [.. state.Instances.Where(i => i.Id == resource || (i.Group is { } g && Base(g) == resource) || i.CloneSet == resource || i.Bundle == resource)];

    /// <summary>A clone instance's resource: "ping:1" → "ping"; Pacemaker cleans up and moves by the resource's own id.</summary>
    public static string Base(string instance) =>
        instance.IndexOf(':') is var colon and > 0 ? instance[..colon] : instance;
}
