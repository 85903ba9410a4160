using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Tests.Commands;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>
/// local-accounts.sh and smb-password.sh run for real by /bin/sh; getent, useradd, groupadd, gpasswd, userdel and
/// groupdel are stubs over a passwd and a group file in the test's directory (the real ones are the lab test's part).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalAccountScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();
    private string Passwd => _run.PathOf("passwd");
    private string Group => _run.PathOf("group");
    private string Record => _run.PathOf("var", "lib", "storageha", "local-accounts");

    private static readonly IdentitySpec Team = new()
    {
        Mode = IdentityMode.LocalUsers,
        Groups = [new("staff-rw", 20000)],
        Users = [new("alice", 20001, ["staff-rw"]), new("bob", 20002, [])],
        HighestLocalId = 20002,
    };

    public LocalAccountScriptTests()
    {
        File.WriteAllText(Passwd, "root:x:0:0:root:/root:/bin/bash\nadmin:x:1000:1000::/home/admin:/bin/bash\n");
        File.WriteAllText(Group, "root:x:0:\nusers:x:100:\nadmin:x:1000:\n");
        // getent DB KEY: the line whose name (or, for a number, whose id) is KEY; exit 2 when there is none, as getent does.
        _run.Stub("getent", $$"""
            case $2 in *[!0-9]*) f=1 ;; *) f=3 ;; esac
            awk -F: -v k="$2" -v f="$f" '$f == k { print; found = 1 } END { exit !found }' "{{_run.Directory}}/$1" || exit 2
            """);
        _run.Stub("groupadd", $$"""echo "$3:x:$2:" >> '{{Group}}'""");
        _run.Stub("useradd", $$"""for a; do name=$a; done; echo "$name:x:$2:100::/nonexistent:/usr/sbin/nologin" >> '{{Passwd}}'""");
        _run.Stub("userdel", $$"""grep -v "^$1:" '{{Passwd}}' > '{{Passwd}}.new'; mv '{{Passwd}}.new' '{{Passwd}}'""");
        _run.Stub("groupdel", $$"""grep -v "^$1:" '{{Group}}' > '{{Group}}.new'; mv '{{Group}}.new' '{{Group}}'""");
        _run.Stub("gpasswd", $$"""
            awk -F: -v OFS=: -v op="$1" -v u="$2" -v g="$3" '$1 == g {
              n = split($4, m, ","); $4 = ""
              for (i = 1; i <= n; i++) if (m[i] != u && m[i] != "") $4 = $4 ($4 == "" ? "" : ",") m[i]
              if (op == "--add") $4 = $4 ($4 == "" ? "" : ",") u
            } { print }' '{{Group}}' > '{{Group}}.new' && mv '{{Group}}.new' '{{Group}}'
            """);
    }

    private IReadOnlyList<string> Apply(IdentitySpec identity) => [.. LocalAccountSteps.Apply(identity).Select(a => a == LocalAccountSteps.RecordPath ? Record : a)];
    private IReadOnlyList<string> Check(IdentitySpec identity) => [.. LocalAccountSteps.Check(identity).Select(a => a == LocalAccountSteps.RecordPath ? Record : a)];

    [Fact]
    public void Apply_MakesTheGroupsThenTheUsers_WithTheirIdsNoShellNoHome_AndTheirMembership_AndRecordsThem()
    {
        Assert.Equal(1, _run.Run(Check(Team)).ExitCode);

        var applied = _run.Run(Apply(Team));

        Assert.True(applied.Succeeded, applied.Error);
        Assert.Equal(["groupadd --gid 20000 staff-rw",
            "useradd --uid 20001 --gid users --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin alice",
            "useradd --uid 20002 --gid users --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin bob",
            "gpasswd --add alice staff-rw"], _run.Calls.Where(c => !c.StartsWith("getent", StringComparison.Ordinal)));
        Assert.Contains("staff-rw:x:20000:alice", File.ReadAllLines(Group));
        Assert.Equal("group staff-rw\nuser alice\nuser bob\n", File.ReadAllText(Record));
        Assert.True(_run.Run(Check(Team)).Succeeded);
    }

    [Fact]
    public void Apply_Again_ChangesNothing()
    {
        _run.Run(Apply(Team));
        var before = _run.Calls.Count;

        Assert.True(_run.Run(Apply(Team)).Succeeded);

        Assert.All(_run.Calls.Skip(before), c => Assert.StartsWith("getent", c));
    }

    [Fact]
    public void AUserOutOfTheSpec_IsDeleted_AndOutOfAGroup_LeavesIt_ButTheAdminsOwnAccountsStay()
    {
        _run.Run(Apply(Team));
        var fewer = Team with { Users = [new("alice", 20001, [])] };

        Assert.True(_run.Run(Apply(fewer)).Succeeded);

        Assert.DoesNotContain(File.ReadAllLines(Passwd), l => l.StartsWith("bob:", StringComparison.Ordinal));
        Assert.Contains("staff-rw:x:20000:", File.ReadAllLines(Group));
        Assert.Contains(File.ReadAllLines(Passwd), l => l.StartsWith("admin:", StringComparison.Ordinal));
        Assert.Equal("group staff-rw\nuser alice\n", File.ReadAllText(Record));
        Assert.True(_run.Run(Check(fewer)).Succeeded);
    }

    [Fact]
    public void NoAccounts_DeletesEveryAccountTheConsoleMade_AndItsRecord_AndNothingElse()
    {
        _run.Run(Apply(Team));

        Assert.True(_run.Run(Apply(new IdentitySpec())).Succeeded);

        Assert.Equal(["root:x:0:0:root:/root:/bin/bash", "admin:x:1000:1000::/home/admin:/bin/bash"], File.ReadAllLines(Passwd));
        Assert.Equal(["root:x:0:", "users:x:100:", "admin:x:1000:"], File.ReadAllLines(Group));
        Assert.False(File.Exists(Record));
        Assert.True(_run.Run(Check(new IdentitySpec())).Succeeded);
    }

    [Theory]
    [InlineData("dave:x:1001:1001::/home/dave:/bin/bash", "user:dave:20001:", "user dave exists with uid 1001, not 20001")]
    [InlineData("carol:x:20001:100::/home/carol:/bin/bash", "user:alice:20001:", "uid 20001 is user carol's, not alice's")]
    public void AnExistingAccount_WithAnotherId_IsRefused_NamingIt_AndNothingChanges(string existing, string wanted, string message)
    {
        File.AppendAllText(Passwd, existing + "\n");
        var passwd = File.ReadAllText(Passwd);
        IReadOnlyList<string> argv = [.. Apply(new IdentitySpec()), wanted];

        var refused = _run.Run(argv);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains(message, refused.Error, StringComparison.Ordinal);
        Assert.Equal(passwd, File.ReadAllText(Passwd));
        Assert.Equal(3, _run.Run([.. Check(new IdentitySpec()), wanted]).ExitCode);
    }

    [Fact]
    public void AGroupNameTakenWithAnotherGid_IsRefused()
    {
        var refused = _run.Run([.. Apply(new IdentitySpec()), "group:admin:20000"]);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("group admin exists with gid 1000, not 20000", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void SmbPassword_ReadsThePasswordOnStdin_AndGivesItToSmbpasswdTwice_NeverInItsArguments()
    {
        _run.Stub("smbpasswd", logInput: true);

        var set = _run.Run(LocalAccountSteps.SetPassword("alice"), "it's a $(secret) pass\n");

        Assert.True(set.Succeeded, set.Error);
        Assert.Equal(["smbpasswd -s -a alice", "it's a $(secret) pass", "it's a $(secret) pass"], _run.Calls);
    }

    [Fact]
    public void SmbPassword_Delete_RemovesAUserThePassdbHas_AndIsDoneForOneItHasNot()
    {
        _run.Stub("pdbedit", """case "$*" in "--user=alice") exit 0 ;; "--user="*) exit 1 ;; esac""");

        Assert.True(_run.Run(LocalAccountSteps.DeletePassword("alice")).Succeeded);
        Assert.True(_run.Run(LocalAccountSteps.DeletePassword("bob")).Succeeded);

        Assert.Equal(["pdbedit --user=alice", "pdbedit --delete --user=alice", "pdbedit --user=bob"], _run.Calls);
    }

    public void Dispose() => _run.Dispose();
}
