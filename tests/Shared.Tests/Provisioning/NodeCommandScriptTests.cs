using StorageHa.Shared.Commands;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;
using StorageHa.Shared.Tests.Commands;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>
/// The plan's node scripts, run for real by /bin/sh in a temporary directory; cluster tools (service, systemctl, ctdb, net,
/// cibadmin, crm_resource, chpasswd) are stubs that record their calls. The real tools are the lab tests' part.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NodeCommandScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();
    private string Originals => _run.PathOf("originals");

    [Fact]
    public void WriteFile_WritesStdinWithItsMode_CreatingTheDirectory_AndLeavesNoTemporaryFile()
    {
        var path = _run.PathOf("etc", "ctdb", "nodes");

        Assert.True(_run.Run(NodeCommands.WriteFile(path, "640", Originals), "192.0.2.11\n").Succeeded);
        Assert.True(_run.Run(NodeCommands.WriteFile(path, "644", Originals), "192.0.2.11\n192.0.2.12\n").Succeeded);

        Assert.Equal("192.0.2.11\n192.0.2.12\n", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void WriteFile_ThatFails_LeavesTheOldFileAndNoTemporaryFile()
    {
        var path = _run.PathOf("smb.conf");
        File.WriteAllText(path, "old\n");

        var failed = _run.Run(NodeCommands.WriteFile(path, "not-a-mode", Originals), "new\n");

        Assert.False(failed.Succeeded);
        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_run.Directory));
    }

    [Fact]
    public void WriteFile_TakesPathsWithSpacesQuotesAndDollarsAsTheyAre()
    {
        var path = _run.PathOf("it's a dir", "$(touch pwned)");

        Assert.True(_run.Run(NodeCommands.WriteFile(path, "600", Originals), "x\n").Succeeded);

        Assert.Equal("x\n", File.ReadAllText(path));
        Assert.False(File.Exists(_run.PathOf("pwned")));
    }

    [Fact]
    public void SeedFile_WritesOnlyWhereNothingIs_PrivateToItsOwner()
    {
        var path = _run.PathOf("var", "lib", "pacemaker", "cib", "cib.xml");
        var owner = $"{Environment.UserName}:{_run.Run(["id", "-gn"]).Output.Trim()}";

        Assert.True(_run.Run(NodeCommands.SeedFile(path, owner), "<cib seed/>").Succeeded);
        Assert.True(_run.Run(NodeCommands.SeedFile(path, owner), "<cib a running cluster wrote/>").Succeeded);

        Assert.Equal("<cib seed/>", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(_run.Run(NodeCommands.SeedFile(_run.PathOf("other.xml"), "no-such-user-x:no-such-group-x"), "<cib/>").Succeeded);
        Assert.False(File.Exists(_run.PathOf("other.xml")));
    }

    [Fact]
    public void FileIs_Exits0OnlyForTheSameContentAndMode()
    {
        var path = _run.PathOf("corosync.conf");

        Assert.Equal(1, _run.Run(NodeCommands.FileIs(path, "644"), "totem {}\n").ExitCode);
        Assert.True(_run.Run(NodeCommands.WriteFile(path, "644", Originals), "totem {}\n").Succeeded);
        Assert.Equal(0, _run.Run(NodeCommands.FileIs(path, "644"), "totem {}\n").ExitCode);
        Assert.Equal(1, _run.Run(NodeCommands.FileIs(path, "644"), "totem { version: 2 }\n").ExitCode);
        Assert.Equal(1, _run.Run(NodeCommands.FileIs(path, "400"), "totem {}\n").ExitCode);
    }

    [Fact]
    public void CommandsPresent_NamesEveryMissingCommand()
    {
        var missing = _run.Run(NodeCommands.CommandsPresent(["sh", "no-such-tool-1", "cat", "no-such-tool-2"]));

        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("missing: no-such-tool-1 no-such-tool-2", missing.Error.Trim());
        Assert.True(_run.Run(NodeCommands.CommandsPresent(["sh", "cat"])).Succeeded);
        Assert.True(_run.Run(NodeCommands.CommandsPresent([])).Succeeded);
    }

    [Fact]
    public void SetPassword_GivesChpasswdTheUserAndTheFirstLineOfStdin_NeverAnArgument()
    {
        _run.Stub("chpasswd", logInput: true);

        Assert.True(_run.Run(NodeCommands.SetPassword("hacluster"), "s3cret with spaces\nsecond line\n").Succeeded);
        Assert.True(_run.Run(NodeCommands.SetPassword("hacluster"), "no-newline").Succeeded);

        Assert.Equal(["chpasswd ", "hacluster:s3cret with spaces", "chpasswd ", "hacluster:no-newline"], _run.Calls);
        _run.Stub("chpasswd", "exit 1");
        Assert.False(_run.Run(NodeCommands.SetPassword("hacluster"), "x\n").Succeeded);
    }

    [Fact]
    public void DirectoriesExist_Exits1UntilEveryDirectoryIsThere()
    {
        string[] dirs = [_run.PathOf("state", "ctdb"), _run.PathOf("state", "ganesha node1")];

        Assert.Equal(1, _run.Run(NodeCommands.DirectoriesExist(dirs)).ExitCode);
        Assert.True(_run.Run(NodeCommands.MakeDirectories(dirs)).Succeeded);
        Assert.Equal(0, _run.Run(NodeCommands.DirectoriesExist(dirs)).ExitCode);
    }

    [Fact]
    public void FilesAbsent_Exits1WhileOneIsThere()
    {
        string[] files = [_run.PathOf("never-written"), _run.PathOf("corosync conf")];
        File.WriteAllText(files[1], "");

        Assert.Equal(1, _run.Run(NodeCommands.FilesAbsent(files)).ExitCode);
        File.Delete(files[1]);
        Assert.Equal(0, _run.Run(NodeCommands.FilesAbsent(files)).ExitCode);
    }

    [Fact]
    public void RestoreFiles_GivesBackTheServersOwnFile_RemovesWhatTheConsoleAloneWrote_AndLeavesTheRestAlone()
    {
        var smbConf = _run.PathOf("etc", "samba", "smb.conf");
        var authkey = _run.PathOf("etc", "corosync", "authkey");
        var helper = _run.PathOf("usr", "local", "sbin", "storageha-node");
        Directory.CreateDirectory(Path.GetDirectoryName(smbConf)!);
        File.WriteAllText(smbConf, "[global]\n\tworkgroup = WORKGROUP\n");
        File.SetUnixFileMode(smbConf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Directory.CreateDirectory(Path.GetDirectoryName(helper)!);
        File.WriteAllText(helper, "binary");   // installed by upload, with no original kept
        File.WriteAllText(_run.PathOf("report.odt"), "data");
        string[] files = [smbConf, authkey, helper];

        Assert.True(_run.Run(NodeCommands.WriteFile(smbConf, "644", Originals), "[global]\n\tclustering = yes\n").Succeeded);
        Assert.True(_run.Run(NodeCommands.WriteFile(smbConf, "644", Originals), "[global]\n\tclustering = yes\n\tnetbios name = lab\n").Succeeded);
        Assert.True(_run.Run(NodeCommands.WriteFile(authkey, "400", Originals), "key").Succeeded);
        Assert.Equal(1, _run.Run(NodeCommands.FilesRestored(Originals, files)).ExitCode);

        Assert.True(_run.Run(NodeCommands.RestoreFiles(Originals, files)).Succeeded);

        Assert.Equal("[global]\n\tworkgroup = WORKGROUP\n", File.ReadAllText(smbConf));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(smbConf));
        Assert.False(File.Exists(authkey));
        Assert.False(File.Exists(helper));
        Assert.True(File.Exists(_run.PathOf("report.odt")));
        Assert.Equal(0, _run.Run(NodeCommands.FilesRestored(Originals, files)).ExitCode);
        // Run again (a re-run teardown): the server's own file stays.
        Assert.True(_run.Run(NodeCommands.RestoreFiles(Originals, files)).Succeeded);
        Assert.Equal("[global]\n\tworkgroup = WORKGROUP\n", File.ReadAllText(smbConf));
    }

    [Fact]
    public void WriteFile_AfterARestore_KeepsTheServersFileAgain_ForTheNextTeardown()
    {
        var smbConf = _run.PathOf("smb.conf");
        File.WriteAllText(smbConf, "mine\n");
        Assert.True(_run.Run(NodeCommands.WriteFile(smbConf, "644", Originals), "cluster\n").Succeeded);
        Assert.True(_run.Run(NodeCommands.RestoreFiles(Originals, [smbConf])).Succeeded);
        File.WriteAllText(smbConf, "mine, edited since\n");

        Assert.True(_run.Run(NodeCommands.WriteFile(smbConf, "644", Originals), "cluster\n").Succeeded);
        Assert.Equal(1, _run.Run(NodeCommands.FilesRestored(Originals, [smbConf])).ExitCode);
        Assert.True(_run.Run(NodeCommands.RestoreFiles(Originals, [smbConf])).Succeeded);

        Assert.Equal("mine, edited since\n", File.ReadAllText(smbConf));
    }

    [Fact]
    public void StartCluster_StartsCorosyncThenPacemaker_AndNotPacemakerWhenCorosyncFails()
    {
        _run.Stub("service");
        Assert.True(_run.Run(NodeCommands.StartCluster).Succeeded);
        Assert.Equal(["service corosync start", "service pacemaker start"], _run.Calls);

        _run.Stub("service", "exit 1");
        Assert.False(_run.Run(NodeCommands.StartCluster).Succeeded);
        Assert.Equal("service corosync start", _run.Calls[^1]);
    }

    [Fact]
    public void FetchCib_WritesTheLiveCibToTheOriginalAndTheCopy_InTheCurrentDirectory()
    {
        _run.Stub("pcs", "printf '<cib/>\\n' > \"$3\"");

        Assert.True(_run.Run(new FetchCib().Argv).Succeeded);

        Assert.Equal(["pcs cluster cib cib-original.xml"], _run.Calls);
        Assert.Equal("<cib/>\n", File.ReadAllText(_run.PathOf("cib-original.xml")));
        Assert.Equal("<cib/>\n", File.ReadAllText(_run.PathOf("cib.xml")));
    }

    [Fact]
    public void FetchCib_ThatCannotReadTheCib_WritesNoCopy()
    {
        _run.Stub("pcs", "exit 1");

        Assert.False(_run.Run(new FetchCib().Argv).Succeeded);
        Assert.False(File.Exists(_run.PathOf("cib.xml")));
    }

    [Fact]
    public void InDirectory_RunsTheCommandThere_WithItsArgumentsAsTheyAre_AndNotAtAllWhenTheDirectoryIsMissing()
    {
        Directory.CreateDirectory(_run.PathOf("batch dir"));

        var ran = _run.Run(NodeCommands.InDirectory(_run.PathOf("batch dir"), ["sh", "-c", "pwd; printf '%s\\n' \"$1\"", "x", "a $(b) 'c'"]));
        var missing = _run.Run(NodeCommands.InDirectory(_run.PathOf("gone"), ["touch", "ran"]));

        Assert.Equal($"{_run.PathOf("batch dir")}\na $(b) 'c'\n", ran.Output);
        Assert.False(missing.Succeeded);
        Assert.False(File.Exists(_run.PathOf("ran")));
    }

    [Fact]
    public void StopCluster_StopsPacemakerThenCorosync()
    {
        _run.Stub("service");

        Assert.True(_run.Run(NodeCommands.StopCluster).Succeeded);

        Assert.Equal(["service pacemaker stop", "service corosync stop"], _run.Calls);
    }

    [Theory]
    [InlineData(0, 0, true, false)]
    [InlineData(0, 3, false, false)]
    [InlineData(3, 0, false, false)]
    [InlineData(3, 3, false, true)]
    public void ClusterRunningAndStopped_FollowServiceStatus(int corosync, int pacemaker, bool running, bool stopped)
    {
        _run.Stub("service", $"case $1 in corosync) exit {corosync} ;; pacemaker) exit {pacemaker} ;; esac; exit 9");

        Assert.Equal(running, _run.Run(NodeCommands.ClusterRunning).Succeeded);
        Assert.Equal(stopped, _run.Run(NodeCommands.ClusterStopped).Succeeded);
        Assert.All(_run.Calls, c => Assert.Matches("^service (corosync|pacemaker) status$", c));
    }

    [Fact]
    public void HandOverUnits_DisablesTheEnabled_StopsThoseRunningOnTheirOwn_SkipsTheUninstalled_AndRecordsWhatWasEnabled()
    {
        var units = SystemdWith(("smbd", "enabled", true), ("nmbd", "enabled", false), ("ctdb", "disabled", false), ("nfs-ganesha", "enabled", true));
        var record = _run.PathOf("state", "units-handed-over");
        string[] all = ["ctdb", "smbd", "nmbd", "winbind", "nfs-ganesha"];
        Assert.Equal(1, _run.Run(NodeCommands.UnitsHandedOver(all)).ExitCode);

        Assert.True(_run.Run(NodeScript.Named("hand-over-units").Command([record, .. all])).Succeeded);

        Assert.Equal(0, _run.Run(NodeCommands.UnitsHandedOver(all)).ExitCode);
        Assert.Equal(["smbd", "nmbd", "nfs-ganesha"], File.ReadAllLines(record));
        Assert.All(all, u => Assert.False(units.Active(u)));
        Assert.All(["smbd", "nmbd", "nfs-ganesha", "ctdb"], u => Assert.Equal("disabled", units.Enablement(u)));
        Assert.DoesNotContain(_run.Calls, c => c.Contains("winbind", StringComparison.Ordinal) && !c.StartsWith("systemctl is-", StringComparison.Ordinal));
        // Handed over again (a re-apply after a package upgrade re-enabled one): the record keeps each unit once.
        units.Set("smbd", "enabled", true);
        Assert.True(_run.Run(NodeScript.Named("hand-over-units").Command([record, .. all])).Succeeded);
        Assert.Equal(["smbd", "nmbd", "nfs-ganesha"], File.ReadAllLines(record));
    }

    [Fact]
    public void UnitsHandedOver_Exits1WhileSystemdStillEnablesOne_OrOneRunsOnItsOwn()
    {
        var units = SystemdWith(("ctdb", "disabled", false), ("smbd", "disabled", false));
        Assert.Equal(0, _run.Run(NodeCommands.UnitsHandedOver(["ctdb", "smbd"])).ExitCode);

        units.Set("smbd", "enabled", false);
        Assert.Equal(1, _run.Run(NodeCommands.UnitsHandedOver(["ctdb", "smbd"])).ExitCode);
        units.Set("smbd", "disabled", true);   // running, and no "Cluster Controlled" drop-in: on its own
        Assert.Equal(1, _run.Run(NodeCommands.UnitsHandedOver(["ctdb", "smbd"])).ExitCode);
    }

    [Fact]
    public void EnableAtBoot_EnablesOnlyWhatWasNot_RecordingIt_AndGiveBackUndoesBothRecords()
    {
        var units = SystemdWith(("corosync", "enabled", true), ("pacemaker", "disabled", true), ("smbd", "enabled", true), ("nmbd", "enabled", true));
        var handedOver = _run.PathOf("state", "units-handed-over");
        var enabled = _run.PathOf("state", "units-enabled");
        Assert.Equal(1, _run.Run(NodeCommands.EnabledAtBoot(["corosync", "pacemaker"])).ExitCode);

        Assert.True(_run.Run(NodeScript.Named("enable-at-boot").Command(enabled, "corosync", "pacemaker")).Succeeded);
        Assert.True(_run.Run(NodeScript.Named("hand-over-units").Command(handedOver, "smbd", "nmbd")).Succeeded);

        Assert.Equal(0, _run.Run(NodeCommands.EnabledAtBoot(["corosync", "pacemaker"])).ExitCode);
        Assert.Equal(["pacemaker"], File.ReadAllLines(enabled));
        Assert.True(_run.Run(NodeScript.Named("give-back-units").Command(handedOver, enabled)).Succeeded);

        Assert.Equal(("enabled", true), (units.Enablement("smbd"), units.Active("smbd")));
        Assert.Equal(("enabled", true), (units.Enablement("nmbd"), units.Active("nmbd")));
        Assert.Equal("disabled", units.Enablement("pacemaker"));
        Assert.Equal("enabled", units.Enablement("corosync"));
        Assert.Equal(0, _run.Run(NodeScript.Named("files-absent").Command(handedOver, enabled)).ExitCode);
    }

    /// <summary>A systemctl stub whose units' states are files: NAME.enablement and NAME.active.</summary>
    private SystemdUnits SystemdWith(params (string Name, string Enablement, bool Active)[] units)
    {
        var state = new SystemdUnits(_run.PathOf("units"));
        foreach (var (name, enablement, active) in units) state.Set(name, enablement, active);
        _run.Stub("systemctl", $$"""
            S='{{state.Directory}}'; verb=$1; shift; now=
            while [ "${1:-}" != "${1#--}" ]; do [ "$1" = --now ] && now=1; shift; done
            case $verb in
              is-enabled) if [ -f "$S/$1.enablement" ]; then cat "$S/$1.enablement"; else echo not-found; exit 4; fi
                          [ "$(cat "$S/$1.enablement")" = enabled ] ;;
              is-active) [ -e "$S/$1.active" ] ;;
              disable) for u; do echo disabled > "$S/$u.enablement"; done ;;
              enable) for u; do echo enabled > "$S/$u.enablement"; if [ -n "$now" ]; then : > "$S/$u.active"; fi; done ;;
              stop) for u; do rm -f "$S/$u.active"; done ;;
              *) exit 9 ;;
            esac
            """);
        return state;
    }

    private sealed class SystemdUnits(string directory)
    {
        public string Directory { get; } = System.IO.Directory.CreateDirectory(directory).FullName;
        public void Set(string unit, string enablement, bool active)
        {
            File.WriteAllText(Path.Combine(Directory, $"{unit}.enablement"), enablement + "\n");
            if (active) File.WriteAllText(Path.Combine(Directory, $"{unit}.active"), "");
            else File.Delete(Path.Combine(Directory, $"{unit}.active"));
        }
        public string Enablement(string unit) => File.ReadAllText(Path.Combine(Directory, $"{unit}.enablement")).Trim();
        public bool Active(string unit) => File.Exists(Path.Combine(Directory, $"{unit}.active"));
    }

    [Fact]
    public void WaitForCtdb_AsksEverySecondUntilHealthy()
    {
        _run.Stub("ctdb", $"n=$(grep -c nodestatus '{_run.PathOf("calls")}'); [ \"$n\" -ge 3 ]");

        Assert.True(_run.Run(NodeCommands.WaitForCtdb(10)).Succeeded);

        Assert.Equal(["ctdb nodestatus all", "ctdb nodestatus all", "ctdb nodestatus all"], _run.Calls);
    }

    [Fact]
    public void WaitForCtdb_GivesUpAfterItsTime_ShowingCtdbStatus()
    {
        _run.Stub("ctdb", "if [ \"$1\" = status ]; then echo 'pnn:1 192.0.2.12 UNHEALTHY'; fi; exit 1");

        var timedOut = _run.Run(NodeCommands.WaitForCtdb(1));

        Assert.Equal(1, timedOut.ExitCode);
        Assert.Equal("pnn:1 192.0.2.12 UNHEALTHY", timedOut.Error.Trim());
        Assert.Equal(["ctdb nodestatus all", "ctdb nodestatus all", "ctdb status"], _run.Calls);
    }

    [Fact]
    public void ImportShare_GivesNetConfTheSectionAsAFile_AndRemovesTheFile()
    {
        var file = _run.PathOf("imported");
        _run.Stub("net", $"cp \"$3\" '{file}'; printf '%s\\n' \"$3\" > '{file}.name'");
        const string section = "[team]\n\tpath = /srv/team\n";

        Assert.True(_run.Run(NodeCommands.ImportShare("team"), section).Succeeded);

        Assert.Equal(section, File.ReadAllText(file));
        Assert.Matches("^net conf import /.+ team$", Assert.Single(_run.Calls));
        Assert.False(File.Exists(File.ReadAllText(file + ".name").Trim()));
    }

    [Fact]
    public void ShareIs_Exits0OnlyWhenTheRegistryShowsTheSectionAsGiven()
    {
        UseRegistry("team");
        File.WriteAllText(_run.PathOf("registry", "team"), "[team]\n\tpath = /srv/team\n");

        Assert.Equal(0, _run.Run(NodeCommands.ShareIs("team"), "[team]\n\tpath = /srv/team\n").ExitCode);
        Assert.Equal(1, _run.Run(NodeCommands.ShareIs("team"), "[team]\n\tpath = /srv/other\n").ExitCode);
        Assert.Equal(1, _run.Run(NodeCommands.ShareIs("public"), "[public]\n").ExitCode);
    }

    [Fact]
    public void DeleteShares_DeletesTheOnesThatAreThere_AndSharesAbsentThenSaysSo()
    {
        UseRegistry("team", "public", "other");

        Assert.Equal(1, _run.Run(NodeCommands.SharesAbsent(["team", "gone"])).ExitCode);
        Assert.True(_run.Run(NodeCommands.DeleteShares(["team", "gone", "public"])).Succeeded);

        Assert.Equal(["other"], RegistryShares());
        Assert.DoesNotContain("net conf delshare gone", _run.Calls);
        Assert.Equal(0, _run.Run(NodeCommands.SharesAbsent(["team", "gone"])).ExitCode);
    }

    [Fact]
    public void RemoveSharesExcept_DeletesEveryOtherShare_ComparingNamesWithoutCase_NeverGlobal()
    {
        UseRegistry("global", "Public", "team", "old share");

        Assert.Equal(1, _run.Run(NodeCommands.OnlyShares(["public", "TEAM"])).ExitCode);
        Assert.True(_run.Run(NodeCommands.RemoveSharesExcept(["public", "TEAM"])).Succeeded);

        Assert.Equal(["Public", "global", "team"], RegistryShares());
        Assert.Equal(0, _run.Run(NodeCommands.OnlyShares(["public", "TEAM"])).ExitCode);
    }

    [Fact]
    public void RemoveSharesExcept_FailsWhenTheRegistryCannotBeRead_OrADeleteFails()
    {
        _run.Stub("net", "exit 1");
        Assert.False(_run.Run(NodeCommands.RemoveSharesExcept(["public"])).Succeeded);
        Assert.False(_run.Run(NodeCommands.OnlyShares(["public"])).Succeeded);

        _run.Stub("net", "if [ \"$2\" = listshares ]; then echo old; exit 0; fi; exit 1");
        Assert.False(_run.Run(NodeCommands.RemoveSharesExcept(["public"])).Succeeded);
        Assert.Equal("net conf delshare old", _run.Calls[^1]);
    }

    [Fact]
    public void ReloadWhenChanged_ReloadsARunningDaemon_ThenRecordsTheFile()
    {
        var (file, stamp) = (_run.PathOf("corosync.conf"), _run.PathOf("state", "corosync.conf.loaded"));
        File.WriteAllText(file, "totem {}\n");
        _run.Stub("daemon-runs");
        _run.Stub("reload-daemon");

        Assert.False(_run.Run(NodeCommands.Loaded(file, stamp)).Succeeded);
        Assert.True(_run.Run(NodeCommands.ReloadWhenChanged(file, stamp, ("daemon-runs", "-s"), ["reload-daemon", "-R", "now"])).Succeeded);

        Assert.Equal(["daemon-runs -s", "reload-daemon -R now"], _run.Calls);
        Assert.True(_run.Run(NodeCommands.Loaded(file, stamp)).Succeeded);
        File.WriteAllText(file, "totem { version: 2 }\n");
        Assert.False(_run.Run(NodeCommands.Loaded(file, stamp)).Succeeded);
    }

    [Fact]
    public void ReloadWhenChanged_LeavesAStoppedDaemonAlone_ButRecordsTheFileItWillRead()
    {
        var (file, stamp) = (_run.PathOf("nodes"), _run.PathOf("nodes.loaded"));
        File.WriteAllText(file, "192.0.2.11\n");
        _run.Stub("daemon-runs", "exit 1");
        _run.Stub("reload-daemon");

        Assert.True(_run.Run(NodeCommands.ReloadWhenChanged(file, stamp, ("daemon-runs", "pnn"), ["reload-daemon"])).Succeeded);

        Assert.Equal(["daemon-runs pnn"], _run.Calls);
        Assert.Equal("192.0.2.11\n", File.ReadAllText(stamp));
    }

    [Fact]
    public void ReloadWhenChanged_ThatFailsToReload_RecordsNothing_SoARerunReloadsAgain()
    {
        var (file, stamp) = (_run.PathOf("nodes"), _run.PathOf("nodes.loaded"));
        File.WriteAllText(file, "192.0.2.11\n");
        _run.Stub("daemon-runs");
        _run.Stub("reload-daemon", "exit 1");

        Assert.False(_run.Run(NodeCommands.ReloadWhenChanged(file, stamp, ("daemon-runs", "pnn"), ["reload-daemon"])).Succeeded);

        Assert.False(File.Exists(stamp));
    }

    [Fact]
    public void NodeForgotten_AsksTheCibForThatNode_AndExits1WhileItIsListed()
    {
        _run.Stub("cibadmin");
        Assert.Equal(1, _run.Run(NodeCommands.NodeForgotten("node3")).ExitCode);
        Assert.Equal("cibadmin --query --xpath /cib/configuration/nodes/node[@uname='node3']", Assert.Single(_run.Calls));

        _run.Stub("cibadmin", "exit 105");
        Assert.Equal(0, _run.Run(NodeCommands.NodeForgotten("node3")).ExitCode);
    }

    [Fact]
    public void ResourcesStopped_Exits1WhileCrmResourceLocatesOneRunning()
    {
        _run.Stub("crm_resource", "case $2 in vip1) echo 'resource vip1 is running on: node1' ;; *) echo \"resource $2 is NOT running\" >&2 ;; esac");

        Assert.Equal(0, _run.Run(NodeCommands.ResourcesStopped(["smb", "ctdb"])).ExitCode);
        Assert.Equal(1, _run.Run(NodeCommands.ResourcesStopped(["smb", "vip1"])).ExitCode);
        Assert.Equal("crm_resource --resource vip1 --locate", _run.Calls[^1]);
    }

    /// <summary>A stub `net conf` over a registry that is a directory: one file per share, named as the share.</summary>
    private void UseRegistry(params string[] shares)
    {
        var registry = _run.PathOf("registry");
        Directory.CreateDirectory(registry);
        foreach (var share in shares) File.WriteAllText(Path.Combine(registry, share), $"[{share}]\n");
        _run.Stub("net", $"""
            cd '{registry}'
            case $2 in
              listshares) ls -1 ;;
              showshare) [ -f "$3" ] && cat "$3" ;;
              delshare) rm "$3" ;;
              *) exit 2 ;;
            esac
            """);
    }

    private string[] RegistryShares() => Directory.GetFiles(_run.PathOf("registry")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public void Dispose() => _run.Dispose();
}
