using System.Xml;
using System.Xml.Linq;

namespace StorageHa.Shared.Drills;

/// <summary>
/// The location constraints a move or ban leaves in the CIB (pcs and crm_resource name them cli-prefer-RSC and cli-ban-RSC-on-NODE):
/// a drill must leave none of its own behind, or the VIP stays pinned where the drill put it.
/// </summary>
public static class MoveConstraints
{
    /// <summary>The ids of the cli-prefer-/cli-ban- constraints on <paramref name="resources"/> in <paramref name="cibXml"/> (cibadmin --query).</summary>
    public static IReadOnlyList<string> In(string cibXml, IEnumerable<string> resources)
    {
        XDocument cib;
        try { cib = XDocument.Parse(cibXml); }
        catch (XmlException e) { throw new FormatException($"The CIB could not be read: {e.Message}", e); }
        var of = resources.ToHashSet(StringComparer.Ordinal);
        return [.. cib.Descendants("rsc_location")
            .Where(l => (string?)l.Attribute("rsc") is { } rsc && of.Contains(rsc))
            .Select(l => (string?)l.Attribute("id") ?? "")
            .Where(id => id.StartsWith("cli-prefer-", StringComparison.Ordinal) || id.StartsWith("cli-ban-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }
}
