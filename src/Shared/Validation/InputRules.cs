using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace StorageHa.Shared.Validation;

/// <summary>
/// The rules every input meets before it is stored or reaches a node. Each returns null when the value is
/// acceptable, or a message in the admin's words saying what is wrong.
/// </summary>
public static partial class InputRules
{
    public const int MaxTextLength = 256;
    public const int MaxPathLength = 1024;

    /// <summary>Cluster and node names: DNS labels, because they become host names, corosync and CIB ids.</summary>
    public static string? Name(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > 63 } => "must be at most 63 characters",
        _ when !NameRegex().IsMatch(value) => "may contain only letters, digits and '-', and must start and end with a letter or digit",
        _ => null,
    };

    /// <summary>A Pacemaker resource id: an XML id (letter or '_' first), as the CIB stores it.</summary>
    public static string? ResourceId(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > 128 } => "must be at most 128 characters",
        _ when !ResourceIdRegex().IsMatch(value) => "may contain only letters, digits, '_', '-' and '.', starting with a letter or '_'",
        _ => null,
    };

    /// <summary>A node address: an IPv4 or IPv6 address, or a DNS host name.</summary>
    public static string? HostAddress(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > 253) return "must be at most 253 characters";
        if (IpAddress(value) is null) return null;
        if (LooksNumeric(value)) return $"'{Shorten(value)}' is not a valid IP address";
        return HostNameRegex().IsMatch(value) ? null : $"'{Shorten(value)}' is neither an IP address nor a valid host name";
    }

    /// <summary>A literal IPv4 or IPv6 address, written the usual way (four decimal octets for IPv4).</summary>
    public static string? IpAddress(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > 45) return $"'{Shorten(value)}' is not a valid IP address";
        if (value.Contains(':'))
            return System.Net.IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && !value.Contains('%')
                ? null : $"'{Shorten(value)}' is not a valid IPv6 address";
        // IPAddress.TryParse accepts "10" or "10.1" as shorthand; admins mean four octets.
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(IsOctet) ? null : $"'{Shorten(value)}' is not a valid IPv4 address";
    }

    public static string? Port(int value) =>
        value is >= 1 and <= 65535 ? null : $"{value} is not a TCP port (1–65535)";

    /// <summary>A prefix length that fits the address family of <paramref name="address"/>.</summary>
    public static string? Prefix(int value, string? address)
    {
        var max = address is not null && address.Contains(':') ? 128 : 32;
        return value >= 1 && value <= max ? null : $"{value} is not a prefix length for this address (1–{max})";
    }

    /// <summary>A network interface name as Linux allows it (at most 15 characters, no '/' or spaces).</summary>
    public static string? InterfaceName(string? value) => value switch
    {
        null or "" => null,
        { Length: > 15 } => "must be at most 15 characters",
        _ when !InterfaceRegex().IsMatch(value) => $"'{Shorten(value)}' is not a network interface name",
        _ => null,
    };

    /// <summary>A user name on a Linux node (for SSH) or in the console.</summary>
    public static string? UserName(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > 32 } => "must be at most 32 characters",
        _ when !UserRegex().IsMatch(value) => "may contain only lower-case letters, digits, '_', '-' and '.', starting with a letter or '_'",
        _ => null,
    };

    /// <summary>An absolute path on the nodes, without '..' and without characters that break config files.</summary>
    public static string? AbsolutePath(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > MaxPathLength) return $"must be at most {MaxPathLength} characters";
        if (value[0] != '/') return "must be an absolute path (starting with '/')";
        if (value.Split('/').Any(segment => segment == "..")) return "must not contain '..'";
        return PathRegex().IsMatch(value) ? null : "may contain only letters, digits, spaces and . _ - + @ / characters";
    }

    /// <summary>An SMB share name that Samba accepts and that is not one of its reserved sections.</summary>
    public static string? ShareName(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > 80) return "must be at most 80 characters";
        if (!ShareRegex().IsMatch(value)) return "may contain only letters, digits, '_', '-', '.' and '$', starting with a letter or digit";
        return value.ToLowerInvariant() is "global" or "homes" or "printers" or "print$" or "ipc$"
            ? $"'{value}' is reserved by Samba" : null;
    }

    /// <summary>NFS export clients: "*" or a comma-separated list of addresses, networks (CIDR) and host names.</summary>
    public static string? ExportClients(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > MaxTextLength) return $"must be at most {MaxTextLength} characters";
        foreach (var client in value.Split(','))
        {
            var c = client.Trim();
            if (c == "*") continue;
            var slash = c.IndexOf('/');
            if (slash > 0)
            {
                var ip = c[..slash];
                if (IpAddress(ip) is null && int.TryParse(c[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && Prefix(p, ip) is null)
                    continue;
                return $"'{Shorten(c)}' is not a valid network (address/prefix)";
            }
            // Ganesha also takes host-name wildcards such as *.lab.example.net.
            var host = c.StartsWith("*.", StringComparison.Ordinal) ? c[2..] : c;
            if (HostAddress(host) is not null) return $"'{Shorten(c)}' is not an address, network or host name";
        }
        return null;
    }

    /// <summary>Free text shown to people (comments, descriptions): one line, bounded.</summary>
    public static string? Text(string? value) => value switch
    {
        null => null,
        { Length: > MaxTextLength } => $"must be at most {MaxTextLength} characters",
        _ when value.Any(char.IsControl) => "must be a single line without control characters",
        _ when value.Contains('"') => "must not contain '\"'",
        _ => null,
    };

    public const int MinPasswordLength = 12;

    /// <summary>A new password for a console user: long enough to resist guessing, short enough to hash.</summary>
    public static string? Password(string? value) => value switch
    {
        null or "" => "is required",
        { Length: < MinPasswordLength } => $"must be at least {MinPasswordLength} characters",
        { Length: > 1024 } => "must be at most 1024 characters",
        _ => null,
    };

    /// <summary>Samba valid users: space-separated user names or @groups.</summary>
    public static string? ValidUsers(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (value.Length > MaxTextLength) return $"must be at most {MaxTextLength} characters";
        return value.Split(' ', StringSplitOptions.RemoveEmptyEntries).All(u => ValidUserRegex().IsMatch(u))
            ? null : "must be user names or @groups separated by spaces";
    }

    private static bool IsOctet(string s) =>
        s.Length is >= 1 and <= 3 && s.All(char.IsAsciiDigit) && (s.Length == 1 || s[0] != '0') && int.Parse(s, CultureInfo.InvariantCulture) <= 255;

    private static bool LooksNumeric(string s) => s.All(c => char.IsAsciiDigit(c) || c == '.');

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostNameRegex();

    [GeneratedRegex("^[A-Za-z0-9_.:-]+$")]
    private static partial Regex InterfaceRegex();

    [GeneratedRegex("^[a-z_][a-z0-9_.-]*$")]
    private static partial Regex UserRegex();

    [GeneratedRegex("^/[A-Za-z0-9 ._+@/-]*$")]
    private static partial Regex PathRegex();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex ResourceIdRegex();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.$-]*$")]
    private static partial Regex ShareRegex();

    [GeneratedRegex(@"^@?[A-Za-z0-9_.\\-]+$")]
    private static partial Regex ValidUserRegex();
}
