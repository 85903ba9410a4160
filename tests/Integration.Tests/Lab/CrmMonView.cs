using System.Xml.Linq;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>The little of `crm_mon --output-as=xml` these tests judge (the console's real parser lives in Shared).</summary>
internal sealed record CrmMonView(bool Quorate, IReadOnlySet<string> OnlineNodes, IReadOnlyDictionary<string, IReadOnlyList<string>> RunningOn)
{
    public static CrmMonView Parse(string xml)
    {
        var doc = XDocument.Parse(xml);
        var dc = doc.Descendants("current_dc").SingleOrDefault();
        var quorate = (string?)dc?.Attribute("present") == "true" && (string?)dc?.Attribute("with_quorum") == "true";
        var online = doc.Descendants("nodes").Elements("node")
            .Where(n => (string?)n.Attribute("online") == "true")
            .Select(n => (string)n.Attribute("name")!)
            .ToHashSet();
        var running = doc.Descendants("resource")
            .Where(r => r.Attribute("id") is not null)
            .GroupBy(r => (string)r.Attribute("id")!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(r => r.Elements("node")).Select(n => (string)n.Attribute("name")!).ToList());
        return new CrmMonView(quorate, online, running);
    }

    public IReadOnlyList<string> NodesRunning(string resource) => RunningOn.TryGetValue(resource, out var nodes) ? nodes : [];
}
