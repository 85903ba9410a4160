using System.Globalization;
using System.Text.Json;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Validation;
using StorageHa.Shared.Text;

namespace StorageHa.Shared.Clients;

/// <summary>Reads connected-clients.sh's output into one node's <see cref="NodeClients"/>. Pure: same text, same clients.</summary>
public static class ConnectedClientsRead
{
    /// <summary>connected-clients.sh on one node.</summary>
    public static IReadOnlyList<string> NodeCommand => NodeScript.Named("connected-clients").Command();

    /// <summary>smbstatus' vnn of a process outside a CTDB cluster (NONCLUSTER_VNN).</summary>
    private const long NoCtdbNode = uint.MaxValue;

    public static NodeClients Parse(string node, string output)
    {
        var sections = ProbeReport.Sections(output);
        if (!sections.ContainsKey("end"))
            return new NodeClients(node) { Unreachable = "the check's output ended early" };
        var connections = Connections(sections.GetValueOrDefault("connections", []));
        // `ctdb pnn` prints the number (older CTDB: "PNN:0"); nothing without CTDB.
        var pnnText = sections.GetValueOrDefault("pnn", []).FirstOrDefault()?.Trim().Replace("PNN:", "", StringComparison.Ordinal);
        var pnn = int.TryParse(pnnText, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        var (smb, smbProblem) = Smb(sections.GetValueOrDefault("smbstatus", []), pnn, connections);
        var (nfs, nfsProblem) = Nfs(sections.GetValueOrDefault("nfs", []), connections);
        return new NodeClients(node) { Smb = smb, SmbProblem = smbProblem, Nfs = nfs, NfsProblem = nfsProblem };
    }

    /// <summary>
    /// smbstatus --json's sessions with their tree connects. With CTDB smbstatus lists every node's sessions: only those
    /// this node's smbd processes serve (vnn = its pnn) are its own.
    /// </summary>
    public static (IReadOnlyList<SmbSession> Sessions, string? Problem) Smb(IReadOnlyList<string> lines, int? pnn, IReadOnlyList<TcpConnection> connections)
    {
        if (lines.FirstOrDefault()?.Trim() == "missing") return ([], "Samba is not installed here (no smbstatus)");
        var (exit, text) = Exit(lines);
        if (exit is 124 or 137) return ([], "smbstatus did not answer within 5 s (CTDB recovering?)");
        // Before the JSON smbstatus may say why there is nothing yet ("/run/samba/locking.tdb not initialised").
        var json = string.Join('\n', text.Split('\n').SkipWhile(l => !l.StartsWith('{')));
        if (exit != 0 || json.Length == 0) return ([], $"smbstatus failed (exit {exit}): {Said(text)}");
        try
        {
            using var status = JsonDocument.Parse(json);
            var root = status.RootElement;
            var tcons = Members(root, "tcons").Select(t => (
                Pid: Text(t, "server_id", "pid"), Vnn: Text(t, "server_id", "vnn"), Session: Text(t, "session_id"),
                Tree: new SmbTreeConnect(Text(t, "service") ?? "?", Text(t, "tcon_id") ?? "?", Time(Text(t, "connected_at"))))).ToList();
            var sessions = new List<SmbSession>();
            foreach (var s in Members(root, "sessions"))
            {
                var vnn = long.TryParse(Text(s, "server_id", "vnn"), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : NoCtdbNode;
                int? ctdbNode = vnn == NoCtdbNode ? null : (int)vnn;
                if (pnn is not null && ctdbNode is not null && ctdbNode != pnn) continue;
                var pid = Text(s, "server_id", "pid") ?? "";
                var id = Text(s, "session_id") ?? "";
                var clientEnd = Text(s, "hostname") ?? "";
                var client = TcpEnd.Parse(clientEnd.StartsWith("ipv4:", StringComparison.Ordinal) || clientEnd.StartsWith("ipv6:", StringComparison.Ordinal) ? clientEnd[5..] : clientEnd);
                sessions.Add(new SmbSession(id, int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0, ctdbNode,
                    Text(s, "username") ?? "?", Text(s, "groupname") ?? "?", clientEnd, client?.Address ?? clientEnd, Text(s, "session_dialect") ?? "?",
                    Protection(s, "encryption"), Protection(s, "signing"),
                    [.. tcons.Where(t => t.Pid == pid && t.Session == id && t.Vnn == Text(s, "server_id", "vnn")).Select(t => t.Tree).OrderBy(t => t.Share, StringComparer.Ordinal)])
                {
                    ServerAddress = client is null ? null : connections.FirstOrDefault(c => c.Peer == client)?.Local.Address,
                });
            }
            return ([.. sessions.OrderBy(s => s.User, StringComparer.Ordinal).ThenBy(s => s.ClientEnd, StringComparer.Ordinal)], null);
        }
        catch (JsonException e)
        {
            return ([], $"smbstatus printed what is not JSON: {e.Message}");
        }
    }

    /// <summary>Ganesha's ClientMgr ShowClients reply, as dbus-send --print-reply prints it: a timestamp, then one struct per client.</summary>
    public static (IReadOnlyList<NfsClient> Clients, string? Problem) Nfs(IReadOnlyList<string> lines, IReadOnlyList<TcpConnection> connections)
    {
        if (lines.FirstOrDefault()?.Trim() == "missing") return ([], "dbus-send is not installed here");
        var (exit, text) = Exit(lines);
        if (exit is 124 or 137) return ([], "NFS-Ganesha did not answer on D-Bus within 5 s");
        if (exit != 0) return ([], text.Contains("org.freedesktop.DBus.Error.ServiceUnknown", StringComparison.Ordinal) ? "NFS-Ganesha is not running here (not on the system D-Bus)"
            : text.Contains("Failed to open connection to \"system\" message bus", StringComparison.Ordinal) ? "no system D-Bus runs here, so NFS-Ganesha cannot be asked"
            : $"ShowClients failed (exit {exit}): {Said(text)}");
        var reply = DbusReply.Parse(text);
        if (reply.Count < 2 || reply[1] is not DbusContainer { Kind: "array" } clients)
            return ([], $"ShowClients answered what this console cannot read: {Said(text)}");
        var read = new List<NfsClient>();
        foreach (var client in clients.Children.OfType<DbusContainer>())
        {
            if (client.Children.FirstOrDefault() is not DbusLeaf { Type: "string" } address) continue;
            var canonical = Canonical(address.Text);
            read.Add(new NfsClient(canonical, Versions(client.Children), LastActivity(client.Children))
            {
                ServerAddresses = [.. connections.Where(c => c.Local.Port == 2049 && c.Peer.Address == canonical).Select(c => c.Local.Address).Distinct()],
            });
        }
        return ([.. read.OrderBy(c => c.ClientAddress, StringComparer.Ordinal)], null);
    }

    /// <summary>"local peer" per line, as the script prints ss' columns.</summary>
    public static IReadOnlyList<TcpConnection> Connections(IEnumerable<string> lines) =>
        [.. lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 2)
            .Select(p => (Local: TcpEnd.Parse(p[0]), Peer: TcpEnd.Parse(p[1])))
            .Where(c => c.Local is not null && c.Peer is not null)
            .Select(c => new TcpConnection(c.Local!, c.Peer!))];

    /// <summary>
    /// The versions a client used, from the struct of (protocol, used) pairs Ganesha 4 sends ("NFSv3", "NFSv40", "NFSv41",
    /// "NFSv42"; MNT, NLM and RQUOTA are not NFS versions).
    /// </summary>
    private static IReadOnlyList<string> Versions(IReadOnlyList<DbusValue> fields) =>
        [.. fields.OfType<DbusContainer>()
            .SelectMany(f => f.Children.OfType<DbusContainer>())
            .Where(p => p.Children is [DbusLeaf { Type: "string" }, DbusLeaf { Type: "boolean", Text: "true" }])
            .Select(p => ((DbusLeaf)p.Children[0]).Text switch { "NFSv3" => "3", "NFSv40" => "4.0", "NFSv41" => "4.1", "NFSv42" => "4.2", _ => null })
            .OfType<string>()];

    /// <summary>The client's last activity: its last struct of (seconds, nanoseconds) since the epoch.</summary>
    private static DateTimeOffset? LastActivity(IReadOnlyList<DbusValue> fields) =>
        fields.OfType<DbusContainer>().LastOrDefault(f => f.Children is [DbusLeaf { Type: "uint64" }, DbusLeaf { Type: "uint64" }]) is { } stamp
        && long.TryParse(((DbusLeaf)stamp.Children[0]).Text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && long.TryParse(((DbusLeaf)stamp.Children[1]).Text, NumberStyles.None, CultureInfo.InvariantCulture, out var nanos)
        && seconds > 0
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100) : null;

    private static SmbProtection Protection(JsonElement session, string name) =>
        Text(session, name, "cipher") is { } cipher ? new SmbProtection(cipher, Text(session, name, "degree") ?? "none") : SmbProtection.None;

    private static IEnumerable<JsonElement> Members(JsonElement root, string name) =>
        root.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Object ? section.EnumerateObject().Select(p => p.Value) : [];

    /// <summary>A string (or number) at the path; null when absent.</summary>
    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        return element.ValueKind switch { JsonValueKind.String => element.GetString(), JsonValueKind.Number => element.GetRawText(), _ => null };
    }

    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    /// <summary>"exit N" then the tool's output.</summary>
    private static (int? Exit, string Text) Exit(IReadOnlyList<string> lines)
    {
        var first = lines.FirstOrDefault() ?? "";
        int? exit = first.StartsWith("exit ", StringComparison.Ordinal) && int.TryParse(first[5..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
        return (exit, string.Join('\n', lines.Skip(exit is null ? 0 : 1)));
    }

    private static string Said(string text)
    {
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "nothing";
        return Excerpt.Of(line, 200);
    }

    internal static string Canonical(string address) => InputRules.CanonicalAddress(address.Trim().Trim('[', ']'));
}

/// <summary>One end of a TCP connection: an address in its one spelling, and a port.</summary>
public sealed record TcpEnd(string Address, int Port)
{
    /// <summary>"192.0.2.5:445", "[fd00::5]:445", "[::ffff:192.0.2.5]:445" or Samba's "fd00::5:445"; null when it is none of them.</summary>
    public static TcpEnd? Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)) return null;
        var host = text[..colon].Trim('[', ']');
        // ss writes an address bound to an interface as ADDR%IFACE.
        var percent = host.IndexOf('%');
        if (percent > 0) host = host[..percent];
        return InputRules.IpAddress(host) is null ? new TcpEnd(ConnectedClientsRead.Canonical(host), port) : null;
    }

    public override string ToString() => Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";
}

/// <summary>An established TCP connection to this node: its local end (a VIP or the node's own address) and the client's.</summary>
public sealed record TcpConnection(TcpEnd Local, TcpEnd Peer);
