namespace StorageHa.Shared.Probe;

/// <summary>The console's public key put into the SSH user's authorized_keys, once: the line is added only when it is not there yet.</summary>
public static class AuthorizedKey
{
    public static IReadOnlyList<string> Install(string publicKey) =>
        ["sh", "-c",
         "umask 077; d=\"$HOME/.ssh\"; f=\"$d/authorized_keys\"; mkdir -p \"$d\" && touch \"$f\" && " +
         "{ grep -qxF \"$1\" \"$f\" || printf '%s\\n' \"$1\" >> \"$f\"; }",
         "storageha-install-key", publicKey.Trim()];
}
