using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace StorageHa.Server.Security;

/// <summary>
/// The Data Protection key ring (which decrypts every stored node credential) is written encrypted with this
/// certificate: a copy of the keys folder alone (a backup, a careless tarball) is useless. The certificate is
/// StorageHa:KeyRingCertificate, by default keyring.pfx in the data folder, created 0600 on first start. Whoever can
/// read both files (root, the service user) can read the keys: this protects copies, not a compromised host.
/// </summary>
public static class KeyRingCertificate
{
    public static IDataProtectionBuilder ProtectKeysAtRest(this IDataProtectionBuilder builder, IConfiguration config, string dataDir)
    {
        var path = config["StorageHa:KeyRingCertificate"] is { Length: > 0 } configured ? configured : Path.Combine(dataDir, "keyring.pfx");
        var certificate = LoadOrCreate(path);
        return builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    private static X509Certificate2 LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=StorageHa key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
            PrivateFiles.Write(path, created.Export(X509ContentType.Pkcs12));
        }
        PrivateFiles.Restrict(path);
        return X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.EphemeralKeySet);
    }
}
