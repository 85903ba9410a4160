using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Model;

/// <summary>
/// The obvious checks a form makes before it bothers the server, so the admin sees a mistake at once.
/// The server validates everything again; its word is final.
/// </summary>
public static partial class InputRules
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z_][a-z0-9_.-]{0,31}$", RegexOptions.IgnoreCase)]
    private static partial Regex UserPattern();

    [GeneratedRegex("^[a-z0-9_][a-z0-9_.-]{0,14}$", RegexOptions.IgnoreCase)]
    private static partial Regex NicPattern();

    [GeneratedRegex(@"^[a-z0-9_][a-z0-9_. -]{0,78}\$?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShareNamePattern();

    [GeneratedRegex(@"^[@+&]{0,2}[a-z0-9_.\\-]+$", RegexOptions.IgnoreCase)]
    private static partial Regex ValidUserPattern();

    public static FieldErrors Check(Cluster cluster)
    {
        var errors = new FieldErrors();
        CheckName(errors, "name", cluster.Name);
        if (cluster.Description?.Length > 500)
            errors.Add("description", "Keep the description under 500 characters.");
        return errors;
    }

    public static FieldErrors Check(Node node)
    {
        var errors = new FieldErrors();
        CheckName(errors, "name", node.Name);
        CheckHost(errors, "address", node.Address);
        if (node.SshPort is < 1 or > 65535)
            errors.Add("sshPort", "The SSH port must be between 1 and 65535.");
        if (string.IsNullOrWhiteSpace(node.SshUser))
            errors.Add("sshUser", "Enter the user to log in as, e.g. root.");
        else if (!UserPattern().IsMatch(node.SshUser))
            errors.Add("sshUser", "A user name has letters, digits, '_', '.' or '-', and starts with a letter or '_'.");
        return errors;
    }

    public static FieldErrors Check(VirtualIp vip)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(vip.Address))
            errors.Add("address", "Enter the virtual IP address.");
        else if (ParseIp(vip.Address) is not { } ip)
            errors.Add("address", $"'{vip.Address}' is not an IPv4 or IPv6 address.");
        else
        {
            var max = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
            if (vip.Prefix < 1 || vip.Prefix > max)
                errors.Add("prefix", $"The prefix length of an {(max == 32 ? "IPv4" : "IPv6")} address is between 1 and {max}.");
        }
        if (!string.IsNullOrEmpty(vip.Nic) && !NicPattern().IsMatch(vip.Nic))
            errors.Add("nic", "A network interface name is up to 15 letters, digits, '_', '.' or '-', e.g. eth0.");
        return errors;
    }

    public static FieldErrors Check(Share share)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(share.Name))
            errors.Add("name", "Enter the share name clients will see.");
        else if (!ShareNamePattern().IsMatch(share.Name))
            errors.Add("name", "A share name has letters, digits, spaces, '_', '.' or '-' (up to 80), optionally ending in '$'.");
        CheckPath(errors, "path", share.Path);
        if (share.Comment?.Length > 200 || share.Comment?.Any(char.IsControl) == true)
            errors.Add("comment", "A comment is one line of up to 200 characters.");
        if (!string.IsNullOrWhiteSpace(share.ValidUsers)
            && share.ValidUsers.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(u => !ValidUserPattern().IsMatch(u)) is { } bad)
            errors.Add("validUsers", $"'{bad}' is not a user or @group name.");
        return errors;
    }

    public static FieldErrors Check(Export export)
    {
        var errors = new FieldErrors();
        CheckPath(errors, "path", export.Path);
        if (string.IsNullOrWhiteSpace(export.Clients))
            errors.Add("clients", "Enter who may mount it: '*', addresses, networks like 192.0.2.0/24, or host names.");
        else if (export.Clients.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(c => !IsClientSpec(c)) is { } bad)
            errors.Add("clients", $"'{bad}' is not '*', an address, a network like 192.0.2.0/24, or a host name.");
        return errors;
    }

    public static FieldErrors Check(NewCredential credential)
    {
        var errors = new FieldErrors();
        CheckName(errors, "name", credential.Name);
        switch (credential.Source)
        {
            case CredentialSource.PrivateKey when string.IsNullOrWhiteSpace(credential.Secret):
                errors.Add("privateKey", "Paste the private key, from -----BEGIN to the END----- line.");
                break;
            case CredentialSource.PrivateKey when !credential.Secret!.Contains("PRIVATE KEY-----", StringComparison.Ordinal):
                errors.Add("privateKey", "This is not a private key: it must start with a -----BEGIN … PRIVATE KEY----- line.");
                break;
            case CredentialSource.Password when string.IsNullOrEmpty(credential.Secret):
                errors.Add("password", "Enter the password.");
                break;
        }
        return errors;
    }

    public static FieldErrors Check(NewUser user)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(user.UserName))
            errors.Add("userName", "Enter a user name.");
        else if (!UserPattern().IsMatch(user.UserName))
            errors.Add("userName", "A user name has letters, digits, '_', '.' or '-', and starts with a letter or '_'.");
        CheckNewPassword(errors, user.Password);
        return errors;
    }

    public static FieldErrors Check(NewPassword password)
    {
        var errors = new FieldErrors();
        CheckNewPassword(errors, password.Password);
        return errors;
    }

    public static FieldErrors Check(NewApiToken token)
    {
        var errors = new FieldErrors();
        if (token.UserId == 0)
            errors.Add("userId", "Choose the user the token acts as.");
        if (string.IsNullOrWhiteSpace(token.Name))
            errors.Add("name", "Name the token after what uses it, e.g. backup-script.");
        else if (token.Name.Length > 100 || token.Name.Any(char.IsControl))
            errors.Add("name", "A token name is one line of up to 100 characters.");
        return errors;
    }

    /// <summary>Strict IP literal: "10.0.0.256", "10.1" and "::g" are refused (IPAddress.TryParse alone accepts "10.1").</summary>
    public static IPAddress? ParseIp(string text)
    {
        if (text.Contains(':'))
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)))
            return null;
        return parts.All(p => int.Parse(p, CultureInfo.InvariantCulture) <= 255) ? IPAddress.Parse(text) : null;
    }

    public static bool IsHostName(string text)
    {
        if (text.Length is 0 or > 253)
            return false;
        var labels = text.TrimEnd('.').Split('.');
        // A name whose last label is all digits is a mistyped IP address, not a host name.
        return labels.All(l => NamePattern().IsMatch(l)) && !labels[^1].All(char.IsAsciiDigit);
    }

    private static void CheckName(FieldErrors errors, string field, string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            errors.Add(field, "Enter a name.");
        else if (!NamePattern().IsMatch(name))
            errors.Add(field, "A name has letters, digits and '-' (up to 63), and starts and ends with a letter or digit.");
    }

    private static void CheckNewPassword(FieldErrors errors, string? password)
    {
        if (string.IsNullOrEmpty(password))
            errors.Add("password", "Enter a password.");
        else if (password.Length < 12)
            errors.Add("password", "Use at least 12 characters.");
    }

    private static void CheckHost(FieldErrors errors, string field, string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
            errors.Add(field, "Enter the node's IP address or host name.");
        else if (ParseIp(host) is null && !IsHostName(host))
            errors.Add(field, $"'{host}' is neither a valid IP address nor a host name.");
    }

    private static void CheckPath(FieldErrors errors, string field, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            errors.Add(field, "Enter the directory's absolute path, e.g. /srv/data.");
        else if (!path.StartsWith('/'))
            errors.Add(field, "The path must be absolute (start with '/').");
        else if (path.Split('/').Contains(".."))
            errors.Add(field, "The path must not contain '..'.");
        else if (path.Any(char.IsControl) || path.Length > 4096)
            errors.Add(field, "The path must be one line of up to 4096 characters.");
    }

    private static bool IsClientSpec(string spec)
    {
        if (spec == "*")
            return true;
        var slash = spec.IndexOf('/');
        if (slash >= 0)
        {
            var ip = ParseIp(spec[..slash]);
            var max = ip?.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
            return ip is not null && int.TryParse(spec[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
                && prefix >= 0 && prefix <= max;
        }
        return ParseIp(spec) is not null || IsHostName(spec.StartsWith("*.", StringComparison.Ordinal) ? spec[2..] : spec);
    }
}
