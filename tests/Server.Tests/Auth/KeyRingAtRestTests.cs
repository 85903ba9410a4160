using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Security;
using StorageHa.Server.Tests.Shared;

namespace StorageHa.Server.Tests.Auth;

/// <summary>The Data Protection key ring decrypts every stored node credential: on disk it must not be readable as it is.</summary>
public sealed class KeyRingAtRestTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task TheKeyRingAtRest_IsNotPlainXml_AndTheStartupWarningIsGone()
    {
        // The login page's antiforgery token makes the console create its first key.
        await _console.Anonymous().GetStringAsync("/account/login");

        var keys = Directory.GetFiles(Path.Combine(_console.DataDir, "keys"), "key-*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key);
            Assert.Contains("<encryptedSecret", xml);
            Assert.DoesNotContain("<masterKey", xml);
        }
        Assert.DoesNotContain("No XML encryptor configured", _console.Log.Text);
        Assert.DoesNotContain("unencrypted", _console.Log.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ASecretSealedByTheConsole_IsReadBack_FromTheEncryptedKeyRingOnDisk()
    {
        var sealedText = _console.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("node password");

        // A fresh key ring read from the files alone, as after a restart: it decrypts with the certificate, nothing cached.
        var restarted = new ServiceCollection();
        restarted.AddDataProtection().SetApplicationName("StorageHa")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(_console.DataDir, "keys")))
            .ProtectKeysAtRest(new ConfigurationBuilder().Build(), _console.DataDir);
        using var provider = restarted.BuildServiceProvider();

        Assert.Equal("node password", provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(sealedText));
    }
}
