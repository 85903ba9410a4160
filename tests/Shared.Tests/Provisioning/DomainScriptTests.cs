using StorageHa.Shared.Commands;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Tests.Commands;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>
/// The domain member's node scripts, run for real by /bin/sh in a temporary directory with `net` a stub that records its
/// calls; the real join against a real DC is the AD lab test's part.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DomainScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();
    private string Originals => _run.PathOf("originals");

    private IReadOnlyList<string> Nss(string mode, string conf) => NodeScript.Named("nss-winbind").Command(Originals, mode, conf);

    [Fact]
    public void NssWinbind_AddsWinbindToPasswdAndGroupOnly_KeepsEverythingElse_AndTheOriginalForTheTeardown()
    {
        var conf = _run.PathOf("nsswitch.conf");
        const string debian = "# /etc/nsswitch.conf\npasswd:         files systemd\ngroup:          files systemd # local first\nshadow:         files\nhosts:          files dns\n";
        File.WriteAllText(conf, debian);

        Assert.False(_run.Run(Nss("check", conf)).Succeeded);
        Assert.True(_run.Run(Nss("add", conf)).Succeeded);
        Assert.True(_run.Run(Nss("check", conf)).Succeeded);
        Assert.True(_run.Run(Nss("add", conf)).Succeeded); // once only

        Assert.Equal("# /etc/nsswitch.conf\npasswd:         files systemd winbind\ngroup:          files systemd winbind # local first\nshadow:         files\nhosts:          files dns\n",
            File.ReadAllText(conf));
        Assert.Equal(debian, File.ReadAllText(Originals + conf + ".orig"));
    }

    [Fact]
    public void NssWinbind_GivesAFileWithoutPasswdOrGroupLinesBoth()
    {
        var conf = _run.PathOf("nsswitch.conf");
        File.WriteAllText(conf, "hosts: files dns\n");

        Assert.True(_run.Run(Nss("add", conf)).Succeeded);

        Assert.Equal("hosts: files dns\npasswd:         files winbind\ngroup:          files winbind\n", File.ReadAllText(conf));
    }

    [Fact]
    public void RegistryGlobals_SetsOnlyTheSettingsThatDiffer_AndTheCheckPassesOnceAllAreSet()
    {
        // The registry as a directory of files: getparm prints the file, setparm writes it.
        var registry = _run.PathOf("registry");
        Directory.CreateDirectory(registry);
        _run.Stub("net", $$"""
            file="{{registry}}/$(printf '%s' "$4" | tr ' :*' '___')"
            case $2 in getparm) cat "$file" 2>/dev/null || exit 1 ;; setparm) printf '%s' "$5" > "$file" ;; esac
            """);
        File.WriteAllText(Path.Combine(registry, "workgroup"), "LAB");
        const string globals = "security = ads\nworkgroup = LAB\nidmap config * : range = 1000000-1999999999\n";

        Assert.False(_run.Run(NodeCommands.RegistryGlobalsAre, globals).Succeeded);
        Assert.True(_run.Run(NodeCommands.SetRegistryGlobals, globals).Succeeded);
        Assert.True(_run.Run(NodeCommands.RegistryGlobalsAre, globals).Succeeded);

        var sets = _run.Calls.Where(c => c.StartsWith("net conf setparm", StringComparison.Ordinal)).ToList();
        Assert.Equal(["net conf setparm global security ads", "net conf setparm global idmap config * : range 1000000-1999999999"], sets);
    }

    [Fact]
    public void DomainJoin_GivesNetThePasswordOnAFileDescriptor_NeverInItsArguments_AndJoinsWithoutDnsUpdates()
    {
        StubNet(joined: false);

        var joined = _run.Run(NodeCommands.JoinDomain("LAB.TEST"), "Administrator\nS3cret pass $(x)\n");

        Assert.True(joined.Succeeded, joined.Error);
        Assert.Equal("PASSWD_FD=0 password=S3cret pass $(x)", joined.Output.Trim());
        var join = _run.Calls.Single(c => c.Contains(" join", StringComparison.Ordinal));
        Assert.Equal("net ads join --no-dns-updates -U Administrator", join);
        Assert.DoesNotContain(_run.Calls, c => c.Contains("S3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void DomainCredentials_AskTheDomainWithThePasswordOnAFileDescriptor_AndSayWhatItRefused()
    {
        _run.Stub("net", """
            [ "$(cat)" = right ] && { echo 'distinguishedName: DC=lab,DC=test'; exit 0; }
            echo 'failed to connect to ldap: Invalid credentials'; echo 'Error reading password from file descriptor 0: empty password'; exit 255
            """);

        var accepted = _run.Run(NodeCommands.CheckDomainAdministrator("LAB.TEST", "LAB"), "LAB\\Administrator\nright\n");
        var refused = _run.Run(NodeCommands.CheckDomainAdministrator("LAB.TEST", "LAB"), "LAB\\Administrator\nwrong\n");

        Assert.True(accepted.Succeeded, accepted.Error);
        Assert.Equal("LAB.TEST accepts LAB\\Administrator", accepted.Output.Trim());
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("LAB.TEST refused LAB\\Administrator: failed to connect to ldap: Invalid credentials", refused.Error.Trim());
        Assert.All(_run.Calls, c => Assert.Equal("net -s /dev/null --realm=LAB.TEST -W LAB ads search -U LAB\\Administrator (objectClass=domain) dn", c));
    }

    [Fact]
    public void DomainCredentials_WithoutAnAdministrator_CheckNothing_AndPass()
    {
        _run.Stub("net", "exit 255");

        var nobody = _run.Run(NodeCommands.CheckDomainAdministrator("LAB.TEST", "LAB"), "");

        Assert.True(nobody.Succeeded);
        Assert.Contains("no domain administrator given: not checked", nobody.Output);
        Assert.Empty(_run.Calls);
    }

    [Fact]
    public void WaitForWinbind_RestartsUnderPacemakerOnlyAWinbindServingAnotherDomain_ThenWaitsForTheTrust()
    {
        // winbindd serves WORKGROUP until pcs restarts it; then LAB, whose trust and groups work.
        var restarted = _run.PathOf("restarted");
        _run.Stub("wbinfo", $$"""
            case $1 in --own-domain) [ -e '{{restarted}}' ] && echo LAB || echo WORKGROUP ;; -t) [ -e '{{restarted}}' ] ;; -p) exit 0 ;; esac
            """);
        _run.Stub("pcs", $"touch '{restarted}'");
        _run.Stub("getent", "exit 0");

        var stale = _run.Run(NodeCommands.WinbindWorks("LAB"));
        var ready = _run.Run(NodeCommands.WaitForWinbind("LAB", 5, "winbind-clone", "node2"));
        var again = _run.Run(NodeCommands.WaitForWinbind("LAB", 5, "winbind-clone", "node2"));

        Assert.False(stale.Succeeded);
        Assert.True(ready.Succeeded, ready.Error);
        Assert.Equal("winbind served 'WORKGROUP', not LAB: restarted it on node2", ready.Output.Trim());
        Assert.True(again.Succeeded, again.Error);
        Assert.Equal(["pcs resource restart winbind-clone node2 --wait=60"], _run.Calls.Where(c => c.StartsWith("pcs", StringComparison.Ordinal)));
    }

    [Fact]
    public void WaitForWinbind_LeavesAWinbindNotRunningYetToPacemaker_AndWaits()
    {
        // Not running (no answer to a ping) at first; then started by Pacemaker, serving LAB, its trust not working yet.
        var started = _run.PathOf("started");
        _run.Stub("wbinfo", $$"""
            case $1 in --own-domain) [ -e '{{started}}' ] && echo LAB || echo '(null)' ;; -t) touch '{{started}}'; exit 1 ;; -p) [ -e '{{started}}' ] ;; esac
            """);
        _run.Stub("pcs", "exit 1");
        _run.Stub("getent", "exit 0");

        var ready = _run.Run(NodeCommands.WaitForWinbind("LAB", 5, "winbind-clone", "node1"));

        Assert.False(ready.Succeeded); // wbinfo -t keeps failing in this stub: the wait gives up, but never restarted
        Assert.DoesNotContain(_run.Calls, c => c.StartsWith("pcs", StringComparison.Ordinal));
    }

    [Fact]
    public void WaitForWinbind_RestartsAWinbindThatStartedDuringTheWait_ServingAnotherDomain()
    {
        // Not running at the first question; then up, serving WORKGROUP (it read the settings too early); then LAB.
        var started = _run.PathOf("started");
        var restarted = _run.PathOf("restarted");
        _run.Stub("wbinfo", $$"""
            case $1 in
              --own-domain) if [ -e '{{restarted}}' ]; then echo LAB; elif [ -e '{{started}}' ]; then echo WORKGROUP; else echo '(null)'; fi ;;
              -p) if [ -e '{{started}}' ]; then exit 0; else touch '{{started}}'; exit 1; fi ;;
              -t) [ -e '{{restarted}}' ] ;;
            esac
            """);
        _run.Stub("pcs", $"touch '{restarted}'");
        _run.Stub("getent", "exit 0");

        var ready = _run.Run(NodeCommands.WaitForWinbind("LAB", 10, "winbind-clone", "node1"));

        Assert.True(ready.Succeeded, ready.Error);
        Assert.Equal("winbind served 'WORKGROUP', not LAB: restarted it on node1", ready.Output.Trim());
        Assert.Single(_run.Calls, c => c.StartsWith("pcs", StringComparison.Ordinal));
    }

    [Fact]
    public void WaitForWinbind_RestartsARunningWinbindThatServesNoDomain()
    {
        // CI's case: winbindd ran, answering pings, with no domain at all ("(null)"): it started before the registry held one.
        var restarted = _run.PathOf("restarted");
        _run.Stub("wbinfo", $$"""
            case $1 in --own-domain) [ -e '{{restarted}}' ] && echo LAB || echo '(null)' ;; -p) exit 0 ;; -t) [ -e '{{restarted}}' ] ;; esac
            """);
        _run.Stub("pcs", $"touch '{restarted}'");
        _run.Stub("getent", "exit 0");

        var ready = _run.Run(NodeCommands.WaitForWinbind("LAB", 10, "winbind-clone", "node3"));

        Assert.True(ready.Succeeded, ready.Error);
        Assert.Equal("winbind served '(null)', not LAB: restarted it on node3", ready.Output.Trim());
    }

    [Fact]
    public void WaitForWinbind_GivesUpAfterItsTimeout_WithWbinfosLastWords()
    {
        _run.Stub("wbinfo", "case $1 in --own-domain) echo LAB ;; -t) echo 'checking the trust secret for domain LAB via RPC calls failed'; exit 1 ;; esac");
        _run.Stub("getent", "exit 0");

        var failed = _run.Run(NodeCommands.WaitForWinbind("LAB", 1, "winbind-clone", "node1"));

        Assert.Equal(1, failed.ExitCode);
        Assert.Equal("winbind does not work for LAB after 1 s: checking the trust secret for domain LAB via RPC calls failed", failed.Error.Trim());
        Assert.DoesNotContain(_run.Calls, c => c.StartsWith("pcs", StringComparison.Ordinal));
    }

    [Fact]
    public void DomainJoin_OfAJoinedCluster_ChangesNothing_AndWithoutAnAdministratorSaysWhatItNeeds()
    {
        _run.Stub("net", "exit 0");
        var again = _run.Run(NodeCommands.JoinDomain("LAB.TEST"), "");
        Assert.True(again.Succeeded);
        Assert.Contains("already joined to LAB.TEST", again.Output);
        Assert.DoesNotContain(_run.Calls, c => c.Contains(" join", StringComparison.Ordinal));

        _run.Stub("net", "exit 1");
        var nobody = _run.Run(NodeCommands.JoinDomain("LAB.TEST"), "");
        Assert.Equal(2, nobody.ExitCode);
        Assert.Contains("needs a domain administrator's name and password", nobody.Error);
    }

    [Fact]
    public void DomainLeave_LeavesOnlyAJoinedCluster_WithThePasswordOnAFileDescriptor_AndNeverTakesNoAnswerForNotJoined()
    {
        StubNet(joined: true);
        var left = _run.Run(NodeCommands.LeaveDomain("LAB.TEST"), "Administrator\npw\n");
        Assert.True(left.Succeeded, left.Error);
        Assert.Equal("PASSWD_FD=0 password=pw\nleft LAB.TEST: its machine account is deleted", left.Output.Trim());
        Assert.Contains("net ads leave -U Administrator", _run.Calls);
        // Samba's complaint of its second, empty read of the password is not news when it left.
        _run.Stub("net", "case $2 in testjoin) exit 0 ;; esac; echo 'Error reading password from file descriptor 0: empty password'");
        Assert.Equal("left LAB.TEST: its machine account is deleted", _run.Run(NodeCommands.LeaveDomain("LAB.TEST"), "Administrator\npw\n").Output.Trim());
        Assert.False(_run.Run(NodeCommands.DomainNotJoined).Succeeded);

        _run.Stub("net", "echo 'Join to domain is not valid: The name provided is not a properly formed account name.' >&2; exit 255");
        Assert.Contains("nothing to leave", _run.Run(NodeCommands.LeaveDomain("LAB.TEST"), "").Output);
        Assert.True(_run.Run(NodeCommands.DomainNotJoined).Succeeded);

        // net that cannot tell (CTDB not answering): not taken for "not joined", so the leave is not skipped.
        _run.Stub("net", "echo 'Failed to open secrets.tdb' >&2; exit 255");
        Assert.False(_run.Run(NodeCommands.DomainNotJoined).Succeeded);
    }

    /// <summary>A net whose testjoin says <paramref name="joined"/>, and which prints where its password came from and what it was.</summary>
    private void StubNet(bool joined) => _run.Stub("net", $$"""
        case $2 in testjoin) exit {{(joined ? 0 : 1)}} ;; esac
        printf 'PASSWD_FD=%s password=%s\n' "$PASSWD_FD" "$(cat)"
        """);

    public void Dispose() => _run.Dispose();
}
