using System.Text.RegularExpressions;

namespace StorageHa.Shared.Validation;

// The users and groups a share names, and its folder's mode.
public static partial class InputRules
{
    public const int MaxPrincipalNameLength = 64;

    /// <summary>
    /// A user or group name without its domain, as Unix, Samba and AD all take it: letters (any script), digits, '_', '.',
    /// '-' and inner spaces (AD's "Domain Users"), a machine account's final '$'. Nothing Samba or a shell reads otherwise:
    /// no quote, '\', '%' (Samba's substitutions), ',' or ';' (list separators), '#', newline; not led by '-' (an option
    /// to chown), not only digits (chown would read a uid).
    /// </summary>
    public static string? PrincipalName(string? value) => value switch
    {
        null or "" => "a name is required",
        { Length: > MaxPrincipalNameLength } => $"a name must be at most {MaxPrincipalNameLength} characters",
        _ when value.All(char.IsAsciiDigit) => $"'{Excerpt(value)}' is a number, not a name",
        _ when !PrincipalNameRegex().IsMatch(value) =>
            $"'{Excerpt(value)}' is not a user or group name: letters, digits, '_', '.', '-' and spaces inside, a final '$', starting with a letter, digit or '_'",
        _ => null,
    };

    /// <summary>A folder's permission bits in octal as chmod takes them: 3 or 4 digits 0–7 (e.g. 770, 2770 to pass the group on).</summary>
    public static string? FolderMode(string? value) => value switch
    {
        null or "" => null,
        _ when !FolderModeRegex().IsMatch(value) => $"'{Excerpt(value)}' is not an octal mode: 3 or 4 digits 0–7, e.g. 2770",
        _ => null,
    };

    /// <summary>What a picker searches for: a part of a name, nothing a node could misread.</summary>
    public static string? PrincipalSearch(string? value) => value switch
    {
        null or "" => null,
        { Length: > MaxPrincipalNameLength } => $"must be at most {MaxPrincipalNameLength} characters",
        _ when !PrincipalSearchRegex().IsMatch(value) => "may contain only letters, digits, '_', '.', '-', '$', '\\' and spaces",
        _ => null,
    };

    /// <summary>A value as a message quotes it: cut at 40 characters.</summary>
    internal static string Excerpt(string value) => Shorten(value);

    [GeneratedRegex(@"\A[\p{L}\p{N}_](?:[\p{L}\p{N}_. -]*[\p{L}\p{N}_.-])?\$?\z")]
    private static partial Regex PrincipalNameRegex();

    [GeneratedRegex(@"\A[0-7]?[0-7]{3}\z")]
    private static partial Regex FolderModeRegex();

    [GeneratedRegex(@"\A[\p{L}\p{N}_. $\\-]+\z")]
    private static partial Regex PrincipalSearchRegex();
}
