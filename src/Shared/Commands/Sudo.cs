namespace StorageHa.Shared.Commands;

/// <summary>
/// How the console runs a node command as root when it logs in as another user: through <c>sudo -n --</c>, which runs
/// the argument list as it is (no shell in between) and fails at once, never asking for a password, when sudo would ask.
/// </summary>
/// <remarks>
/// sudo resets the environment: a command that needs a variable names it in its own argv (<c>env K=V cmd …</c>), so it
/// survives sudo as any other word. stdin passes through to the command (secrets still arrive there, never in argv).
/// </remarks>
public static class Sudo
{
    public const string Root = "root";

    /// <summary>Whether commands of a login as this user need sudo to run as root.</summary>
    public static bool IsNeeded(string sshUser) => !string.Equals(sshUser, Root, StringComparison.Ordinal);

    /// <summary>The argv run as root through sudo, byte for byte.</summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> argv) => ["sudo", "-n", "--", .. argv];

    /// <summary>What the admin puts on the node (as root) so that the console's user may run commands as root without a password.</summary>
    public static string SudoersLine(string sshUser) => $"{sshUser} ALL=(ALL) NOPASSWD: ALL";

    /// <summary>The one-line fix, run as root on the node: a sudoers.d file, checked by visudo.</summary>
    public static string FixCommand(string sshUser) =>
        $"echo {ShellCommand.Quote(SudoersLine(sshUser))} > /etc/sudoers.d/storageha && chmod 0440 /etc/sudoers.d/storageha && visudo -c";

    /// <summary>Why sudo itself refused (the command never ran), from what a wrapped command left; null when sudo let it run.</summary>
    public static SudoRefusal? Refusal(int exitCode, string stdErr) => exitCode switch
    {
        // `sudo -n` says so for a password-requiring rule and for a user with no rule at all: it never tells the two apart before a password.
        1 when stdErr.Contains("sudo: a password is required", StringComparison.Ordinal) => SudoRefusal.PasswordRequired,
        1 when stdErr.StartsWith("sudo: ", StringComparison.Ordinal) && (stdErr.Contains("not in the sudoers file", StringComparison.Ordinal)
                || stdErr.Contains("may not run sudo", StringComparison.Ordinal))
            || stdErr.StartsWith("Sorry, user ", StringComparison.Ordinal) && stdErr.Contains(" is not allowed to execute ", StringComparison.Ordinal) => SudoRefusal.NotAllowed,
        // The login shell's "sudo: not found" / "sudo: command not found".
        127 when stdErr.Contains("sudo: not found", StringComparison.Ordinal) || stdErr.Contains("sudo: command not found", StringComparison.Ordinal) => SudoRefusal.NotInstalled,
        _ => null,
    };

    /// <summary>The refusal in the admin's words: which node, which user, and the fix.</summary>
    public static string Explain(SudoRefusal refusal, string node, string sshUser)
    {
        var why = refusal switch
        {
            SudoRefusal.PasswordRequired => $"sudo on {node} asks '{sshUser}' for a password (or '{sshUser}' may not use sudo at all)",
            SudoRefusal.NotAllowed => $"sudo on {node} does not allow '{sshUser}' to run commands as root",
            _ => $"{node} has no sudo",
        };
        var fix = refusal == SudoRefusal.NotInstalled
            ? "install the sudo package there and allow the user: "
            : "allow the user without a password, as root on the node: ";
        return $"{why}. The console logs in as '{sshUser}', not root, so it runs every command through `sudo -n`, which never asks for a password. " +
            $"Either {fix}`{FixCommand(sshUser)}` (the line `{SudoersLine(sshUser)}`), or let the console log in as root.";
    }
}

/// <summary>Why sudo did not run a command.</summary>
public enum SudoRefusal { PasswordRequired, NotAllowed, NotInstalled }
