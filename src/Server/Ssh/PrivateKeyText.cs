using System.Text;
using Renci.SshNet;
using Renci.SshNet.Common;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Ssh;

/// <summary>A private key's text opened by SSH.NET: at each login, and once when the key is added, so a key it cannot read is refused then.</summary>
public static class PrivateKeyText
{
    public static PrivateKeyFile Open(string privateKey, string? passphrase)
    {
        using var text = new MemoryStream(Encoding.UTF8.GetBytes(privateKey));
        return string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(text) : new PrivateKeyFile(text, passphrase);
    }

    /// <summary>Why this key and passphrase cannot log in, named by field ("privateKey" or "passphrase"); null when they can.</summary>
    public static ValidationError? Check(string privateKey, string? passphrase)
    {
        try
        {
            using var _ = Open(privateKey, passphrase);
            return null;
        }
        catch (SshPassPhraseNullOrEmptyException)
        {
            return new("passphrase", "is required: the private key is protected by one");
        }
        // Whatever SSH.NET throws on a text it cannot read (BEGIN/END lines around garbage throw all kinds), the key is refused.
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return string.IsNullOrEmpty(passphrase)
                ? new("privateKey", "is damaged or in a format SSH.NET does not read (use an OpenSSH or PEM key: ed25519, RSA or ECDSA)")
                : new("passphrase", "is wrong, or the private key is damaged");
        }
    }

    public static bool IsUnreadable(Exception ex) =>
        ex is SshException or ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or InvalidOperationException;
}
