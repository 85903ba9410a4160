using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace StorageHa.Shared.Validation;

/// <summary>
/// The rules every input meets before it is stored or reaches a node. Each returns null when the value is
/// acceptable, or a message in the admin's words saying what is wrong.
/// Every pattern is anchored with \A…\z: in .NET '$' also matches before a final "\n", which would let a trailing
/// newline into a config file.
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

    /// <summary>A node address: an IPv4 or IPv6 address a node can have, or a DNS host name.</summary>
    public static string? HostAddress(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > 253) return "must be at most 253 characters";
        if (IpAddress(value) is null) return NotAHost(IPAddress.Parse(value), value);
        if (LooksNumeric(value)) return $"'{Shorten(value)}' is not a valid IP address";
        if (!HostNameRegex().IsMatch(value)) return $"'{Shorten(value)}' is neither an IP address nor a valid host name";
        // The C resolver reads "0x7f.0.0.1" or "127.1" as an address: such a name would reach another host than it says.
        var labels = value.Split('.');
        return labels[^1].All(char.IsAsciiDigit) || labels.Any(IsHexNumber)
            ? $"'{Shorten(value)}' looks like a number, not a host name (write an IP address as four decimal numbers)" : null;
    }

    /// <summary>A literal IPv4 or IPv6 address, written the usual way (four decimal octets for IPv4).</summary>
    public static string? IpAddress(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > 45) return $"'{Shorten(value)}' is not a valid IP address";
        if (value.Contains(':'))
            return value.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') && System.Net.IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                ? null : $"'{Shorten(value)}' is not a valid IPv6 address";
        // IPAddress.TryParse accepts "10" or "10.1" as shorthand; admins mean four octets.
        var parts = value.Split('.');
        return parts.Length == 4 && parts.All(IsOctet) ? null : $"'{Shorten(value)}' is not a valid IPv4 address";
    }

    /// <summary>A virtual IP: an address clients can reach, held by one node at a time (not loopback, multicast, broadcast or unspecified).</summary>
    public static string? VirtualIpAddress(string? value)
    {
        if (IpAddress(value) is { } wrong) return wrong;
        var address = Unmapped(IPAddress.Parse(value!));
        return IPAddress.IsLoopback(address) ? $"{value} is a loopback address: no client could reach it" : NotAHost(address, value!);
    }

    /// <summary>
    /// The one spelling of an address, so that the same address is never stored twice: IPv4 in four decimal octets, an
    /// IPv4-mapped IPv6 address as IPv4 (::ffff:10.0.0.5 is 10.0.0.5), IPv6 compressed (2001:db8:0::5 is 2001:db8::5).
    /// A host name, or anything that is not an address, is returned as it is (its own rule judges it).
    /// </summary>
    public static string CanonicalAddress(string value) =>
        IpAddress(value) is null ? Unmapped(IPAddress.Parse(value)).ToString() : value;

    public static string? Port(int value) =>
        value is >= 1 and <= 65535 ? null : $"{value} is not a TCP port (1–65535)";

    /// <summary>A prefix length that fits the address family of <paramref name="address"/>.</summary>
    public static string? Prefix(int value, string? address)
    {
        var max = address is not null && address.Contains(':') && CanonicalAddress(address).Contains(':') ? 128 : 32;
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

    /// <summary>
    /// An absolute path on the nodes in its one spelling (no '..', '.', '//' or trailing '/'), without characters that
    /// break config files; compared case-sensitively, as Linux does.
    /// </summary>
    public static string? AbsolutePath(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > MaxPathLength) return $"must be at most {MaxPathLength} characters";
        if (value[0] != '/') return "must be an absolute path (starting with '/')";
        if (!PathRegex().IsMatch(value)) return "may contain only letters, digits, spaces and . _ - + @ / characters";
        if (value == "/") return null;
        var segments = value[1..].Split('/');
        if (segments.Any(s => s == "..")) return "must not contain '..'";
        if (segments.Any(s => s is "" or ".")) return "must be written without '//', '/./' or a trailing '/'";
        // Samba strips the spaces around a value: the path it would serve is not the one stored.
        return segments.Any(s => s.Trim() != s) ? "must not have spaces at the start or end of a directory name" : null;
    }

    /// <summary>A directory served to clients (a share or an export): an absolute path that is not one of the system's own.</summary>
    public static string? ServedPath(string? value)
    {
        if (AbsolutePath(value) is { } wrong) return wrong;
        var system = SystemDirectories.Contains(value!) || SystemTrees.Any(tree => value == tree || value!.StartsWith(tree + "/", StringComparison.Ordinal));
        return system ? $"{Shorten(value!)} is a system directory; serve a directory of its own (e.g. under /srv)" : null;
    }

    // Nothing in these is data to serve: configuration, keys, kernel interfaces, devices, programs, services' own state.
    private static readonly string[] SystemTrees =
        ["/etc", "/root", "/proc", "/sys", "/dev", "/boot", "/bin", "/sbin", "/usr", "/run", "/lib", "/lib32", "/lib64", "/libx32",
         "/var/lib", "/var/log", "/var/run", "/var/spool", "/var/cache"];
    // These hold everything else of the system; directories below them may be served (e.g. /var/export), they themselves not.
    private static readonly HashSet<string> SystemDirectories = new(StringComparer.Ordinal) { "/", "/var", "/tmp", "/var/tmp" };

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
        // Checked before the list is split and trimmed, which would hide a newline at either end.
        if (!ClientsRegex().IsMatch(value)) return "must be \"*\" or addresses, networks and host names separated by commas";
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

    /// <summary>Free text shown to people (descriptions, token names): one line, bounded, shown as it reads.</summary>
    public static string? Text(string? value) => value switch
    {
        null => null,
        { Length: > MaxTextLength } => $"must be at most {MaxTextLength} characters",
        _ when value.Any(char.IsControl) || value.Any(IsLineBreak) => "must be a single line without control characters",
        _ when HasInvisible(value) => "must not contain invisible formatting characters (direction overrides, zero-width characters)",
        _ when value.Contains('"') => "must not contain '\"'",
        _ => null,
    };

    /// <summary>
    /// Text written as a value into smb.conf (a share's comment): <see cref="Text"/>, and nothing Samba reads otherwise —
    /// a trailing '\' continues the line into the next one, and the spaces around a value are dropped.
    /// </summary>
    public static string? ConfigText(string? value) => Text(value) ?? value switch
    {
        null or "" => null,
        _ when value.EndsWith('\\') => "must not end with '\\' (Samba would read the next line as part of it)",
        _ when value.Trim() != value => "must not start or end with a space",
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

    /// <summary>A CTDB tunable's name, as ctdb.tunables takes it (e.g. KeepaliveInterval).</summary>
    public static string? TunableName(string? value) =>
        value is not null && TunableRegex().IsMatch(value) ? null : "is not a CTDB tunable name (letters and digits, e.g. KeepaliveInterval)";

    // Format characters (Cf) change how text is shown without being seen: bidi overrides (U+202A–U+202E,
    // U+2066–U+2069), zero-width characters (U+200B–U+200D, U+2060), the BOM (U+FEFF), soft hyphens.
    // A broken surrogate pair, a private or unassigned code point shows as nothing anyone can read either.
    private static bool HasInvisible(string value)
    {
        for (var rest = value.AsSpan(); !rest.IsEmpty;)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done) return true;
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned) return true;
            rest = rest[used..];
        }
        return false;
    }

    private static bool IsLineBreak(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static string? NotAHost(IPAddress address, string value)
    {
        address = Unmapped(address);
        if (address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any)) return $"{value} is the unspecified address, not a host's";
        if (address.Equals(System.Net.IPAddress.Broadcast)) return $"{value} is the broadcast address, not a host's";
        var multicast = address.AddressFamily == AddressFamily.InterNetwork ? address.GetAddressBytes()[0] is >= 224 and <= 239 : address.IsIPv6Multicast;
        return multicast ? $"{value} is a multicast address, not a host's" : null;
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool IsOctet(string s) =>
        s.Length is >= 1 and <= 3 && s.All(char.IsAsciiDigit) && (s.Length == 1 || s[0] != '0') && int.Parse(s, CultureInfo.InvariantCulture) <= 255;

    private static bool LooksNumeric(string s) => s.All(c => char.IsAsciiDigit(c) || c == '.');

    private static bool IsHexNumber(string label) =>
        label.Length > 1 && label[0] == '0' && (label[1] is 'x' or 'X') && label[2..].All(char.IsAsciiHexDigit);

    private static string Shorten(string s) => Shared.Text.Excerpt.Of(s, 40);

    [GeneratedRegex(@"\A[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\z")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"\A(?=.{1,253}\z)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z", RegexOptions.Singleline)]
    private static partial Regex HostNameRegex();

    [GeneratedRegex(@"\A[A-Za-z0-9_.:-]+\z")]
    private static partial Regex InterfaceRegex();

    [GeneratedRegex(@"\A[a-z_][a-z0-9_.-]*\z")]
    private static partial Regex UserRegex();

    [GeneratedRegex(@"\A/[A-Za-z0-9 ._+@/-]*\z")]
    private static partial Regex PathRegex();

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_.-]*\z")]
    private static partial Regex ResourceIdRegex();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.$-]*\z")]
    private static partial Regex ShareRegex();

    // Each client one token (Ganesha reads them bare), separated by commas with optional spaces around them.
    [GeneratedRegex(@"\A *[A-Za-z0-9*.:/_-]+(?: *, *[A-Za-z0-9*.:/_-]+)* *\z")]
    private static partial Regex ClientsRegex();

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9]{0,63}\z")]
    private static partial Regex TunableRegex();
}
