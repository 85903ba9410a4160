using StorageHa.Shared.Commands;

namespace StorageHa.Shared.Probe;

/// <summary>
/// The probe: one POSIX shell script (<c>Scripts/probe.sh</c>), run by the console over SSH and by storageha-node on the node itself,
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
    /// The systemd units of the cluster's daemons under every supported distribution's names (Samba's are smbd/nmbd on
    /// Debian, smb/nmb on Red Hat): whether each starts at boot, runs, and runs under the cluster.
    /// </summary>
    public static readonly IReadOnlyList<string> Units =
        ["corosync", "pacemaker", "pcsd", "ctdb", "smbd", "nmbd", "winbind", "smb", "nmb", "nfs-ganesha"];

    /// <summary>The probe (<c>Scripts/probe.sh</c>) as an argument list for a POSIX shell (run over SSH or locally), with the names it looks for.</summary>
    public static IReadOnlyList<string> Command { get; } =
        NodeScript.Named("probe").Command(string.Join(' ', Packages), string.Join(' ', Processes), string.Join(' ', Units));

    /// <summary>The probe of a node whose cluster joins <paramref name="realm"/>: it also looks up the domain's DC from the node.</summary>
    public static IReadOnlyList<string> For(string? realm) =>
        realm is null ? Command : NodeScript.Named("probe").Command(string.Join(' ', Packages), string.Join(' ', Processes), string.Join(' ', Units), realm);
}
