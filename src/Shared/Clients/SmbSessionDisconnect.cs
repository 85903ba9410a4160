using System.Globalization;
using System.Text.RegularExpressions;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Console;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Clients;

/// <summary>Ending one SMB session: disconnect-smb-session.sh on its node (see the script for why `smbcontrol PID shutdown`).</summary>
public static partial class SmbSessionDisconnect
{
    /// <summary>The script's exit status when the session has already ended.</summary>
    public const int Gone = 3;

    /// <summary>The fields of a session to end that are wrong, in words; empty when it is well formed.</summary>
    public static IReadOnlyList<ValidationError> Errors(SmbSessionRef session)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(session.Node)) errors.Add(new("node", "name the node that serves the session"));
        if (session.ServerPid <= 1) errors.Add(new("serverPid", "must be the process id of the smbd serving the session"));
        if (session.ClientEnd is null || !ClientEndPattern().IsMatch(session.ClientEnd) || TcpEnd.Parse(session.ClientEnd[5..]) is null)
            errors.Add(new("clientEnd", "must be the client's end as smbstatus names it, e.g. ipv4:192.0.2.50:41234"));
        return errors;
    }

    /// <summary>The script with the session's server process and client end.</summary>
    public static IReadOnlyList<string> Command(SmbSessionRef session) =>
        NodeScript.Named("disconnect-smb-session").Command(session.ServerPid.ToString(CultureInfo.InvariantCulture), session.ClientEnd);

    [GeneratedRegex(@"^ipv[46]:[0-9A-Fa-f:.]+:[0-9]{1,5}$")]
    private static partial Regex ClientEndPattern();
}
