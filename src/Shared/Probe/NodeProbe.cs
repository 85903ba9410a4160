namespace StorageHa.Shared.Probe;

/// <summary>
/// The probe: one POSIX shell script, run by the console over SSH and by storageha-node on the node itself,
/// whose labelled output <see cref="ProbeReport.Parse"/> turns into <see cref="NodeFacts"/>.
/// </summary>
public static class NodeProbe
{
    /// <summary>Marks the start of a section: "@@storageha:NAME" on a line of its own.</summary>
    public const string SectionMarker = "@@storageha:";

    /// <summary>The packages a StorageHa node may need, as dpkg and rpm name them (<see cref="NodePackages"/>).</summary>
    public static IReadOnlyList<string> Packages => NodePackages.Names;

    /// <summary>Process names as /proc/PID/comm holds them (cut at 15 characters) of the cluster's daemons and the clock's.</summary>
    public static readonly IReadOnlyList<string> Processes =
        ["corosync", "pacemakerd", "ctdbd", "smbd", "ganesha.nfsd", "pcsd", "chronyd", "ntpd", "systemd-timesyn"];

    /// <summary>
    /// Read-only and quiet: every command may be missing, the script still prints every section and exits 0.
    /// One dpkg-query (or rpm) and one read of /proc for all names, because every process costs on a busy node.
    /// </summary>
    public static string Script { get; } = $$"""
        export LC_ALL=C
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        section() { printf '\n{{SectionMarker}}%s\n' "$1"; }
        have() { command -v "$1" >/dev/null 2>&1; }
        section os-release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
        section hostname; hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null
        section kernel; uname -r
        section init; cat /proc/1/comm 2>/dev/null
        section links; ip -o link show 2>/dev/null
        section addresses; ip -o addr show 2>/dev/null
        section packages
        if have dpkg-query; then
          dpkg-query -W -f='${Package} ${Status} ${Version}\n' {{string.Join(' ', Packages)}} 2>/dev/null | sed -n 's/^\([^ ]*\) install ok installed /\1 /p'
        elif have rpm; then
          rpm -q --qf '%{NAME} %{VERSION}-%{RELEASE}\n' {{string.Join(' ', Packages)}} 2>/dev/null | grep -v ' is not installed$'
        fi
        section processes
        nl='
        '
        procs=$(cat /proc/[0-9]*/comm 2>/dev/null)
        for p in {{string.Join(' ', Processes)}}; do
          case "$nl$procs$nl" in *"$nl$p$nl"*) s=running ;; *) s=stopped ;; esac
          printf '%s %s\n' "$p" "$s"
        done
        section samba-vfs
        if have smbd; then
          b=$(smbd -b 2>/dev/null)
          printf '%s\n' "$b" | sed -n '/^Builtin modules:/{n;p;}' | tr ' ' '\n' | sed -n 's/^vfs_//p'
          d=$(printf '%s\n' "$b" | sed -n 's/^ *MODULESDIR: //p')
          for f in "$d"/vfs/*.so; do [ -e "$f" ] && basename "$f" .so; done
        fi
        section timedatectl; timedatectl show 2>/dev/null
        section chrony; chronyc -n tracking 2>/dev/null
        section ntp; ntpq -pn 2>/dev/null
        section df; df -P -B1 2>/dev/null || df -P -k 2>/dev/null
        section end
        exit 0
        """;

    /// <summary>The probe as an argument list for a POSIX shell (run over SSH or locally).</summary>
    public static IReadOnlyList<string> Command { get; } = ["sh", "-c", Script, "storageha-probe"];
}
