using System.Text.RegularExpressions;

namespace StorageHa.Shared.Validation;

// The names an Active Directory domain goes by, as Samba and AD take them.
public static partial class InputRules
{
    /// <summary>A Kerberos realm: the domain's DNS name in capitals, at least two labels (AD refuses a single-label domain).</summary>
    public static string? Realm(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > 253 } => "must be at most 253 characters",
        _ when value != value.ToUpperInvariant() => $"'{Shorten(value)}' must be in capitals, as Kerberos spells the realm (e.g. {Shorten(value.ToUpperInvariant())})",
        _ when !RealmRegex().IsMatch(value) => $"'{Shorten(value)}' is not a realm: the domain's DNS name, labels of letters, digits and '-' joined by dots (e.g. AD.EXAMPLE.COM)",
        _ => null,
    };

    /// <summary>A domain's NetBIOS name: up to 15 letters, digits and '-', not only digits (Windows refuses those).</summary>
    public static string? Workgroup(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > 15 } => "must be at most 15 characters (a NetBIOS name)",
        _ when !WorkgroupRegex().IsMatch(value) => $"'{Shorten(value)}' is not a NetBIOS domain name: letters, digits and '-', starting with a letter or digit, not only digits",
        _ => null,
    };

    /// <summary>A domain account to log in with: a name (sAMAccountName), DOMAIN\\name or name@realm, no spaces or quotes.</summary>
    public static string? DomainAccount(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > 256 } => "must be at most 256 characters",
        _ when !DomainAccountRegex().IsMatch(value) => $"'{Shorten(value)}' is not a domain account: name, DOMAIN\\name or name@realm, without spaces, quotes or control characters",
        _ => null,
    };

    [GeneratedRegex(@"\A(?:[A-Za-z0-9][A-Za-z0-9-]{0,14}\\)?[A-Za-z0-9._$-]{1,104}(?:@[A-Za-z0-9.-]{1,253})?\z")]
    private static partial Regex DomainAccountRegex();

    [GeneratedRegex(@"\A(?=.{1,253}\z)[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?(?:\.[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?)+\z")]
    private static partial Regex RealmRegex();

    [GeneratedRegex(@"\A(?![0-9]+\z)[A-Za-z0-9][A-Za-z0-9-]{0,14}\z")]
    private static partial Regex WorkgroupRegex();
}
