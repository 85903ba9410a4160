using Bunit;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Pages;

public sealed class SecretsShownOnceTests : ConsoleTest
{
    /// <summary>Credentials are the admin's: they open root on every node.</summary>
    public SecretsShownOnceTests() => SignInAs("ada", "Admin");

    [Fact]
    public void GenerateKey_ShowsThePublicKey_AndTheQuotedOneLineInstallCommand()
    {
        var page = RenderPage<Credentials>();
        Click(page, "Generate key");

        Type("Name", "lab-key");
        Click(DialogHost, "Generate");

        DialogHost.WaitForAssertion(() => Assert.Contains("Public key of lab-key", DialogHost.Markup), Patience);
        var texts = DialogHost.FindAll(".copyable-code pre").Select(p => p.TextContent).ToList();
        Assert.Contains("echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest storageha-lab-key' >> ~/.ssh/authorized_keys", texts);
        Assert.Contains("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAITest storageha-lab-key", texts);
        page.WaitForAssertion(() => Assert.Contains("lab-key", page.Find("table tbody").TextContent), Patience);
    }

    [Fact]
    public void AddPrivateKey_SendsTheKeyToTheStore_AndNeverShowsItBack()
    {
        const string key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
        var page = RenderPage<Credentials>();
        Click(page, "Add private key");

        Type("Name", "pasted");
        Type("Private key", key);
        Click(DialogHost, "Save");

        page.WaitForAssertion(() => Assert.Contains("pasted", page.Find("table tbody").TextContent), Patience);
        Assert.Equal(key, CredentialStore.Secrets[CredentialStore.Credentials.Single().Id]);
        Assert.DoesNotContain("b3BlbnNzaC1rZXktdjEAAAAA", page.Markup);
        Assert.DoesNotContain("b3BlbnNzaC1rZXktdjEAAAAA", DialogHost.Markup);
    }

    [Fact]
    public void AddPrivateKey_ThatIsNotAKey_IsRefusedUnderTheKey()
    {
        var page = RenderPage<Credentials>();
        Click(page, "Add private key");

        Type("Name", "pasted");
        Type("Private key", "ssh-ed25519 AAAA this is the public half");
        Click(DialogHost, "Save");

        DialogHost.WaitForAssertion(() => Assert.Contains("This is not a private key", TextField("Private key").Markup), Patience);
        Assert.Empty(CredentialStore.Credentials);
    }

    [Fact]
    public void CreateApiToken_ShowsTheSecretOnce_AndListsTheToken()
    {
        SignInAs("ada", "Admin");
        UserAdmin.Users.Add(new User { Id = 4, UserName = "ada", Role = Role.Admin });
        UserAdmin.Users.Add(new User { Id = 5, UserName = "backup", Role = Role.Operator });
        var page = RenderPage<Users>();
        Click(page, "Create token");

        DialogHost.WaitForAssertion(() => Assert.Contains("Create API token", DialogHost.Markup), Patience);
        var user = DialogHost.FindComponents<MudBlazor.MudSelect<long>>().Single();
        DialogHost.InvokeAsync(() => user.Instance.ValueChanged.InvokeAsync(5L));
        Type("Name", "nightly-backup");
        Click(DialogHost, "Create");

        DialogHost.WaitForAssertion(() => Assert.Contains("shown only this once", DialogHost.Markup), Patience);
        Assert.Equal("sha_secret_" + UserAdmin.Tokens.Single().Id, DialogHost.Find(".copyable-code pre").TextContent);
        page.WaitForAssertion(() => Assert.Contains("nightly-backup", page.Find(".tokens tbody").TextContent), Patience);
        Assert.Equal("backup", UserAdmin.Tokens.Single().UserName);

        Click(DialogHost, "Done");
        DialogHost.WaitForAssertion(() => Assert.DoesNotContain("sha_secret_", DialogHost.Markup), Patience);
        Assert.DoesNotContain("sha_secret_", page.Markup);
    }

    [Fact]
    public void Admin_CannotDemoteOrRemoveThemself()
    {
        SignInAs("ada", "Admin");
        UserAdmin.Users.Add(new User { Id = 4, UserName = "ada", Role = Role.Admin });
        UserAdmin.Users.Add(new User { Id = 5, UserName = "olga", Role = Role.Operator });

        var page = RenderPage<Users>();

        Assert.True(Button(page, "Remove ada").HasAttribute("disabled"));
        Assert.False(Button(page, "Remove olga").HasAttribute("disabled"));
    }
}
