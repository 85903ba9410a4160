using StorageHa.Shared.Commands;

namespace StorageHa.Shared.Probe;

/// <summary>The console's public key put into the SSH user's authorized_keys, once: the line is added only when it is not there yet.</summary>
public static class AuthorizedKey
{
    public static IReadOnlyList<string> Install(string publicKey) => NodeScript.Named("install-key").Command(publicKey.Trim());

    /// <summary>The line an admin runs by hand, as the node's SSH user, to let the key in; quoted so a key comment cannot break it.</summary>
    public static string OneLineInstall(string publicKey) =>
        $"echo {ShellCommand.Quote(publicKey.Trim())} >> ~/.ssh/authorized_keys";
}
