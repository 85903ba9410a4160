namespace StorageHa.Server.Ssh;

/// <summary>One node as the SSH layer sees it: where, who, how to log in, and the host key we trust.</summary>
/// <param name="Name">The node's name, used in messages and as the audit target.</param>
/// <param name="PinnedFingerprint">The accepted host key, "SHA256:…"; without it no connection is made.</param>
public sealed record SshTarget(string Name, string Address, int Port, string User, SshAuth Auth, string? PinnedFingerprint)
{
    /// <summary>"node1 (192.0.2.11:22)": how messages name the node.</summary>
    public string Display => $"{Name} ({Endpoint})";

    public string Endpoint => Address.Contains(':') ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    // The auth holds secrets: keep them out of logs and exception texts.
    public override string ToString() => $"{User}@{Display} with {Auth}";
}

/// <summary>How the console logs in: a private key (with optional passphrase) or a password.</summary>
public abstract record SshAuth
{
    /// <summary>The credential's name, shown in login errors (never the secret).</summary>
    public string Label { get; init; } = "unnamed credential";

    /// <summary>
    /// For a stored credential, the one place an admin allowed it to go; the connector logs in nowhere else.
    /// Null only for a secret typed for this very connection (a one-time password), which has no other place.
    /// </summary>
    public CredentialBinding? AllowedAt { get; init; }

    /// <summary>An OpenSSH (ed25519, RSA, ECDSA) or PEM private key, as its text.</summary>
    public static SshAuth WithKey(string privateKey, string? passphrase = null, string? label = null) =>
        new SshKeyAuth(privateKey, passphrase) { Label = label ?? "unnamed key" };

    public static SshAuth WithPassword(string password, string? label = null) =>
        new SshPasswordAuth(password) { Label = label ?? "unnamed password" };
}

public sealed record SshKeyAuth(string PrivateKey, string? Passphrase) : SshAuth
{
    public override string ToString() => $"key credential '{Label}'";
}

public sealed record SshPasswordAuth(string Password) : SshAuth
{
    public override string ToString() => $"password credential '{Label}'";
}

/// <summary>Where an admin allowed a stored credential to be sent: this address, port and user, behind this host key.</summary>
public sealed record CredentialBinding(string Address, int Port, string User, string HostKeyFingerprint)
{
    /// <summary>A credential with no binding: allowed nowhere.</summary>
    public static CredentialBinding Nowhere { get; } = new("", 0, "", "");

    public bool Allows(SshTarget target) =>
        string.Equals(Address, target.Address, StringComparison.Ordinal) && Port == target.Port
        && string.Equals(User, target.User, StringComparison.Ordinal)
        && SshFingerprint.AreSame(HostKeyFingerprint, target.PinnedFingerprint);
}
