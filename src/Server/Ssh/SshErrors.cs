using StorageHa.Shared.Commands;
using StorageHa.Shared.Text;

namespace StorageHa.Server.Ssh;

// Every SSH failure reaches the admin as one of these, in words about the node, never about the library.

/// <summary>Something went wrong talking to a node; the message says what, in an admin's words.</summary>
public abstract class NodeSshException(string node, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The node as shown in messages, e.g. "node1 (192.0.2.11:22)".</summary>
    public string Node { get; } = node;
}

/// <summary>The node shows a different host key than the one the admin accepted.</summary>
public sealed class HostKeyMismatchException(string node, string pinned, string offered)
    : NodeSshException(node,
        $"The host key of {node} has changed: pinned {pinned}, offered {offered}. " +
        "This can mean a man-in-the-middle attack, so the console refuses to connect. " +
        "Re-accept the new key only if you know the server was reinstalled or its SSH keys were regenerated.")
{
    public string PinnedFingerprint { get; } = pinned;
    public string OfferedFingerprint { get; } = offered;
}

/// <summary>No host key has been accepted for the node yet: the admin must look at it first.</summary>
public sealed class HostKeyNotPinnedException(string node)
    : NodeSshException(node, $"No host key has been accepted for {node} yet. Fetch its host key, compare the fingerprint and accept it before connecting.");

/// <summary>
/// The node's stored credential is not bound to where the node now points (its address, port, user or host key changed
/// since an admin confirmed them): the console sends the credential nowhere else, so it does not log in.
/// </summary>
public sealed class CredentialNotConfirmedException(string node, string message) : NodeSshException(node, message)
{
    public static CredentialNotConfirmedException At(SshTarget target) => new(target.Display,
        $"An admin must confirm that the {target.Auth} may be used for {target.User}@{target.Endpoint} with host key {target.PinnedFingerprint ?? "(none accepted)"}: " +
        $"{target.Name}'s address, port, SSH user, host key or credential changed since an admin bound them, so the console does not send the credential there. " +
        "An admin confirms it on the node (Confirm credential), or by accepting the host key.");
}

/// <summary>The node could not be reached (refused, no route, no answer, unknown name).</summary>
public sealed class NodeUnreachableException(string node, string message, Exception? inner = null) : NodeSshException(node, message, inner);

/// <summary>The node refused the login.</summary>
public sealed class NodeLoginFailedException(string node, string message, Exception? inner = null) : NodeSshException(node, message, inner);

/// <summary>The private key text cannot be used (damaged, unsupported, wrong or missing passphrase).</summary>
public sealed class PrivateKeyUnreadableException(string node, string message, Exception? inner = null) : NodeSshException(node, message, inner);

/// <summary>An established connection broke (node rebooted, network cut, sshd restarted).</summary>
public sealed class ConnectionDroppedException(string node, string message, Exception? inner = null) : NodeSshException(node, message, inner);

/// <summary>A command did not finish within its time limit; the console stopped waiting for it.</summary>
public sealed class CommandTimedOutException : NodeSshException
{
    public CommandTimedOutException(string node, string command, TimeSpan timeout)
        : this(node, $"The command on {node} timed out after {timeout.TotalSeconds:0.#} s and was stopped: {Brief(command)}", timeout, started: true) { }

    private CommandTimedOutException(string node, string message, TimeSpan timeout, bool started) : base(node, message)
    {
        Timeout = timeout;
        Started = started;
    }

    /// <summary>The node did not let the console in (connect, handshake, login) within the command's time limit.</summary>
    public static CommandTimedOutException BeforeStart(string node, string command, TimeSpan timeout) =>
        new(node, $"{node} did not answer within {timeout.TotalSeconds:0.#} s (no connection was open in time), so the command did not start: {Brief(command)}. " +
            "Is the node up, or hung?", timeout, started: false);

    public TimeSpan Timeout { get; }

    /// <summary>
    /// The command as a person reads it in a message: its first line, cut at <see cref="BriefLength"/> characters. A node
    /// script's command carries the whole script; the audit keeps the whole line.
    /// </summary>
    private static string Brief(string command) => Excerpt.FirstLine(command, BriefLength);

    public const int BriefLength = 100;

    /// <summary>False when the command provably never ran (the connection was not open in time).</summary>
    public bool Started { get; }
}

/// <summary>The console logs in as a user other than root and sudo would not run the command without a password: it never ran.</summary>
public sealed class SudoRefusedException(string node, string user, SudoRefusal refusal)
    : NodeSshException(node, Sudo.Explain(refusal, node, user))
{
    public SudoRefusal Refusal { get; } = refusal;
}
