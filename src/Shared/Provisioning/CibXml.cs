using System.Xml.Linq;

namespace StorageHa.Shared.Provisioning;

/// <summary>CIB elements as pcs would write them (same ids), for the batch steps that create them with cibadmin.</summary>
public static class CibXml
{
    public sealed record Operation(string Name, string Interval, string Timeout);

    /// <summary>A primitive of "class:provider:type" with NAME=VALUE settings and its operations.</summary>
    public static XElement Primitive(string id, string agent, IReadOnlyList<string> settings, IReadOnlyList<Operation> operations)
    {
        var (kind, provider, type) = agent.Split(':') is [var c, var p, var t] ? (c, p, t)
            : throw new ArgumentException($"'{agent}' is not class:provider:type", nameof(agent));
        var attributes = $"{id}-instance_attributes";
        return new XElement("primitive", new XAttribute("id", id), new XAttribute("class", kind), new XAttribute("provider", provider), new XAttribute("type", type),
            new XElement("instance_attributes", new XAttribute("id", attributes),
                settings.Select(s => s.Split('=', 2)).Select(kv =>
                    new XElement("nvpair", new XAttribute("id", $"{attributes}-{kv[0]}"), new XAttribute("name", kv[0]), new XAttribute("value", kv[1])))),
            new XElement("operations",
                operations.Select(o => new XElement("op", new XAttribute("id", $"{id}-{o.Name}-interval-{o.Interval}"),
                    new XAttribute("name", o.Name), new XAttribute("interval", o.Interval), new XAttribute("timeout", o.Timeout)))));
    }

    /// <summary>RESOURCE runs only where WITH runs.</summary>
    public static XElement Colocation(string id, string resource, string with) =>
        new("rsc_colocation", new XAttribute("id", id), new XAttribute("rsc", resource), new XAttribute("with-rsc", with), new XAttribute("score", "INFINITY"));

    /// <summary>THEN starts after FIRST (and stops before it).</summary>
    public static XElement Order(string id, string first, string then) =>
        new("rsc_order", new XAttribute("id", id), new XAttribute("first", first), new XAttribute("then", then));

    /// <summary>An XPath predicate on a primitive: it has every NAME=VALUE setting.</summary>
    public static string HasSettings(IReadOnlyList<string> settings) =>
        string.Join(" and ", settings.Select(s => s.Split('=', 2)).Select(kv => $"instance_attributes/nvpair[@name='{kv[0]}' and @value='{kv[1]}']"));
}
