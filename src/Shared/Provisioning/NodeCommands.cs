using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The argv of what the plan runs on a node. Scripts are named files (<c>Scripts/NAME.sh</c>, see <see cref="NodeScript"/>)
/// with their values passed as positional arguments, so nothing from the spec is ever parsed by a shell; contents and
/// secrets arrive on standard input.
/// </summary>
public static class NodeCommands
{
    /// <summary>
    /// Writes standard input to PATH atomically (temp file + rename) with MODE, creating the directory; the first time,
    /// what PATH held before is kept under ORIGINALS for <see cref="RestoreFiles"/>.
    /// </summary>
    public static IReadOnlyList<string> WriteFile(string path, string mode, string originals) =>
        NodeScript.Named("write-file").Command(path, mode, originals);

    /// <summary>Gives back what each path held before the console first wrote it (the original, or nothing); the console's own files go.</summary>
    public static IReadOnlyList<string> RestoreFiles(string originals, IEnumerable<string> paths) =>
        NodeScript.Named("restore-files").Command([originals, .. paths]);

    public static IReadOnlyList<string> FilesRestored(string originals, IEnumerable<string> paths) =>
        NodeScript.Named("files-restored").Command([originals, .. paths]);

    /// <summary>Writes standard input to PATH (mode 600, owned by OWNER) only where PATH does not exist yet.</summary>
    public static IReadOnlyList<string> SeedFile(string path, string owner) =>
        NodeScript.Named("seed-file").Command(path, owner);

    public static IReadOnlyList<string> Exists(string path) => ["test", "-e", path];

    /// <summary>Exit 0 when PATH holds exactly standard input and has MODE.</summary>
    public static IReadOnlyList<string> FileIs(string path, string mode) =>
        NodeScript.Named("file-is").Command(path, mode);

    /// <summary>Exit 0 when every command is on the PATH; otherwise names the missing ones.</summary>
    public static IReadOnlyList<string> CommandsPresent(IEnumerable<string> commands) =>
        NodeScript.Named("commands-present").Command(commands);

    /// <summary>Keeps a fence device's password (the first line of standard input) where pacemaker-fenced reads an "lrm://" parameter.</summary>
    public static IReadOnlyList<string> KeepFenceSecret(string file) => NodeScript.Named("fence-secret").Command(file);

    /// <summary>Exit 0 when the fence secret file already holds standard input's first line, root-only, with its sum.</summary>
    public static IReadOnlyList<string> FenceSecretIs(string file) => NodeScript.Named("fence-secret-is").Command(file);

    /// <summary>How long a fence agent's status may take in a Test: fence_ipmilan's own power timeout is 20 s.</summary>
    public const int FenceStatusTimeoutSeconds = 60;

    /// <summary>
    /// The agent's status with its options (and password) as key=value lines on standard input, as the fencer hands them;
    /// killed after <see cref="FenceStatusTimeoutSeconds"/>. Only for an agent the console supports (its name is checked).
    /// </summary>
    public static IReadOnlyList<string> FenceStatus(string agent) =>
        Fencing.FenceAgent.Find(agent) is null ? throw new ArgumentException($"{agent} is not a fence agent the console supports", nameof(agent))
            : ["timeout", "-k", "5", FenceStatusTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), agent];

    /// <summary>Sets a user's password from the first line of standard input (never from argv).</summary>
    public static IReadOnlyList<string> SetPassword(string user) =>
        NodeScript.Named("set-password").Command(user);

    /// <summary>Exit 0 when the user's password already is the first line of standard input (compared against its shadow hash).</summary>
    public static IReadOnlyList<string> PasswordIs(string user) =>
        ["perl", "-e", "my $p = <STDIN>; chomp $p; my $h = (getpwnam($ARGV[0]))[1]; exit(defined $h && length $h > 1 && crypt($p, $h) eq $h ? 0 : 1)", user];

    public static IReadOnlyList<string> MakeDirectories(IEnumerable<string> paths) => ["mkdir", "-p", .. paths];

    public static IReadOnlyList<string> DirectoriesExist(IEnumerable<string> paths) =>
        NodeScript.Named("directories-exist").Command(paths);

    /// <summary>Starts corosync, then pacemaker, through `service` (systemctl on systemd hosts, the init scripts elsewhere).</summary>
    public static IReadOnlyList<string> StartCluster { get; } =
        NodeScript.Named("start-cluster").Command();

    public static IReadOnlyList<string> ClusterRunning { get; } =
        NodeScript.Named("cluster-running").Command();

    /// <summary>
    /// Stops systemd from starting these units at boot, and stops the ones not already run by the cluster: from here on the
    /// cluster runs them. Those that were enabled are recorded for <see cref="GiveBackUnits"/>.
    /// </summary>
    public static IReadOnlyList<string> HandOverUnits(IEnumerable<string> units) =>
        NodeScript.Named("hand-over-units").Command([ConfigFiles.HandedOverUnitsPath, .. units]);

    public static IReadOnlyList<string> UnitsHandedOver(IEnumerable<string> units) =>
        NodeScript.Named("units-handed-over").Command(units);

    /// <summary>Has systemd start these units at boot (recording the ones it had not, for <see cref="GiveBackUnits"/>).</summary>
    public static IReadOnlyList<string> EnableAtBoot(IEnumerable<string> units) =>
        NodeScript.Named("enable-at-boot").Command([ConfigFiles.EnabledUnitsPath, .. units]);

    public static IReadOnlyList<string> EnabledAtBoot(IEnumerable<string> units) =>
        NodeScript.Named("enabled-at-boot").Command(units);

    /// <summary>systemd's units as they were before the cluster: the handed-over ones enabled and started, the ones the console enabled disabled.</summary>
    public static IReadOnlyList<string> GiveBackUnits { get; } =
        NodeScript.Named("give-back-units").Command(ConfigFiles.HandedOverUnitsPath, ConfigFiles.EnabledUnitsPath);

    public static IReadOnlyList<string> UnitsGivenBack { get; } = FilesAbsent([ConfigFiles.HandedOverUnitsPath, ConfigFiles.EnabledUnitsPath]);

    /// <summary>Deletes a stopped node's CIB and corosync state, as pcs cluster destroy does (refused while the cluster runs there).</summary>
    public static IReadOnlyList<string> ForgetClusterState { get; } = NodeScript.Named("forget-cluster-state").Command();

    public static IReadOnlyList<string> ClusterStateForgotten { get; } = FilesAbsent([ConfigFiles.CibPath]);

    /// <summary>Ends the corosync package's default one-node cluster, only when it provably is that (exit 3 otherwise, nothing changed).</summary>
    public static IReadOnlyList<string> ReplaceDefaultCluster { get; } = NodeScript.Named("default-cluster").Command("replace");

    public static IReadOnlyList<string> NoDefaultCluster { get; } = NodeScript.Named("default-cluster").Command("check");

    /// <summary>Waits until CTDB reports every node healthy: the registry (and so the shares) needs it.</summary>
    public static IReadOnlyList<string> WaitForCtdb(int timeoutSeconds) =>
        NodeScript.Named("wait-for-ctdb").Command(timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static IReadOnlyList<string> CtdbHealthy { get; } = ["ctdb", "nodestatus", "all"];

    /// <summary>Is the cluster filesystem mounted at the mount point (waiting up to that long) and writable? Prints "SOURCE FSTYPE".</summary>
    public static IReadOnlyList<string> StorageMounted(string mountPoint, int waitSeconds) =>
        NodeScript.Named("storage-mounted").Command(mountPoint, waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Replaces one registry share with the section on standard input (net conf import of that section only).</summary>
    public static IReadOnlyList<string> ImportShare(string name) =>
        NodeScript.Named("import-share").Command(name);

    /// <summary>Exit 0 when the registry already holds the share exactly as on standard input.</summary>
    public static IReadOnlyList<string> ShareIs(string name) =>
        NodeScript.Named("share-is").Command(name);

    /// <summary>Adds winbind to nsswitch.conf's passwd and group lines (the original kept under ORIGINALS for a teardown).</summary>
    public static IReadOnlyList<string> AddWinbindToNss(string originals) => NodeScript.Named("nss-winbind").Command(originals, "add");

    public static IReadOnlyList<string> WinbindInNss(string originals) => NodeScript.Named("nss-winbind").Command(originals, "check");

    /// <summary>Sets the [global] settings on standard input ("name = value" lines) in the cluster-wide registry.</summary>
    public static IReadOnlyList<string> SetRegistryGlobals { get; } = NodeScript.Named("registry-globals").Command("set");

    public static IReadOnlyList<string> RegistryGlobalsAre { get; } = NodeScript.Named("registry-globals").Command("check");

    /// <summary>Asks the domain whether the administrator on standard input may log in; exit 0 also when none was given.</summary>
    public static IReadOnlyList<string> CheckDomainAdministrator(string realm, string workgroup) =>
        NodeScript.Named("domain-credentials").Command(realm, workgroup);

    /// <summary>Joins the domain once for the whole cluster; the administrator's name and password arrive on standard input.</summary>
    public static IReadOnlyList<string> JoinDomain(string realm) => NodeScript.Named("domain-join").Command(realm);

    /// <summary>Leaves the domain, deleting the machine account; the administrator's name and password arrive on standard input.</summary>
    public static IReadOnlyList<string> LeaveDomain(string realm) => NodeScript.Named("domain-leave").Command(realm);

    /// <summary>Exit 0 when the machine account works: the domain still knows the cluster and its password.</summary>
    public static IReadOnlyList<string> DomainJoined { get; } = ["net", "ads", "testjoin"];

    /// <summary>Registers the cluster's name in the domain's DNS with exactly these addresses (the machine account's right).</summary>
    public static IReadOnlyList<string> RegisterInDns(string fqdn, IEnumerable<string> addresses) =>
        NodeScript.Named("dns-register").Command(["set", fqdn, .. addresses]);

    /// <summary>Exit 0 when the resolver answers the name with exactly these addresses.</summary>
    public static IReadOnlyList<string> RegisteredInDns(string fqdn, IEnumerable<string> addresses) =>
        NodeScript.Named("dns-register").Command(["check", fqdn, .. addresses]);

    /// <summary>Waits until winbind works for the domain on this node (trust secret, the domain's groups through NSS).</summary>
    /// <summary>Waits until <paramref name="node"/>'s winbind works for the domain, restarting its instance of the clone when it serves another domain.</summary>
    public static IReadOnlyList<string> WaitForWinbind(string workgroup, int timeoutSeconds, string winbindClone, string node) =>
        NodeScript.Named("wait-for-winbind").Command(workgroup, timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), winbindClone, node);

    /// <summary>Exit 0 when this node's winbind works for the domain now; changes nothing.</summary>
    public static IReadOnlyList<string> WinbindWorks(string workgroup) => NodeScript.Named("wait-for-winbind").Command(workgroup, "0");

    /// <summary>Exit 0 when the cluster is no member of a domain (any more).</summary>
    public static IReadOnlyList<string> DomainNotJoined { get; } = NodeScript.Named("domain-not-joined").Command();

    /// <summary>Creates a share's folder when missing and gives it the share's owner, group and mode (those it has).</summary>
    public static IReadOnlyList<string> SetShareFolder(ShareSpec share) => ShareFolder("set", share);

    /// <summary>Exit 0 when the share's folder exists with the share's owner, group and mode.</summary>
    public static IReadOnlyList<string> ShareFolderIs(ShareSpec share) => ShareFolder("check", share);

    private static IReadOnlyList<string> ShareFolder(string action, ShareSpec share) =>
        NodeScript.Named("share-folder").Command(action, share.Path, share.Owner?.AccountName ?? "", share.Group?.AccountName ?? "", share.Mode ?? "");

    /// <summary>Waits until the cluster has settled: nothing left to start, stop or move.</summary>
    public static IReadOnlyList<string> WaitForResources(int timeoutSeconds) =>
        ["crm_resource", "--wait", $"--timeout={timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s"];
    /// <summary>
    /// Tells a running daemon to re-read FILE (RELOAD, the remaining arguments) when RUNNING (a two-word command) says it
    /// runs, then records FILE in STAMP: a stopped daemon reads the file when it starts, and the stamp is how a re-run
    /// knows the daemon has this version.
    /// </summary>
    public static IReadOnlyList<string> ReloadWhenChanged(string file, string stamp, (string Command, string Argument) running, IReadOnlyList<string> reload) =>
        NodeScript.Named("reload-when-changed").Command([file, stamp, running.Command, running.Argument, .. reload]);

    /// <summary>Exit 0 when STAMP holds FILE as it is now: the daemon has loaded this version.</summary>
    public static IReadOnlyList<string> Loaded(string file, string stamp) => ["cmp", "-s", file, stamp];

    /// <summary>corosync answers (-s: its links' status), and is told to re-read corosync.conf on every node.</summary>
    public static readonly (string, string) CorosyncRuns = ("corosync-cfgtool", "-s");
    public static IReadOnlyList<string> ReloadCorosync { get; } = ["corosync-cfgtool", "-R"];

    /// <summary>CTDB answers (pnn: this node's number), and is told to re-read its nodes file on every node (the file must be the same everywhere).</summary>
    public static readonly (string, string) CtdbRuns = ("ctdb", "pnn");
    public static IReadOnlyList<string> ReloadCtdbNodes { get; } = ["ctdb", "reloadnodes"];

    /// <summary>Moves every resource off NODE and waits (up to TIMEOUT seconds) until they are stopped there.</summary>
    public static IReadOnlyList<string> Standby(string node, int timeoutSeconds) =>
        ["pcs", "node", "standby", node, $"--wait={timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}"];

    public static IReadOnlyList<string> StopCluster { get; } =
        NodeScript.Named("stop-cluster").Command();

    public static IReadOnlyList<string> ClusterStopped { get; } =
        NodeScript.Named("cluster-stopped").Command();

    /// <summary>Removes a node that has left for good from Pacemaker's node list and status.</summary>
    public static IReadOnlyList<string> ForgetNode(string node) => ["crm_node", "--force", "-R", node];

    public static IReadOnlyList<string> NodeForgotten(string node) =>
        NodeScript.Named("node-forgotten").Command(node);

    /// <summary>Stops resources (target-role=Stopped) and waits up to TIMEOUT seconds; Pacemaker stops them in reverse order of their constraints.</summary>
    public static IReadOnlyList<string> StopResources(IEnumerable<string> ids, int timeoutSeconds) =>
        ["pcs", "resource", "disable", .. ids, $"--wait={timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}"];

    /// <summary>Exit 0 when none of these resources runs anywhere (or no longer exists).</summary>
    public static IReadOnlyList<string> ResourcesStopped(IEnumerable<string> ids) =>
        NodeScript.Named("resources-stopped").Command(ids);

    /// <summary>Deletes these shares from the registry, the ones that are there; the folders and their data stay.</summary>
    public static IReadOnlyList<string> DeleteShares(IEnumerable<string> names) =>
        NodeScript.Named("delete-shares").Command(names);

    public static IReadOnlyList<string> SharesAbsent(IEnumerable<string> names) =>
        NodeScript.Named("shares-absent").Command(names);

    public static IReadOnlyList<string> FilesAbsent(IEnumerable<string> paths) =>
        NodeScript.Named("files-absent").Command(paths);

    /// <summary>Deletes every registry share not named here (Samba compares share names without case); the data stays.</summary>
    public static IReadOnlyList<string> RemoveSharesExcept(IEnumerable<string> keep) =>
        NodeScript.Named("other-shares").Command(["delete", .. keep]);

    /// <summary>Exit 0 when the registry has no share but these.</summary>
    public static IReadOnlyList<string> OnlyShares(IEnumerable<string> keep) =>
        NodeScript.Named("other-shares").Command(["check", .. keep]);

    /// <summary>Runs a command inside a directory: the CIB batch's commands, in the batch's private directory on its node.</summary>
    public static IReadOnlyList<string> InDirectory(string directory, IReadOnlyList<string> command) =>
        NodeScript.Named("in-directory").Command([directory, .. command]);
}
