using System.Globalization;
using System.Xml.Linq;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// CIB elements as the batch writes them with cibadmin (ids in pcs's style), so that each takes a fifth of a second
/// where a <c>pcs -f</c> command takes over one.
/// </summary>
public static class CibXml
{
    /// <param name="Settings">NAME=VALUE the agent gets with this operation only (e.g. a monitor's OCF_CHECK_LEVEL=20).</param>
    public sealed record Operation(string Name, string Interval, string Timeout, IReadOnlyList<string>? Settings = null)
    {
        public string Id(string resource) => $"{resource}-{Name}-interval-{Interval}";
    }

    /// <summary>A primitive of "class:type" or "class:provider:type" with NAME=VALUE settings, its operations and meta attributes.</summary>
    public static XElement Primitive(string id, string agent, IReadOnlyList<string> settings, IReadOnlyList<Operation> operations,
        IReadOnlyList<string>? meta = null)
    {
        var parts = agent.Split(':');
        var (kind, provider, type) = parts switch
        {
            [var c, var p, var t] => (c, p, t),
            [var c, var t] => (c, (string?)null, t),
            _ => throw new ArgumentException($"'{agent}' is not class:provider:type or class:type", nameof(agent)),
        };
        return new XElement("primitive", new XAttribute("id", id), new XAttribute("class", kind),
            provider is null ? null : new XAttribute("provider", provider), new XAttribute("type", type),
            settings.Count == 0 ? null : InstanceAttributes(id, settings),
            meta is null or { Count: 0 } ? null : NvPairs("meta_attributes", $"{id}-meta_attributes", meta),
            new XElement("operations",
                operations.Select(o => new XElement("op", new XAttribute("id", o.Id(id)),
                    new XAttribute("name", o.Name), new XAttribute("interval", o.Interval), new XAttribute("timeout", o.Timeout),
                    o.Settings is null ? null : NvPairs("instance_attributes", $"{o.Id(id)}-instance_attributes", o.Settings)))));
    }

    /// <summary>A resource's NAME=VALUE settings, as its primitive holds them.</summary>
    public static XElement InstanceAttributes(string resource, IReadOnlyList<string> settings) =>
        NvPairs("instance_attributes", $"{resource}-instance_attributes", settings);

    /// <summary>RESOURCE (a primitive or a group) on every node, each copy starting only after its own dependencies.</summary>
    public static XElement Clone(XElement resource)
    {
        var id = resource.Attribute("id")!.Value + "-clone";
        return new XElement("clone", new XAttribute("id", id), resource, NvPairs("meta_attributes", $"{id}-meta_attributes", ["interleave=true"]));
    }

    /// <summary>Resources started in this order on one node, stopped in the reverse.</summary>
    public static XElement Group(string id, params XElement[] primitives) => new("group", new XAttribute("id", id), primitives);

    /// <summary>Cluster properties, in the set pcs writes them to.</summary>
    public static XElement Properties(IReadOnlyList<string> settings) => NvPairs("cluster_property_set", "cib-bootstrap-options", settings);

    /// <summary>RESOURCE runs only where WITH runs.</summary>
    public static XElement Colocation(string id, string resource, string with) =>
        new("rsc_colocation", new XAttribute("id", id), new XAttribute("rsc", resource), new XAttribute("with-rsc", with), new XAttribute("score", "INFINITY"));

    /// <summary>THEN starts after FIRST (and stops before it).</summary>
    public static XElement Order(string id, string first, string then) =>
        new("rsc_order", new XAttribute("id", id), new XAttribute("first", first), new XAttribute("then", then));

    /// <summary>Every member of the first set runs only where a member of the second runs (members of a set are independent).</summary>
    public static XElement ColocationSets(string id, IReadOnlyList<string> dependents, IReadOnlyList<string> with) =>
        new("rsc_colocation", new XAttribute("id", id), new XAttribute("score", "INFINITY"), Set(id, 1, dependents), Set(id, 2, with));

    /// <summary>Every member of the second set starts after the first set's members have started.</summary>
    public static XElement OrderSets(string id, IReadOnlyList<string> first, IReadOnlyList<string> then) =>
        new("rsc_order", new XAttribute("id", id), Set(id, 1, first), Set(id, 2, then));

    /// <summary>An XPath predicate on a primitive: it has every NAME=VALUE setting.</summary>
    public static string HasSettings(IReadOnlyList<string> settings) =>
        string.Join(" and ", settings.Select(s => s.Split('=', 2)).Select(kv => $"instance_attributes/nvpair[@name='{kv[0]}' and @value='{kv[1]}']"));

    /// <summary>The NAME=VALUE pairs an element's nvpair children hold.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(XElement holder) =>
        [.. holder.Elements("nvpair").Select(n => new KeyValuePair<string, string>(n.Attribute("name")!.Value, n.Attribute("value")?.Value ?? ""))];

    private static XElement NvPairs(string element, string id, IReadOnlyList<string> settings) =>
        new(element, new XAttribute("id", id), settings.Select(s => s.Split('=', 2)).Select(kv =>
            new XElement("nvpair", new XAttribute("id", $"{id}-{kv[0]}"), new XAttribute("name", kv[0]), new XAttribute("value", kv[1]))));

    private static XElement Set(string constraint, int number, IReadOnlyList<string> members) =>
        new("resource_set", new XAttribute("id", $"{constraint}-set-{number.ToString(CultureInfo.InvariantCulture)}"), new XAttribute("sequential", "false"),
            members.Select(m => new XElement("resource_ref", new XAttribute("id", m))));
}
