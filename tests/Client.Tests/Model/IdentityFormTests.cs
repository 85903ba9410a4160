using StorageHa.Client.Model;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Model;

/// <summary>The identity form of the wizard and the Settings tab: what it builds, what it keeps, and where each rule's message goes.</summary>
public sealed class IdentityFormTests
{
    private static readonly ActiveDirectorySpec Lab = new() { Realm = "LAB.TEST", Workgroup = "LAB", DnsServers = ["192.0.2.5"] };
    private static readonly IdentitySpec WithUsers = new()
    {
        Mode = IdentityMode.LocalUsers, Users = [new LocalUserSpec("alice", 20001, ["staff"])], Groups = [new LocalGroupSpec("staff", 20001)],
    };

    [Fact]
    public void Build_KeepsTheLocalUsersAndGroups_WhateverTheMode()
    {
        var form = IdentityForm.From(WithUsers);
        form.Mode = IdentityMode.ActiveDirectory;
        (form.Realm, form.Workgroup) = ("LAB.TEST", "LAB");

        var built = form.Build();

        Assert.Same(WithUsers.Users, built.Users);
        Assert.Same(WithUsers.Groups, built.Groups);
        Assert.Equal(("LAB.TEST", "LAB", IdmapBackend.Autorid), (built.ActiveDirectory!.Realm, built.ActiveDirectory.Workgroup, built.ActiveDirectory.Idmap));
    }

    [Fact]
    public void LeavingTheDomainMode_KeepsTheStoredDomain_AndHalfTypedFieldsBlockNothing()
    {
        var form = IdentityForm.From(new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = Lab });
        form.Workgroup = "not a workgroup!";
        form.Mode = IdentityMode.Guest;

        Assert.True(form.Check(ClusterPurpose.Smb));
        Assert.Equal(Lab, form.Build().ActiveDirectory);
    }

    [Fact]
    public void EachRule_IsFiledUnderTheFieldTheFormShows()
    {
        var form = IdentityForm.From(new IdentitySpec());
        form.Mode = IdentityMode.ActiveDirectory;
        (form.Realm, form.Workgroup, form.DnsServers) = ("LAB.TEST", "LAB", "192.0.2.5 192.0.2.256");
        form.ChooseIdmap(IdmapBackend.Rid);
        form.DomainFirst = 1_500_000;

        Assert.False(form.Check(ClusterPurpose.Smb));
        Assert.Equal("'192.0.2.256' is not a valid IPv4 address", form.Errors.Message("dnsServers"));
        Assert.Contains("overlaps the default range", form.Errors.Message("domainRange"));
        Assert.Empty(form.Errors.General);
    }

    [Fact]
    public void ChoosingRid_ProposesTheDomainsOwnRange_OnceOnly()
    {
        var form = IdentityForm.From(new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = Lab });

        form.ChooseIdmap(IdmapBackend.Rid);
        Assert.Equal((2_000_000_000L, 2_999_999_999L), (form.DomainFirst, form.DomainLast));
        form.DomainFirst = 3_000_000_000;
        form.ChooseIdmap(IdmapBackend.Autorid);
        form.ChooseIdmap(IdmapBackend.Rid);

        Assert.Equal((3_000_000_000L, 2_999_999_999L), (form.DomainFirst, form.DomainLast));
    }

    [Fact]
    public void ADomainForAnNfsOnlyCluster_IsRefusedOnTheModeChoice()
    {
        var form = IdentityForm.From(new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = Lab });

        Assert.False(form.Check(ClusterPurpose.Nfs));
        Assert.Equal("an NFS-only cluster has no SMB users: choose Guest, or a purpose with SMB", form.Errors.Message("mode"));
    }

    [Fact]
    public void Changes_ComparesTheDnsServersByTheirAddresses()
    {
        var stored = new IdentitySpec { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = Lab };
        var form = IdentityForm.From(stored);

        Assert.False(form.Changes(stored));
        form.DnsServers = "192.0.2.5 192.0.2.6";
        Assert.True(form.Changes(stored));
    }
}
