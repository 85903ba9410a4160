using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using StorageHa.Shared.Probe;

namespace StorageHa.Shared.Storage;

/// <summary>
/// Reads gluster-health.sh's output (GlusterFS 10's <c>volume status/info/heal info --xml</c>) into the volume's health.
/// The CLI exits 0 even when glusterd could not answer: only the XML's opRet says whether it did.
/// </summary>
public static class GlusterHealthRead
{
    /// <summary>The volume's health, or (in <see cref="GlusterVolumeHealth.Problem"/>) why this node's glusterd could not tell; <see cref="GlusterVolumeHealth.AskedNode"/> is the caller's to fill.</summary>
    public static GlusterVolumeHealth Parse(string volume, string output)
    {
        var sections = ProbeReport.Sections(output);
        var (info, infoProblem) = Answer(sections, "info");
        var (status, statusProblem) = Answer(sections, "status");
        if (infoProblem is not null || statusProblem is not null)
            return new GlusterVolumeHealth(volume, null, null, null, [], statusProblem ?? infoProblem);
        var infoVolume = info!.Descendants("volInfo").Descendants("volume").FirstOrDefault();
        if (infoVolume is null)
            return new GlusterVolumeHealth(volume, null, null, null, [], $"volume info lists no volume {volume}");

        // Every brick the volume has; a brick of a node whose glusterd is down is absent from the status, so offline too.
        var listed = status!.Descendants("volStatus").Descendants("node")
            .Select(n => (Host: Text(n, "hostname"), Path: Text(n, "path"), Peer: Text(n, "peerid"), Online: Text(n, "status") == "1"))
            .ToList();
        var (heal, healProblem) = Answer(sections, "heal");
        var entries = heal?.Descendants("healInfo").Descendants("brick").DistinctBy(b => Text(b, "name"))
            .ToDictionary(b => Text(b, "name") ?? "", b => int.TryParse(Text(b, "numberOfEntries"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null)
            ?? [];
        var bricks = infoVolume.Descendants("bricks").Elements("brick").Select(brick =>
        {
            var name = Text(brick, "name") ?? brick.Value.Trim();
            var host = name.Split(':')[0];
            var path = name[(name.IndexOf(':') + 1)..];
            var hostUuid = Text(brick, "hostUuid");
            var seen = listed.FirstOrDefault(n => n.Path == path && (n.Peer is not null && n.Peer == hostUuid || n.Host == host));
            var offline = seen.Path is null ? $"absent from the volume's status: glusterd on {host} does not answer"
                : !seen.Online ? "its brick process does not run" : null;
            return new GlusterBrick(name, offline is null, offline, entries.GetValueOrDefault(name));
        }).ToList();
        return new GlusterVolumeHealth(Text(infoVolume, "name") ?? volume, null, Text(infoVolume, "statusStr"), Text(infoVolume, "typeStr"), bricks)
        {
            HealProblem = healProblem,
        };
    }

    /// <summary>The XML of one section, or why there is none: the tool missing or timed out, glusterd's own error (opRet ≠ 0), or no XML.</summary>
    private static (XElement? Xml, string? Problem) Answer(Dictionary<string, List<string>> sections, string name)
    {
        if (!sections.TryGetValue(name, out var lines)) return (null, $"gluster-health.sh printed no {name}");
        var exit = lines.LastOrDefault(l => l.StartsWith("exit ", StringComparison.Ordinal))?[5..].Trim();
        if (exit == "127") return (null, "gluster is not installed (package glusterfs-server)");
        if (exit == "124") return (null, $"gluster volume {name} did not answer within 10 s (glusterd waits for a lost peer)");
        var text = string.Join('\n', lines.Where(l => !l.StartsWith("exit ", StringComparison.Ordinal)));
        var start = text.IndexOf("<cliOutput", StringComparison.Ordinal);
        var end = text.LastIndexOf("</cliOutput>", StringComparison.Ordinal);
        if (start < 0 || end < start)
            return (null, text.Trim() is { Length: > 0 } said ? said.Split('\n')[0] : $"gluster volume {name} printed nothing (exit {exit})");
        XElement xml;
        try { xml = XElement.Parse(text[start..(end + "</cliOutput>".Length)]); }
        catch (XmlException e) { return (null, $"gluster volume {name} printed XML that does not parse ({e.Message})"); }
        var opRet = Text(xml, "opRet");
        if (opRet != "0")
            return (null, Text(xml, "opErrstr") is { Length: > 0 } error ? error : $"glusterd answered volume {name} with opRet {opRet ?? "missing"}");
        return (xml, null);
    }

    private static string? Text(XElement parent, string name) => parent.Element(name)?.Value.Trim();
}
