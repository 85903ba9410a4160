using System.Text.Json;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Tests.Commands;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>Who may use a share: principals as Samba writes them, checked against the cluster's identity, rendered into the share's section and onto its folder.</summary>
public sealed class SharePermissionsTests
{
    private static readonly IdentitySpec Local = new()
    {
        Mode = IdentityMode.LocalUsers,
        Users = [new("alice", 20002, ["team"])],
        Groups = [new("team", 20001)],
        HighestLocalId = 20002,
    };

    private static readonly IdentitySpec Domain = new()
    {
        Mode = IdentityMode.ActiveDirectory,
        ActiveDirectory = new() { Realm = "LAB.TEST", Workgroup = "LAB" },
    };

    [Theory]
    [InlineData("alice", PrincipalKind.User, null, "alice", "alice")]
    [InlineData("@staff", PrincipalKind.Group, null, "staff", "@staff")]
    [InlineData("+staff", PrincipalKind.Group, null, "staff", "@staff")]
    [InlineData("LAB\\alice", PrincipalKind.User, "LAB", "alice", "LAB\\alice")]
    [InlineData("@\"LAB\\domain users\"", PrincipalKind.Group, "LAB", "domain users", "@\"LAB\\domain users\"")]
    [InlineData("\"@LAB\\domain users\"", PrincipalKind.Group, "LAB", "domain users", "@\"LAB\\domain users\"")]
    [InlineData("@LAB\\domain users", PrincipalKind.Group, "LAB", "domain users", "@\"LAB\\domain users\"")]
    [InlineData("LAB\\FS1$", PrincipalKind.User, "LAB", "FS1$", "LAB\\FS1$")]
    [InlineData("jürgen", PrincipalKind.User, null, "jürgen", "jürgen")]
    public void APrincipal_IsReadAsSambaWritesIt_AndWrittenBackInSambasSpelling(string text, PrincipalKind kind, string? domain, string name, string rendered)
    {
        var principal = SmbPrincipal.Parse(text);

        Assert.Equal((kind, domain, name, rendered), (principal.Kind, principal.Domain, principal.Name, principal.ToString()));
        Assert.Equal(principal, SmbPrincipal.Parse(rendered));
    }

    [Theory]
    [InlineData("")] [InlineData("alice\n[evil]")] [InlineData("alice\r")] [InlineData("al\"ice")]
    [InlineData("$(reboot)")] [InlineData("`id`")] [InlineData("alice;reboot")] [InlineData("alice|id")] [InlineData("a&b")]
    [InlineData("%U")] [InlineData("alice,bob")] [InlineData("#alice")] [InlineData("-R")] [InlineData("1000")] [InlineData("LAB\\")]
    [InlineData("\\alice")] [InlineData("A\\B\\c")] [InlineData("LAB.TEST\\alice")] [InlineData("@")] [InlineData("@\"staff")]
    [InlineData(" alice")] [InlineData("alice ")] [InlineData("al$ice")] [InlineData("ali\u202Ece")] [InlineData("&netgroup")]
    public void ShellAndConfigMetacharacters_NewlinesAndMalformedNames_AreRefused(string text)
    {
        Assert.False(SmbPrincipal.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<FormatException>(() => SmbPrincipal.User(text));
    }

    [Fact]
    public void AList_IsSplitAsSambaSplitsIt_OnSpacesAndCommas_KeepingQuotedNamesWhole()
    {
        var list = SmbPrincipal.ParseList("alice, @staff  LAB\\bob @\"LAB\\domain users\"");

        Assert.Equal(["alice", "@staff", "LAB\\bob", "@\"LAB\\domain users\""], list.Select(p => p.ToString()));
        Assert.Equal("alice @staff LAB\\bob @\"LAB\\domain users\"", SmbPrincipal.RenderList(list));
        Assert.Throws<FormatException>(() => SmbPrincipal.ParseList("alice \"@staff"));
    }

    [Fact]
    public void ASpecJson_WithValidUsersAsOneString_AsBeforeItWasTyped_StillReads_AndIsWrittenAsAList()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var share = JsonSerializer.Deserialize<ShareSpec>("""{"name":"team","path":"/srv/team","validUsers":"alice @staff","group":"staff"}""", options)!;

        Assert.Equal(["alice", "@staff"], share.ValidUsers.Select(p => p.ToString()));
        Assert.Equal(SmbPrincipal.Group("staff"), share.Group);
        Assert.Contains("\"validUsers\":[\"alice\",\"@staff\"]", JsonSerializer.Serialize(share, options));
        Assert.Empty(JsonSerializer.Deserialize<ShareSpec>("""{"name":"team","path":"/srv/team","validUsers":null}""", options)!.ValidUsers);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ShareSpec>("""{"name":"t","path":"/srv/t","writeList":["a\nb"]}""", options));
    }

    [Fact]
    public void TheShareSection_HasTheFourLists_AndAccessBasedEnumeration_InSambasParameterNames()
    {
        var section = ConfigFiles.ShareSection(Team);

        Assert.Equal(
            "[team]\n\tpath = /srv/team\n\tread only = no\n\tguest ok = no\n" +
            "\tvalid users = LAB\\alice @\"LAB\\domain users\"\n\tread list = @LAB\\auditors\n\twrite list = @\"LAB\\domain users\"\n" +
            "\tadmin users = LAB\\alice\n\taccess based share enum = yes\n",
            section);
        Assert.DoesNotContain("list", ConfigFiles.ShareSection(new ShareSpec { Name = "plain", Path = "/srv/plain" }));
    }

    private static readonly ShareSpec Team = new()
    {
        Name = "team", Path = "/srv/team",
        ValidUsers = [SmbPrincipal.User("alice", "LAB"), SmbPrincipal.Group("domain users", "LAB")],
        ReadList = [SmbPrincipal.Group("auditors", "LAB")],
        WriteList = [SmbPrincipal.Group("domain users", "LAB")],
        AdminUsers = [SmbPrincipal.User("alice", "LAB")],
        AccessBasedEnumeration = true,
        Owner = SmbPrincipal.User("alice", "LAB"), Group = SmbPrincipal.Group("domain users", "LAB"), Mode = "2770",
    };

    [Fact]
    public void LocalUsersIdentity_AcceptsItsOwnUsersAndGroups_AndNamesEachFieldThatHasAnother()
    {
        var share = new Share
        {
            Name = "team", Path = "/srv/team", ValidUsers = [SmbPrincipal.User("alice"), SmbPrincipal.Group("team")],
            WriteList = [SmbPrincipal.User("bob")], ReadList = [SmbPrincipal.Group("domain users", "LAB")], Owner = SmbPrincipal.User("Alice"),
        };

        var errors = SharePrincipals.Check(share, Local).ToList();

        Assert.Equal(["readList[0]", "writeList[0]", "owner"], errors.Select(e => e.Field));
        Assert.Contains("local users", errors[0].Message);
    }

    [Fact]
    public void ActiveDirectoryIdentity_TakesTheDomainsAccounts_AndRefusesAnotherDomainOrABareName()
    {
        var share = new Share
        {
            Name = "team", Path = "/srv/team", ValidUsers = [SmbPrincipal.User("alice", "lab"), SmbPrincipal.Group("domain users", "LAB")],
            WriteList = [SmbPrincipal.User("alice", "OTHER")], AdminUsers = [SmbPrincipal.User("alice")],
        };

        var errors = SharePrincipals.Check(share, Domain).ToList();

        Assert.Equal(["writeList[0]", "adminUsers[0]"], errors.Select(e => e.Field));
        Assert.Contains("LAB\\alice", errors[1].Message);
    }

    [Fact]
    public void GuestIdentity_RefusesNoList_ButThePlanWarnsThatTheAccountsAreTheAdminsToMake()
    {
        var spec = SpecExamples.ThreeNodes() with { Shares = [new() { Name = "team", Path = "/srv/team", ValidUsers = [SmbPrincipal.User("alice")] }] };

        Assert.Empty(spec.Validate());
        Assert.Contains(PlanBuilder.Build(spec, SpecExamples.FactsFor(spec)).Warnings, w => w.Contains("identity is Guest", StringComparison.Ordinal));
    }

    [Fact]
    public void ASpec_NamesTheShareAndField_OfAnUnknownPrincipal_AndABadMode()
    {
        var spec = SpecExamples.ThreeNodes() with
        {
            Identity = Local,
            Shares = [new() { Name = "team", Path = "/srv/team", WriteList = [SmbPrincipal.Group("nobody")], Group = SmbPrincipal.User("alice"), Mode = "2778" }],
        };

        Assert.Equal(["shares[0].group", "shares[0].mode", "shares[0].writeList[0]"], spec.Validate().Select(e => e.Field));
    }

    [Fact]
    public void ThePlan_SetsTheFoldersOwnerGroupAndMode_AfterTheRegistryShares_OnlyForSharesThatHaveThem()
    {
        var spec = SpecExamples.ThreeNodes() with { Identity = Domain, Shares = [Team, new() { Name = "data", Path = "/srv/data" }] };

        var steps = PlanBuilder.Build(spec, SpecExamples.FactsFor(spec)).Steps.Select(s => s.Id).ToList();

        var folder = Assert.Single(PlanBuilder.Build(spec, SpecExamples.FactsFor(spec)).Steps, s => s.Id.StartsWith("share-folder-", StringComparison.Ordinal));
        Assert.Equal("share-folder-team", folder.Id);
        Assert.True(steps.IndexOf("share-folder-team") > steps.IndexOf("share-data"));
        Assert.True(steps.IndexOf("share-folder-team") < steps.IndexOf("shares-not-in-spec"));
        Assert.Contains("owner LAB\\alice, group LAB\\domain users, mode 2770", folder.Description);
        Assert.Equal(["set", "/srv/team", "LAB\\alice", "LAB\\domain users", "2770"], folder.Argv.TakeLast(5));
        Assert.Equal(["check", "/srv/team", "LAB\\alice", "LAB\\domain users", "2770"], Assert.IsType<CommandCheck>(Assert.IsType<NodeCommand>(folder.Action).DoneCheck).Command.TakeLast(5));
    }

    [Fact]
    public void LocalPickerChoices_AreTheSpecsUsersOrGroups_MatchingTheSearchInAnyCase()
    {
        Assert.Equal(["@team"], PrincipalChoices.Local(Local, PrincipalKind.Group, "TEA").Principals.Select(p => p.ToString()));
        Assert.Empty(PrincipalChoices.Local(Local, PrincipalKind.User, "bob").Principals);
    }

    [Fact]
    public void WbinfoOutput_BecomesTheDomainsPrincipals_BoundedToAPage()
    {
        var groups = PrincipalChoices.FromWbinfo("LAB\\domain users\nLAB\\staff\nweird\"line\n", PrincipalKind.Group, null);
        Assert.Equal(["@\"LAB\\domain users\"", "@LAB\\staff"], groups.Principals.Select(p => p.ToString()));

        var many = PrincipalChoices.FromWbinfo(string.Join('\n', Enumerable.Range(0, 500).Select(i => $"LAB\\user{i}")), PrincipalKind.User, null);
        Assert.Equal((PrincipalChoices.Max, true), (many.Principals.Count, many.Truncated));
    }
}

/// <summary>share-folder.sh run for real on a temporary folder, as the test's own user and group.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ShareFolderScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();

    public void Dispose() => _run.Dispose();

    private ShareSpec Share(string? mode) => new()
    {
        Name = "team", Path = _run.PathOf("srv", "team"),
        Owner = SmbPrincipal.User(Environment.UserName), Group = SmbPrincipal.Group(_run.Run(["id", "-gn"]).Output.Trim()), Mode = mode,
    };

    [Fact]
    public void SetCreatesTheFolderWithItsOwnerGroupAndMode_ThenItsCheckAgrees_AndASecondRunChangesNothing()
    {
        var share = Share("2770");
        Assert.Equal(1, _run.Run(NodeCommands.ShareFolderIs(share)).ExitCode);

        Assert.True(_run.Run(NodeCommands.SetShareFolder(share)).Succeeded);

        Assert.True(_run.Run(NodeCommands.ShareFolderIs(share)).Succeeded);
        Assert.Equal("2770", _run.Run(["stat", "-c", "%a", share.Path]).Output.Trim());
        Assert.True(_run.Run(NodeCommands.SetShareFolder(share)).Succeeded);
        Assert.True(_run.Run(NodeCommands.ShareFolderIs(share)).Succeeded);
    }

    [Fact]
    public void AModeWithoutSetgid_ClearsTheBitAnEarlierModeSet_SoTheCheckCanAgree()
    {
        Assert.True(_run.Run(NodeCommands.SetShareFolder(Share("2770"))).Succeeded);
        var share = Share("770");

        Assert.Equal(1, _run.Run(NodeCommands.ShareFolderIs(share)).ExitCode);
        Assert.True(_run.Run(NodeCommands.SetShareFolder(share)).Succeeded);

        Assert.Equal("770", _run.Run(["stat", "-c", "%a", share.Path]).Output.Trim());
        Assert.True(_run.Run(NodeCommands.ShareFolderIs(share)).Succeeded);
    }

    [Fact]
    public void AnOwnerUnknownOnTheNode_IsExit3_NamingIt_AndNoFolderIsMade()
    {
        var share = Share("770") with { Owner = SmbPrincipal.User("nosuchuser-sha", "LAB") };

        var result = _run.Run(NodeCommands.SetShareFolder(share));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("no user LAB\\nosuchuser-sha", result.Error);
        Assert.False(Directory.Exists(share.Path));
    }
}

/// <summary>list-principals.sh run for real, with a wbinfo that prints what winbind of a joined node prints.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ListPrincipalsScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();

    public void Dispose() => _run.Dispose();

    private static IReadOnlyList<string> List(string kind, string search, int limit) =>
        StorageHa.Shared.Commands.NodeScript.Named("list-principals").Command(kind, search, limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void ItListsTheGroupsWhoseNameContainsTheSearch_InAnyCase_UpToTheLimit()
    {
        _run.Stub("wbinfo", """case $1 in -g) printf 'LAB\\domain users\nLAB\\Domain Admins\nLAB\\finance\n' ;; *) exit 9 ;; esac""");

        var all = _run.Run(List("groups", "DOMAIN", 10));
        var one = _run.Run(List("groups", "", 1));

        Assert.Equal(["LAB\\domain users", "LAB\\Domain Admins"], all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["LAB\\domain users"], one.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["wbinfo -g", "wbinfo -g"], _run.Calls);
    }

    [Fact]
    public void WhenWinbindDoesNotAnswer_ItFails_RatherThanListingNothing()
    {
        _run.Stub("wbinfo", "echo 'failed to call wbcListUsers: WBC_ERR_WINBIND_NOT_AVAILABLE' >&2; exit 1");

        var result = _run.Run(List("users", "", 10));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("WBC_ERR_WINBIND_NOT_AVAILABLE", result.Error);
    }
}
