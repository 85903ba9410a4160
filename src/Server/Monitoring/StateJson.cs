using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using StorageHa.Server.Api;
using StorageHa.Shared.State;

namespace StorageHa.Server.Monitoring;

/// <summary>
/// JSON for cluster states (API and hub): the API's rules, plus each resource of the tree and each event of a change
/// written as its own kind ("kind": "primitive", "kind": "NodeLeft"…).
/// </summary>
public static class StateJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static void Configure(JsonSerializerOptions o)
    {
        ApiJson.Configure(o);
        o.TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(ResourceKinds).WithAddedModifier(EventKinds);
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }

    // The tree holds primitives, groups, clones and bundles behind one base type: say which one each is.
    private static void ResourceKinds(JsonTypeInfo info)
    {
        if (info.Type != typeof(ClusterResource)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "kind",
            DerivedTypes =
            {
                new JsonDerivedType(typeof(PrimitiveResource), "primitive"),
                new JsonDerivedType(typeof(ResourceGroup), "group"),
                new JsonDerivedType(typeof(CloneSet), "clone"),
                new JsonDerivedType(typeof(ResourceBundle), "bundle"),
            },
        };
    }

    // Every event type there is, by its name: the names the stored history and the hub have always used for "kind".
    private static readonly Type[] EventTypes = [.. typeof(ClusterEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(ClusterEvent)) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal)];

    private static void EventKinds(JsonTypeInfo info)
    {
        if (info.Type != typeof(ClusterEvent)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "kind" };
        foreach (var type in EventTypes) info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
    }
}
