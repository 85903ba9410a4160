using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StorageHa.Shared.Text;

namespace StorageHa.Shared.Tickle;

/// <summary>One line of a connection list that could not be read, with its 1-based line number.</summary>
public sealed record TickleListProblem(int Line, string Message);

/// <summary>What a connection list holds: the connections it names and the lines it could not read.</summary>
public sealed record TickleListReading(IReadOnlyList<VipConnection> Connections, IReadOnlyList<TickleListProblem> Problems);

/// <summary>
/// The connection list of one VIP in portblock's tickle_dir format: one connection a line, <c>VIP:PORT&lt;TAB&gt;CLIENT:PORT</c>,
/// IPv6 addresses in brackets. Reading also accepts tickle_tcp's <c>addr:port addr:port</c> (unbracketed IPv6, the last
/// colon separates the port), so the helper, portblock and tickle_tcp can share one directory.
/// </summary>
public static class TickleList
{
    /// <summary>The list text: sorted, one line per distinct connection, each ending in a newline; empty for none.</summary>
    public static string Format(IEnumerable<VipConnection> connections)
    {
        var lines = connections.Select(c => c.Normalised())
            .Select(c => $"{Endpoint(c.Vip)}\t{Endpoint(c.Client)}")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(line).Append('\n');
        return text.ToString();
    }

    public static TickleListReading Parse(string text)
    {
        var connections = new List<VipConnection>();
        var problems = new List<TickleListProblem>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
            {
                problems.Add(new(number, $"expected 'VIP:PORT<TAB>CLIENT:PORT', got '{Shorten(line)}'"));
                continue;
            }
            var vip = ParseEndpoint(fields[0], out var vipError);
            var client = ParseEndpoint(fields[1], out var clientError);
            if (vip is null || client is null)
            {
                problems.Add(new(number, vipError ?? clientError!));
                continue;
            }
            if (vip.AddressFamily != client.AddressFamily)
            {
                problems.Add(new(number, $"'{Shorten(fields[0])}' and '{Shorten(fields[1])}' are not of the same address family"));
                continue;
            }
            connections.Add(new VipConnection(vip, client));
        }
        return new TickleListReading(connections, problems);
    }

    /// <summary>The list's form of an endpoint: <c>a.b.c.d:port</c> or <c>[v6]:port</c>.</summary>
    public static string Endpoint(IPEndPoint endpoint) => endpoint.AddressFamily == AddressFamily.InterNetworkV6
        ? $"[{endpoint.Address}]:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads <c>a.b.c.d:port</c>, <c>[v6]:port</c> or tickle_tcp's <c>v6:port</c>; null with a reason otherwise.</summary>
    public static IPEndPoint? ParseEndpoint(string text, out string? error)
    {
        error = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            error = $"'{Shorten(text)}' is not ADDRESS:PORT";
            return null;
        }
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        else if (host.Contains('[') || host.Contains(']'))
        {
            error = $"'{Shorten(text)}' has unbalanced brackets";
            return null;
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"'{Shorten(text)}' has no TCP port (1–65535) after its last ':'";
            return null;
        }
        if (Validation.InputRules.IpAddress(host) is { } problem)
        {
            error = problem;
            return null;
        }
        return Endpoints.Normalise(new IPEndPoint(IPAddress.Parse(host), port));
    }

    private static string Shorten(string s) => Excerpt.Of(s, 80);
}
