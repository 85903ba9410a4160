using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace StorageHa.Shared.Validation;

// The names and passwords of the cluster's local SMB users and groups.
public static partial class InputRules
{
    public const int MaxAccountNameLength = 32;
    public const int MaxSmbPasswordLength = 256;

    /// <summary>
    /// Names the system, its packages or Samba already use: an account of that name is someone's, and the console
    /// never takes it over (a local user "root" would also be a Samba admin on every share).
    /// </summary>
    private static readonly FrozenSet<string> SystemAccounts = FrozenSet.ToFrozenSet(
    [
        "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup",
        "list", "irc", "gnats", "nobody", "nogroup", "systemd-network", "systemd-resolve", "systemd-timesync", "messagebus",
        "sshd", "hacluster", "haclient", "corosync", "pacemaker", "ctdb", "samba", "ganesha", "statd", "_rpc", "rpc", "rpcuser",
        "admin", "administrator", "guest", "users", "staff", "adm", "wheel", "sudo", "shadow", "utmp", "tty", "disk", "kmem",
        "dialout", "cdrom", "floppy", "tape", "audio", "video", "plugdev", "netdev", "operator", "src", "voice", "fax",
        "input", "kvm", "render", "sgx", "crontab", "polkitd", "dbus", "avahi", "postfix", "ntp", "chrony", "_chrony",
    ], StringComparer.Ordinal);

    /// <summary>
    /// A local user's or group's name, as useradd/groupadd (NAME_REGEX) and Samba both take it: lower-case letters,
    /// digits, '_', '-' and '.', starting with a letter, at most 32 characters, and not a system account's name.
    /// </summary>
    public static string? AccountName(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > MaxAccountNameLength } => $"must be at most {MaxAccountNameLength} characters",
        _ when !AccountNameRegex().IsMatch(value) =>
            $"'{Shorten(value)}' is not an account name: lower-case letters, digits, '_', '-' and '.', starting with a letter",
        _ when SystemAccounts.Contains(value) => $"'{value}' is a system account's name: choose another",
        _ => null,
    };

    /// <summary>
    /// A local user's SMB password: non-empty, at most 256 characters, and one line — it reaches smbpasswd on standard
    /// input, which reads a line, so a newline would cut it short. No minimum beyond that: the SMB clients' own policies differ.
    /// </summary>
    public static string? SmbPassword(string? value) => value switch
    {
        null or "" => "is required",
        { Length: > MaxSmbPasswordLength } => $"must be at most {MaxSmbPasswordLength} characters",
        _ when value.Contains('\n') || value.Contains('\r') => "must be one line (no line breaks)",
        _ when value.Contains('\0') => "must not contain a NUL character",
        _ => null,
    };

    [GeneratedRegex(@"\A[a-z][a-z0-9_.-]{0,31}\z")]
    private static partial Regex AccountNameRegex();
}
