using Bunit;
using MudBlazor;
using MudBlazor.Extensions;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Wizard;

/// <summary>
/// The Identity step, after the shares and before the review: Guest only unless the admin chooses local users or a domain;
/// every rule of the spec shows under its field as the admin types, and Next stores nothing while any fails.
/// </summary>
public sealed class WizardIdentityStepTests : WizardTest
{
    /// <summary>A draft finished up to the review, opened at the Identity step.</summary>
    private async Task<IRenderedComponent<NewClusterWizard>> AtIdentityAsync(ClusterPurpose purpose = ClusterPurpose.Smb, IdentitySpec? identity = null)
    {
        AddCluster(purpose);
        await AddReadyNodesAsync(3);
        await ServicesDoneAsync();
        Inventory.Settings[ClusterId] = new ClusterSettings
        {
            SharedState = new SharedStateSpec { RecoveryLock = "/srv/cluster-state/ctdb/reclock", GaneshaState = "/srv/cluster-state/ganesha" },
            Fencing = new FencingSpec { NoFencingAcknowledged = true },
            Identity = identity ?? new IdentitySpec(),
        };
        var page = RenderWizard();
        WaitForStep(page, "Review");
        page.WaitForAssertion(() => page.FindAll(".mud-step").Single(s => s.TextContent.Trim().EndsWith("Identity", StringComparison.Ordinal)).Click(), Patience);
        WaitForStep(page, "Identity");
        return page;
    }

    /// <summary>A VIP, a share and an export: the steps before Identity have what they need.</summary>
    private async Task ServicesDoneAsync()
    {
        await Inventory.AddVirtualIpAsync(new VirtualIp { ClusterId = ClusterId, Address = "192.0.2.101", Prefix = 24 });
        await Inventory.AddShareAsync(new Share { ClusterId = ClusterId, Name = "data", Path = "/srv/data" });
        await Inventory.AddExportAsync(new Export { ClusterId = ClusterId, Path = "/srv/data", Clients = "192.0.2.0/24" });
    }

    private static void Choose<T>(IRenderedComponent<NewClusterWizard> page, T value) =>
        page.WaitForAssertion(() => page.FindComponents<MudRadio<T>>().Single(r => Equals(r.Instance.GetState(x => x.Value), value)).Find("input").Click(), Patience);

    private static string Mode(IRenderedComponent<NewClusterWizard> page) => page.Find(".identity-mode-choice").GetAttribute("data-mode") ?? "";

    /// <summary>The text under the field with this class: its error when it has one.</summary>
    private static string Under(IRenderedComponent<NewClusterWizard> page, string field) =>
        string.Concat(page.Find($".{field}").QuerySelectorAll(".mud-input-helper-text").Select(e => e.TextContent));

    private static void TypeInto(IRenderedComponent<NewClusterWizard> page, string field, string value) =>
        page.WaitForAssertion(() => page.Find($".{field} input").Input(value), Patience);

    [Fact]
    public async Task ANewCluster_IsGuestOnly_AndNextGoesToTheReview_StoringNothing()
    {
        var page = await AtIdentityAsync();
        var before = Inventory.Settings[ClusterId];

        Assert.Equal("Guest", Mode(page));
        Assert.Empty(page.FindAll(".identity-domain"));
        Next(page);

        WaitForStep(page, "Review");
        Assert.Same(before, Inventory.Settings[ClusterId]);
        Assert.Contains("Logins: none, guests only.", page.Find(".wizard-summary").TextContent);
    }

    [Fact]
    public async Task ActiveDirectory_ShowsEachRuleUnderItsFieldAsTheAdminTypes_AndNextStoresNothing()
    {
        var page = await AtIdentityAsync();

        Choose(page, IdentityMode.ActiveDirectory);
        page.WaitForAssertion(() => Assert.Contains("is required", Under(page, "identity-realm")), Patience);
        TypeInto(page, "identity-realm", "lab.test");
        TypeInto(page, "identity-workgroup", "LABORATORY-DOMAIN");
        TypeInto(page, "identity-dns", "192.0.2.5 192.0.2.300");

        page.WaitForAssertion(() => Assert.Contains("'lab.test' must be in capitals, as Kerberos spells the realm (e.g. LAB.TEST)", Under(page, "identity-realm")), Patience);
        Assert.Contains("must be at most 15 characters (a NetBIOS name)", Under(page, "identity-workgroup"));
        Assert.Contains("'192.0.2.300' is not a valid IPv4 address", Under(page, "identity-dns"));
        Next(page);

        Assert.Contains("identity.activeDirectory.realm: 'lab.test' must be in capitals", Blocked(page));
        Assert.Equal("Identity", ActiveStep(page));
        Assert.Equal(IdentityMode.Guest, Inventory.Settings[ClusterId].Identity.Mode);
    }

    [Fact]
    public async Task ActiveDirectory_Valid_StoresTheDomainWithAutoridByDefault_AsksNoPassword_AndTheReviewSaysWhenItIsAsked()
    {
        var page = await AtIdentityAsync();
        Choose(page, IdentityMode.ActiveDirectory);
        TypeInto(page, "identity-realm", "LAB.TEST");
        TypeInto(page, "identity-workgroup", "LAB");
        TypeInto(page, "identity-dns", "192.0.2.5, 192.0.2.6");

        Assert.Empty(page.FindAll("input[type=password]"));
        Assert.Contains("asked when the plan is applied", page.Find(".identity-password-note").TextContent);
        Next(page);

        WaitForStep(page, "Review");
        var identity = Inventory.Settings[ClusterId].Identity;
        Assert.Equal(IdentityMode.ActiveDirectory, identity.Mode);
        var domain = identity.ActiveDirectory!;
        Assert.Equal(("LAB.TEST", "LAB", IdmapBackend.Autorid), (domain.Realm, domain.Workgroup, domain.Idmap));
        Assert.Equal(["192.0.2.5", "192.0.2.6"], domain.DnsServers);
        Assert.Equal((new IdRange(1_000_000, 1_999_999_999), 1_000_000L), (domain.IdmapRange, domain.IdmapRangeSize));
        Assert.Contains("Logins: the domain LAB.TEST (workgroup LAB, idmap autorid 1000000-1999999999); applying asks for the domain administrator's password",
            page.Find(".wizard-summary").TextContent);
    }

    [Fact]
    public async Task Rid_ProposesTheDomainsOwnRange_AndRefusesOneOverlappingTheLocalUsersIds_OnItsField()
    {
        var page = await AtIdentityAsync(identity: new IdentitySpec
        {
            Mode = IdentityMode.ActiveDirectory, ActiveDirectory = new ActiveDirectorySpec { Realm = "LAB.TEST", Workgroup = "LAB" },
        });

        Choose(page, IdmapBackend.Rid);
        page.WaitForAssertion(() => Assert.Equal("2000000000", page.Find(".identity-domain-first input").GetAttribute("value")), Patience);
        Assert.Equal("2999999999", page.Find(".identity-domain-last input").GetAttribute("value"));
        page.WaitForAssertion(() => page.Find(".identity-domain-first input").Change("10000"), Patience);
        page.WaitForAssertion(() => page.Find(".identity-domain-last input").Change("99999"), Patience);

        page.WaitForAssertion(() => Assert.Contains("10000-99999 overlaps the local users' ids 20000-299999", Under(page, "identity-domain-first")), Patience);
        Next(page);
        Assert.Contains("overlaps the local users' ids", Blocked(page));
        Assert.Equal(IdmapBackend.Autorid, Inventory.Settings[ClusterId].Identity.ActiveDirectory!.Idmap);
    }

    [Fact]
    public async Task LocalUsers_SaysTheUsersAreMadeOnTheUsersPage_AndStoresTheMode_KeepingTheDomainTypedBefore()
    {
        var domain = new ActiveDirectorySpec { Realm = "LAB.TEST", Workgroup = "LAB" };
        var page = await AtIdentityAsync(identity: new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = domain });

        Choose(page, IdentityMode.LocalUsers);
        page.WaitForAssertion(() => Assert.Contains("created on the cluster's Users page once the cluster is built", page.Find(".identity-local-users").TextContent), Patience);
        Next(page);

        WaitForStep(page, "Review");
        Assert.Equal(IdentityMode.LocalUsers, Inventory.Settings[ClusterId].Identity.Mode);
        Assert.Equal(domain, Inventory.Settings[ClusterId].Identity.ActiveDirectory);
    }

    [Fact]
    public async Task AnNfsOnlyCluster_ShowsTheChoiceDisabled_SayingWhy_AndStaysGuest()
    {
        var page = await AtIdentityAsync(ClusterPurpose.Nfs);

        Assert.Contains("An NFS-only cluster serves no SMB shares, so nobody logs in to it", page.Find(".identity-nfs-only").TextContent);
        Assert.All(page.FindAll(".identity-mode input[type=radio]"), r => Assert.True(r.HasAttribute("disabled")));
        Assert.Equal("Guest", Mode(page));
        Next(page);

        WaitForStep(page, "Review");
        Assert.Equal(IdentityMode.Guest, Inventory.Settings[ClusterId].Identity.Mode);
    }

    [Fact]
    public async Task AnNfsOnlyClusterThatHadADomain_IsSetBackToGuestOnNext_KeepingTheDomainForLater()
    {
        var domain = new ActiveDirectorySpec { Realm = "LAB.TEST", Workgroup = "LAB" };
        AddCluster(ClusterPurpose.Nfs);
        await AddReadyNodesAsync(3);
        await ServicesDoneAsync();
        Inventory.Settings[ClusterId] = new ClusterSettings
        {
            SharedState = new SharedStateSpec { GaneshaState = "/srv/cluster-state/ganesha" },
            Fencing = new FencingSpec { NoFencingAcknowledged = true },
            Identity = new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = domain },
        };

        var page = RenderWizard();

        WaitForStep(page, "Identity");
        Assert.Contains("Next sets it back to Guest", page.Find(".identity-back-to-guest").TextContent);
        Next(page);
        WaitForStep(page, "Review");
        Assert.Equal(IdentityMode.Guest, Inventory.Settings[ClusterId].Identity.Mode);
        Assert.Equal(domain, Inventory.Settings[ClusterId].Identity.ActiveDirectory);
    }
}
