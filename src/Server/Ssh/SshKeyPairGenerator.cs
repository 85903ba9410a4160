using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;

namespace StorageHa.Server.Ssh;

/// <summary>A new login key: the private key text to store encrypted, and the public line for authorized_keys.</summary>
public sealed record SshKeyPair(string PrivateKey, string PublicKey, string Fingerprint);

/// <summary>Makes ed25519 key pairs in-process, in OpenSSH's own formats, so the console machine needs no ssh-keygen.</summary>
public static class SshKeyPairGenerator
{
    private const string Algorithm = "ssh-ed25519";

    public static SshKeyPair Generate(string comment)
    {
        // Ed25519 comes from BouncyCastle, which SSH.NET already ships with; .NET itself has none.
        var seed = RandomNumberGenerator.GetBytes(32);
        var privateKey = new Ed25519PrivateKeyParameters(seed);
        var publicKey = privateKey.GeneratePublicKey().GetEncoded();
        var publicBlob = Blob(w => { w.String(Algorithm); w.String(publicKey); });
        var publicLine = $"{Algorithm} {Convert.ToBase64String(publicBlob)} {comment}";
        return new SshKeyPair(OpenSshPrivateKey(seed, publicKey, publicBlob, comment), publicLine, SshFingerprint.Of(publicBlob));
    }

    /// <summary>The unencrypted "openssh-key-v1" format (openssh-portable PROTOCOL.key).</summary>
    private static string OpenSshPrivateKey(byte[] seed, byte[] publicKey, byte[] publicBlob, string comment)
    {
        var check = RandomNumberGenerator.GetInt32(int.MaxValue);
        var secret = Blob(w =>
        {
            w.UInt32((uint)check);
            w.UInt32((uint)check);
            w.String(Algorithm);
            w.String(publicKey);
            w.String([.. seed, .. publicKey]);
            w.String(Encoding.UTF8.GetBytes(comment));
            // Pad with 1, 2, 3… to the cipher block size (8 for "none").
            for (byte pad = 1; w.Length % 8 != 0; pad++) w.Byte(pad);
        });
        var body = Blob(w =>
        {
            w.Raw("openssh-key-v1\0"u8);
            w.String("none");
            w.String("none");
            w.String(ReadOnlySpan<byte>.Empty);
            w.UInt32(1);
            w.String(publicBlob);
            w.String(secret);
        });
        var text = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        var base64 = Convert.ToBase64String(body);
        for (var i = 0; i < base64.Length; i += 70) text.Append(base64, i, Math.Min(70, base64.Length - i)).Append('\n');
        return text.Append("-----END OPENSSH PRIVATE KEY-----\n").ToString();
    }

    private static byte[] Blob(Action<WireWriter> write)
    {
        var writer = new WireWriter();
        write(writer);
        return writer.ToArray();
    }

    /// <summary>SSH wire encoding: big-endian lengths before every string.</summary>
    private sealed class WireWriter
    {
        private readonly MemoryStream _stream = new();
        public long Length => _stream.Length;
        public void Byte(byte value) => _stream.WriteByte(value);
        public void Raw(ReadOnlySpan<byte> bytes) => _stream.Write(bytes);

        public void UInt32(uint value)
        {
            Span<byte> buffer = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(buffer, value);
            _stream.Write(buffer);
        }

        public void String(ReadOnlySpan<byte> bytes)
        {
            UInt32((uint)bytes.Length);
            _stream.Write(bytes);
        }

        public void String(string ascii) => String(Encoding.ASCII.GetBytes(ascii));
        public byte[] ToArray() => _stream.ToArray();
    }
}
