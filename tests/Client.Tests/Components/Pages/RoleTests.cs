using Bunit;
using Microsoft.AspNetCore.Components;
using StorageHa.Client.Components.Layout;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Pages;

public sealed class RoleTests : ConsoleTest
{
    public RoleTests()
    {
        Inventory.Clusters.Add(new Cluster { Id = 1, Name = "nas1", Purpose = ClusterPurpose.Smb, Description = "office files" });
        Inventory.VirtualIps.Add(new VirtualIp { Id = 2, ClusterId = 1, Address = "192.0.2.100", Prefix = 24, Nic = "eth0" });
        CredentialStore.Credentials.Add(new Credential { Id = 3, Name = "lab-key", Kind = CredentialKind.PrivateKey, PublicKey = "ssh-ed25519 AAAA lab" });
        UserAdmin.Users.Add(new User { Id = 4, UserName = "ada", Role = Role.Admin });
    }

    [Fact]
    public void Viewer_SeesClusters_ButNoAddEditOrRemove()
    {
        SignInAs("vera", "Viewer");

        var page = RenderPage<Clusters>();

        Assert.Contains("nas1", page.Find("table tbody").TextContent);
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public void Operator_SeesClusterEditing()
    {
        var page = RenderPage<Clusters>();

        Assert.True(HasButton(page, "Add cluster"));
        Assert.True(HasButton(page, "Edit nas1"));
        Assert.True(HasButton(page, "Remove nas1"));
    }

    [Fact]
    public void Viewer_SeesCredentialsAndVirtualIps_ButCannotChangeThem()
    {
        SignInAs("vera", "Viewer");

        var credentials = RenderPage<Credentials>();
        Assert.Contains("lab-key", credentials.Markup);
        Assert.False(HasButton(credentials, "Generate key"));
        Assert.False(HasButton(credentials, "Remove lab-key"));

        var cluster = RenderPage<ClusterPage>(p => p.Add(x => x.Id, 1L));
        cluster.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Virtual IPs").Click();
        cluster.WaitForAssertion(() => Assert.Contains("192.0.2.100/24", cluster.Markup), Patience);
        Assert.False(HasButton(cluster, "Add virtual IP"));
        Assert.False(HasButton(cluster, "Remove 192.0.2.100"));
    }

    [Fact]
    public void Operator_SeesCredentials_ButOnlyAnAdminAddsOrRemovesThem_AsTheStoreAndTheApiAllow()
    {
        var credentials = RenderPage<Credentials>();
        Assert.Contains("lab-key", credentials.Markup);
        Assert.False(HasButton(credentials, "Generate key"));
        Assert.False(HasButton(credentials, "Add private key"));
        Assert.False(HasButton(credentials, "Remove lab-key"));

        SignInAs("ada", "Admin");
        var asAdmin = RenderPage<Credentials>();
        Assert.True(HasButton(asAdmin, "Generate key"));
        Assert.True(HasButton(asAdmin, "Remove lab-key"));
    }

    [Theory]
    [InlineData("Viewer")]
    [InlineData("Operator")]
    public void UsersLink_IsHiddenFromNonAdmins(string role)
    {
        SignInAs("someone", role);

        var menu = Ctx.Render<NavMenu>();

        Assert.Contains("Clusters", menu.Markup);
        Assert.DoesNotContain("Users", menu.Markup);
    }

    [Fact]
    public void UsersLink_IsShownToAdmins()
    {
        SignInAs("ada", "Admin");

        var menu = Ctx.Render<NavMenu>();

        Assert.Contains("Users", menu.Markup);
    }

    [Fact]
    public void UsersPage_ForAnOperator_ShowsNoUserAndAsksNothing()
    {
        var page = RenderPage<Users>();

        Assert.Contains("Only admins manage users.", page.Markup);
        Assert.DoesNotContain("ada", page.Markup);
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public void Layout_ShowsTheSignedInUser_AndLogsOutWithAnAntiforgeryPost()
    {
        var layout = Ctx.Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page body"))));

        Assert.Contains("olga", layout.Find(".signed-in-user").TextContent);
        var form = layout.Find("form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("/account/logout", form.GetAttribute("action"));
        Assert.Equal("test-antiforgery-token", form.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value"));
        Assert.Contains("page body", layout.Markup);
    }
}
