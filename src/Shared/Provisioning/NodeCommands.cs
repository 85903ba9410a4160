namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The argv of what the plan runs on a node. Scripts are fixed text with their values passed as positional arguments,
/// so nothing from the spec is ever parsed by a shell; contents and secrets arrive on standard input.
/// </summary>
public static class NodeCommands
{
    /// <summary>Writes standard input to PATH atomically (temp file + rename) with MODE, creating the directory.</summary>
    public static IReadOnlyList<string> WriteFile(string path, string mode) =>
        ["sh", "-c", "set -e; mkdir -p \"$(dirname \"$1\")\"; t=$(mktemp \"$1.XXXXXX\"); cat > \"$t\"; chmod \"$2\" \"$t\"; mv -f \"$t\" \"$1\"",
         "storageha-write", path, mode];

    /// <summary>Writes standard input to PATH (mode 600, owned by OWNER) only where PATH does not exist yet.</summary>
    public static IReadOnlyList<string> SeedFile(string path, string owner) =>
        ["sh", "-c", "set -e; [ -e \"$1\" ] && exit 0; mkdir -p \"$(dirname \"$1\")\"; t=$(mktemp \"$1.XXXXXX\"); cat > \"$t\"; chown \"$2\" \"$t\"; mv -f \"$t\" \"$1\"",
         "storageha-seed", path, owner];

    public static IReadOnlyList<string> Exists(string path) => ["test", "-e", path];

    /// <summary>Exit 0 when PATH holds exactly standard input and has MODE.</summary>
    public static IReadOnlyList<string> FileIs(string path, string mode) =>
        ["sh", "-c", "[ \"$(stat -c %a \"$1\" 2>/dev/null)\" = \"$2\" ] && cmp -s - \"$1\"", "storageha-check", path, mode];

    /// <summary>Exit 0 when every command is on the PATH; otherwise names the missing ones.</summary>
    public static IReadOnlyList<string> CommandsPresent(IEnumerable<string> commands) =>
        ["sh", "-c", "m=; for c; do command -v \"$c\" >/dev/null 2>&1 || m=\"$m $c\"; done; [ -z \"$m\" ] || { echo \"missing:$m\" >&2; exit 1; }",
         "storageha-require", .. commands];

    /// <summary>Sets a user's password from the first line of standard input (never from argv).</summary>
    public static IReadOnlyList<string> SetPassword(string user) =>
        ["sh", "-c", "IFS= read -r p; printf '%s:%s\\n' \"$1\" \"$p\" | chpasswd", "storageha-password", user];

    /// <summary>Exit 0 when the user's password already is the first line of standard input (compared against its shadow hash).</summary>
    public static IReadOnlyList<string> PasswordIs(string user) =>
        ["perl", "-e", "my $p = <STDIN>; chomp $p; my $h = (getpwnam($ARGV[0]))[1]; exit(defined $h && length $h > 1 && crypt($p, $h) eq $h ? 0 : 1)", user];

    public static IReadOnlyList<string> MakeDirectories(IEnumerable<string> paths) => ["mkdir", "-p", .. paths];

    public static IReadOnlyList<string> DirectoriesExist(IEnumerable<string> paths) =>
        ["sh", "-c", "for d; do [ -d \"$d\" ] || exit 1; done", "storageha-check", .. paths];

    /// <summary>Starts corosync, then pacemaker, through `service` (systemctl on systemd hosts, the init scripts elsewhere).</summary>
    public static IReadOnlyList<string> StartCluster { get; } =
        ["sh", "-c", "service corosync start && service pacemaker start"];

    public static IReadOnlyList<string> ClusterRunning { get; } =
        ["sh", "-c", "service corosync status >/dev/null 2>&1 && service pacemaker status >/dev/null 2>&1"];

    /// <summary>Stops systemd from starting these units, and stops them now: from here on the cluster runs them.</summary>
    public static IReadOnlyList<string> HandOverUnits(IEnumerable<string> units) => ["systemctl", "disable", "--now", .. units];

    public static IReadOnlyList<string> UnitsHandedOver(IEnumerable<string> units) =>
        ["sh", "-c", "for u; do systemctl is-enabled --quiet \"$u\" && exit 1; systemctl is-active --quiet \"$u\" && exit 1; done; exit 0",
         "storageha-check", .. units];

    /// <summary>Waits until CTDB reports every node healthy: the registry (and so the shares) needs it.</summary>
    public static IReadOnlyList<string> WaitForCtdb(int timeoutSeconds) =>
        ["sh", "-c", "i=0; until ctdb nodestatus all >/dev/null 2>&1; do i=$((i+1)); [ $i -le \"$1\" ] || { ctdb status >&2; exit 1; }; sleep 1; done",
         "storageha-wait", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public static IReadOnlyList<string> CtdbHealthy { get; } = ["ctdb", "nodestatus", "all"];

    /// <summary>Replaces one registry share with the section on standard input (net conf import of that section only).</summary>
    public static IReadOnlyList<string> ImportShare(string name) =>
        ["sh", "-c", "set -e; t=$(mktemp); trap 'rm -f \"$t\"' EXIT; cat > \"$t\"; net conf import \"$t\" \"$1\"", "storageha-share", name];

    /// <summary>Exit 0 when the registry already holds the share exactly as on standard input.</summary>
    public static IReadOnlyList<string> ShareIs(string name) =>
        ["sh", "-c", "s=$(net conf showshare \"$1\" 2>/dev/null) && [ \"$s\" = \"$(cat)\" ]", "storageha-check", name];

    /// <summary>Waits until the cluster has settled: nothing left to start, stop or move.</summary>
    public static IReadOnlyList<string> WaitForResources(int timeoutSeconds) =>
        ["crm_resource", "--wait", $"--timeout={timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}s"];
    /// <summary>
    /// Tells a running daemon to re-read FILE (RELOAD, the remaining arguments) when RUNNING (a two-word command) says it
    /// runs, then records FILE in STAMP: a stopped daemon reads the file when it starts, and the stamp is how a re-run
    /// knows the daemon has this version.
    /// </summary>
    public static IReadOnlyList<string> ReloadWhenChanged(string file, string stamp, (string Command, string Argument) running, IReadOnlyList<string> reload) =>
        ["sh", "-c", "set -e; f=$1; s=$2; if \"$3\" \"$4\" >/dev/null 2>&1; then shift 4; \"$@\"; fi; mkdir -p \"$(dirname \"$s\")\"; cp \"$f\" \"$s\"",
         "storageha-reload", file, stamp, running.Command, running.Argument, .. reload];

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
        ["sh", "-c", "service pacemaker stop && service corosync stop"];

    public static IReadOnlyList<string> ClusterStopped { get; } =
        ["sh", "-c", "! service pacemaker status >/dev/null 2>&1 && ! service corosync status >/dev/null 2>&1"];

    /// <summary>Removes a node that has left for good from Pacemaker's node list and status.</summary>
    public static IReadOnlyList<string> ForgetNode(string node) => ["crm_node", "--force", "-R", node];

    public static IReadOnlyList<string> NodeForgotten(string node) =>
        ["sh", "-c", "! cibadmin --query --xpath \"/cib/configuration/nodes/node[@uname='$1']\" >/dev/null 2>&1", "storageha-check", node];

    /// <summary>Stops resources (target-role=Stopped) and waits up to TIMEOUT seconds; Pacemaker stops them in reverse order of their constraints.</summary>
    public static IReadOnlyList<string> StopResources(IEnumerable<string> ids, int timeoutSeconds) =>
        ["pcs", "resource", "disable", .. ids, $"--wait={timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}"];

    /// <summary>Exit 0 when none of these resources runs anywhere (or no longer exists).</summary>
    public static IReadOnlyList<string> ResourcesStopped(IEnumerable<string> ids) =>
        ["sh", "-c", "for r; do crm_resource --resource \"$r\" --locate 2>/dev/null | grep -q 'is running on' && exit 1; done; exit 0", "storageha-check", .. ids];

    /// <summary>Deletes these shares from the registry, the ones that are there; the folders and their data stay.</summary>
    public static IReadOnlyList<string> DeleteShares(IEnumerable<string> names) =>
        ["sh", "-c", "for s; do net conf showshare \"$s\" >/dev/null 2>&1 || continue; net conf delshare \"$s\" || exit 1; done", "storageha-shares", .. names];

    public static IReadOnlyList<string> SharesAbsent(IEnumerable<string> names) =>
        ["sh", "-c", "for s; do net conf showshare \"$s\" >/dev/null 2>&1 && exit 1; done; exit 0", "storageha-check", .. names];

    public static IReadOnlyList<string> RemoveFiles(IEnumerable<string> paths) => ["rm", "-f", .. paths];

    public static IReadOnlyList<string> FilesAbsent(IEnumerable<string> paths) =>
        ["sh", "-c", "for f; do [ -e \"$f\" ] && exit 1; done; exit 0", "storageha-check", .. paths];

    private const string UnknownSharesScript =
        "unknown() { l=$(net conf listshares) || return 2; printf '%s\\n' \"$l\" | while IFS= read -r s; do [ -n \"$s\" ] || continue; [ \"$s\" = global ] && continue; k=; " +
        "for n; do [ \"$(printf %s \"$n\" | tr A-Z a-z)\" = \"$(printf %s \"$s\" | tr A-Z a-z)\" ] && k=1; done; [ -n \"$k\" ] || printf '%s\\n' \"$s\"; done; }";

    /// <summary>Deletes every registry share not named here (Samba compares share names without case); the data stays.</summary>
    public static IReadOnlyList<string> RemoveSharesExcept(IEnumerable<string> keep) =>
        ["sh", "-c", UnknownSharesScript + "; u=$(unknown \"$@\") || exit 1; printf '%s\\n' \"$u\" | while IFS= read -r s; do [ -z \"$s\" ] || net conf delshare \"$s\" || exit 1; done", "storageha-shares", .. keep];

    /// <summary>Exit 0 when the registry has no share but these.</summary>
    public static IReadOnlyList<string> OnlyShares(IEnumerable<string> keep) =>
        ["sh", "-c", UnknownSharesScript + "; u=$(unknown \"$@\") && [ -z \"$u\" ]", "storageha-check", .. keep];
}
