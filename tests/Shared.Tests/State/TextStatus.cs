using System.Text.RegularExpressions;

namespace StorageHa.Shared.Tests.State;

/// <summary>
/// What crm_mon's text output of the same CIB says: the nodes online and offline, and every running instance as
/// (role, node), where the role is Started, Promoted, Unpromoted or FAILED. Bundles in the brief form count one
/// instance per replica, expanded ("Replica[0]") one per resource, as the text shows them.
/// </summary>
internal sealed partial record TextStatus(
    IReadOnlySet<string> OnlineNodes, IReadOnlySet<string> OfflineNodes, IReadOnlyList<(string Role, string Node)> Running,
    bool BundlesExpanded)
{
    public static TextStatus Read(string text)
    {
        var online = new HashSet<string>();
        var offline = new HashSet<string>();
        var running = new List<(string, string)>();
        string? section = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0 && !line.StartsWith(' ')) { section = line.TrimEnd(); continue; }
            if (line.Trim().Length == 0) { section = null; continue; }
            if (section == "Node List:") ReadNode(line, online, offline);
            else if (section is "Active Resources:" or "Full List of Resources:") ReadResource(line, running);
        }
        return new TextStatus(online, offline, running, text.Contains("Replica["));
    }

    private static void ReadNode(string line, HashSet<string> online, HashSet<string> offline)
    {
        if (NodeBracket().Match(line) is { Success: true } list)
        {
            var target = list.Groups[1].Value.Contains("OFFLINE", StringComparison.OrdinalIgnoreCase) ? offline : online;
            foreach (var name in Names(list.Groups[2].Value)) target.Add(name);
        }
        else if (NodeLine().Match(line) is { Success: true } node)
        {
            var status = node.Groups[2].Value;
            (status.Contains("offline", StringComparison.OrdinalIgnoreCase) ? offline : online).Add(node.Groups[1].Value);
        }
        else throw new InvalidOperationException($"node list line not understood: {line}");
    }

    private static void ReadResource(string line, List<(string, string)> running)
    {
        if (Bracket().Match(line) is { Success: true } bracket)
        {
            foreach (var node in Names(bracket.Groups[2].Value)) running.Add((bracket.Groups[1].Value, node));
        }
        else if (Primitive().Match(line) is { Success: true } primitive)
        {
            var where = primitive.Groups[2].Value;
            var nodes = where.StartsWith('[') ? Names(where[1..where.IndexOf(']')]) : [where.Split(' ')[0]];
            foreach (var node in nodes) running.Add((primitive.Groups[1].Value, node));
        }
    }

    private static string[] Names(string list) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^\s*\* (Online|OFFLINE|GuestOnline|GuestOFFLINE|RemoteOnline|RemoteOFFLINE): \[(.*)\]")]
    private static partial Regex NodeBracket();

    [GeneratedRegex(@"^\s*\* (?:Node|GuestNode|RemoteNode) ([^\s@:]+)(?:@\S*)?(?: \(\d+\))?: (.*)$")]
    private static partial Regex NodeLine();

    [GeneratedRegex(@"^\s*\* (Started|Promoted|Unpromoted): \[(.*)\]")]
    private static partial Regex Bracket();

    [GeneratedRegex(@"\):\t (Started|Promoted|Unpromoted|FAILED) (?:(?:Started|Promoted|Unpromoted) )?(\[[^\]]*\]|\S+)")]
    private static partial Regex Primitive();
}
