using System.Text.RegularExpressions;

namespace StorageHa.Shared.Validation;

// What mounting a cluster filesystem takes: a network device string and mount options, both written into the CIB
// and onto mount's command line.
public static partial class InputRules
{
    /// <summary>A network filesystem's device: SERVER[,SERVER…]:/PATH, servers as host names or addresses (IPv6 in brackets), an optional :port each.</summary>
    public static string? NetworkDevice(string? value, string example)
    {
        if (string.IsNullOrEmpty(value)) return "is required";
        if (value.Length > MaxPathLength) return $"must be at most {MaxPathLength} characters";
        var split = value.IndexOf(":/", StringComparison.Ordinal);
        if (split <= 0) return $"'{Shorten(value)}' must be SERVER:/PATH (e.g. {example})";
        foreach (var server in value[..split].Split(','))
        {
            var host = server.StartsWith('[') && server.IndexOf(']') is var end and > 0 ? server[1..end] : server.Split(':')[0];
            if (HostAddress(host) is { } bad) return $"server '{Shorten(server)}': {bad}";
        }
        return DevicePathRegex().IsMatch(value[(split + 1)..]) ? null
            : $"'{Shorten(value)}': the path after ':' may contain only letters, digits and . _ - / characters";
    }

    /// <summary>Mount options: comma-separated words or word=value, without spaces, quotes or shell characters.</summary>
    public static string? MountOptions(string? value) => value switch
    {
        null or "" => "is required (leave it out for none)",
        { Length: > 512 } => "must be at most 512 characters",
        _ when !MountOptionsRegex().IsMatch(value) => $"'{Shorten(value)}' are not mount options: comma-separated option or option=value, of letters, digits and . _ - : / @ + =",
        _ => null,
    };

    [GeneratedRegex(@"\A/[A-Za-z0-9._/-]*\z")]
    private static partial Regex DevicePathRegex();

    [GeneratedRegex(@"\A[A-Za-z0-9_.-]+(?:=[A-Za-z0-9_.:/@+-]+)?(?:,[A-Za-z0-9_.-]+(?:=[A-Za-z0-9_.:/@+-]+)?)*\z")]
    private static partial Regex MountOptionsRegex();
}
