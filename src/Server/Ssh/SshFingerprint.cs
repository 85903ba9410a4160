using System.Security.Cryptography;

namespace StorageHa.Server.Ssh;

/// <summary>SHA256 fingerprints in OpenSSH's own form ("SHA256:" + unpadded base64), so admins can compare with ssh-keygen -l.</summary>
public static class SshFingerprint
{
    private const string Prefix = "SHA256:";

    /// <summary>Fingerprint of a public key blob (the SSH wire encoding: algorithm name + key).</summary>
    public static string Of(ReadOnlySpan<byte> publicKeyBlob) => Prefix + Unpadded(Convert.ToBase64String(SHA256.HashData(publicKeyBlob)));

    /// <summary>Brings "SHA256:abc", "abc" or "abc=" to "SHA256:abc"; null for anything that is not a SHA256 fingerprint.</summary>
    public static string? Normalize(string? fingerprint)
    {
        if (string.IsNullOrWhiteSpace(fingerprint)) return null;
        var value = fingerprint.Trim();
        if (value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) value = value[Prefix.Length..];
        value = Unpadded(value);
        // A SHA256 digest is 32 bytes: 43 base64 characters without padding.
        if (value.Length != 43 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/')) return null;
        return Prefix + value;
    }

    public static bool AreSame(string? a, string? b) => Normalize(a) is { } x && x == Normalize(b);

    private static string Unpadded(string base64) => base64.TrimEnd('=');
}

/// <summary>The host key a node shows: its algorithm (ssh-ed25519, ecdsa-sha2-nistp256, rsa-sha2-512…) and fingerprint.</summary>
public sealed record SshHostKey(string Algorithm, string Fingerprint);
