using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Validation;

/// <summary>Local users and groups: names Samba and useradd both take, ids from the console's range, given once each.</summary>
public sealed class LocalAccountRulesTests
{
    private static readonly IdentitySpec Team = new()
    {
        Mode = IdentityMode.LocalUsers,
        Groups = [new("staff-rw", 20000)],
        Users = [new("alice", 20001, ["staff-rw"])],
        HighestLocalId = 20001,
    };

    private static List<ValidationError> Errors(IdentitySpec identity) => [.. identity.Validate(ClusterPurpose.Smb)];

    [Theory]
    [InlineData("alice")]
    [InlineData("j.doe")]
    [InlineData("svc_backup-2")]
    [InlineData("a2345678901234567890123456789012")]
    public void AccountName_TakesLowerCaseNamesStartingWithALetter(string name) => Assert.Null(InputRules.AccountName(name));

    [Theory]
    [InlineData("", "is required")]
    [InlineData("Alice", "is not an account name")]
    [InlineData("1alice", "is not an account name")]
    [InlineData("-alice", "is not an account name")]
    [InlineData("al ice", "is not an account name")]
    [InlineData("al:ice", "is not an account name")]
    [InlineData("alice;reboot", "is not an account name")]
    [InlineData("$(id)", "is not an account name")]
    [InlineData("alice\n", "is not an account name")]
    [InlineData("a23456789012345678901234567890123", "at most 32 characters")]
    [InlineData("root", "system account")]
    [InlineData("nobody", "system account")]
    [InlineData("hacluster", "system account")]
    [InlineData("admin", "system account")]
    public void AccountName_RefusesWhatUseraddOrSambaWouldNot_AndSystemAccounts(string name, string message) =>
        Assert.Contains(message, InputRules.AccountName(name), StringComparison.Ordinal);

    [Theory]
    [InlineData("", "is required")]
    [InlineData("two\nlines", "one line")]
    [InlineData("carriage\rreturn", "one line")]
    [InlineData("nul\0byte", "NUL")]
    public void SmbPassword_IsOneNonEmptyLine(string password, string message) =>
        Assert.Contains(message, InputRules.SmbPassword(password), StringComparison.Ordinal);

    [Fact]
    public void SmbPassword_TakesAnyOneLineUpTo256Characters()
    {
        Assert.Null(InputRules.SmbPassword("x"));
        Assert.Null(InputRules.SmbPassword("it's a $(pass) with spaces; & quotes\""));
        Assert.Null(InputRules.SmbPassword(new string('p', 256)));
        Assert.Contains("at most 256", InputRules.SmbPassword(new string('p', 257)), StringComparison.Ordinal);
    }

    [Fact]
    public void AValidTeam_HasNoErrors() => Assert.Empty(Errors(Team));

    [Fact]
    public void Errors_AreNamedByTheirField()
    {
        var bad = Team with
        {
            Groups = [new("staff-rw", 20000), new("staff-rw", 20001), new("Bad Group", 5)],
            Users = [new("alice", 20001, ["nosuch"]), new("alice", 300_000, []), new("staff-rw", 20000, ["staff-rw", "staff-rw"])],
        };

        var fields = Errors(bad).Select(e => e.Field).ToHashSet();

        Assert.Superset(new HashSet<string>
        {
            "identity.groups[1].name", "identity.groups[2].name", "identity.groups[2].gid", "identity.users[0].groups[0]",
            "identity.users[1].name", "identity.users[1].uid", "identity.users[2].name", "identity.users[2].groups",
        }, fields);
    }

    [Fact]
    public void AnIdAboveTheHighestGiven_WasNotGivenByTheConsole()
    {
        var error = Assert.Single(Errors(Team with { Users = [new("alice", 20005, [])] }));

        Assert.Equal("identity.users[0].uid", error.Field);
        Assert.Contains("not given by the console", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFirstAccount_GetsTheRangesFirstId_AndEachNextOneTheIdAfterTheHighestEverGiven()
    {
        var group = LocalAccounts.AddGroup(new IdentitySpec { Mode = IdentityMode.LocalUsers }, "staff-rw");
        var user = LocalAccounts.AddUser(group, "alice", "Alice Martin", ["staff-rw"]);

        Assert.Equal(ActiveDirectorySpec.LocalAccounts.First, group.Groups.Single().Gid);
        Assert.Equal(20_001, LocalAccounts.User(user, "alice").Uid);
        Assert.Equal(20_001, user.HighestLocalId);
        Assert.Empty(Errors(user));
    }

    [Fact]
    public void ADeletedUsersUid_IsNeverGivenAgain()
    {
        var two = LocalAccounts.AddUser(Team, "bob", null, []);
        var bobsUid = LocalAccounts.User(two, "bob").Uid;

        var again = LocalAccounts.AddUser(LocalAccounts.RemoveUser(two, "bob"), "bob", null, []);

        Assert.Equal(bobsUid + 1, LocalAccounts.User(again, "bob").Uid);
    }

    [Fact]
    public void WhenEveryIdWasGiven_ThereIsNoNext()
    {
        var full = Team with { HighestLocalId = ActiveDirectorySpec.LocalAccounts.Last };

        Assert.Throws<ConflictException>(() => LocalAccounts.AddGroup(full, "more"));
    }

    [Fact]
    public void Changes_RefuseNamesTakenOrUnknown_NamingTheField()
    {
        Assert.Equal("name", Assert.Single(Assert.Throws<InvalidInputException>(() => LocalAccounts.AddUser(Team, "alice", null, [])).Errors).Field);
        Assert.Equal("name", Assert.Single(Assert.Throws<InvalidInputException>(() => LocalAccounts.AddUser(Team, "staff-rw", null, [])).Errors).Field);
        Assert.Equal("name", Assert.Single(Assert.Throws<InvalidInputException>(() => LocalAccounts.AddGroup(Team, "Root")).Errors).Field);
        Assert.Equal("groups[0]", Assert.Single(Assert.Throws<InvalidInputException>(() => LocalAccounts.AddUser(Team, "bob", null, ["nosuch"])).Errors).Field);
        Assert.Equal("fullName", Assert.Single(Assert.Throws<InvalidInputException>(() => LocalAccounts.AddUser(Team, "bob", "Bob: admin", [])).Errors).Field);
        Assert.Throws<KeyNotFoundException>(() => LocalAccounts.RemoveUser(Team, "nosuch"));
        Assert.Throws<KeyNotFoundException>(() => LocalAccounts.RemoveGroup(Team, "nosuch"));
    }

    [Fact]
    public void ADeletedGroup_LeavesItsMembers_OutOfIt()
    {
        var without = LocalAccounts.RemoveGroup(Team, "staff-rw");

        Assert.Empty(without.Groups);
        Assert.Empty(LocalAccounts.User(without, "alice").Groups);
        Assert.Empty(Errors(without));
    }
}
