using StorageHa.Shared.Probe;

namespace StorageHa.Shared.Provisioning;

/// <summary>A Pacemaker agent for a service, with its options.</summary>
public sealed record ServiceAgent(string Agent, IReadOnlyList<string> Options);

/// <summary>
/// Which agents run Samba and Ganesha on these nodes, chosen from what the probe found: systemd units where systemd is
/// PID 1; otherwise Debian's init scripts (lsb:) or ocf:heartbeat:anything, because systemd: agents need a running systemd.
/// </summary>
public sealed record ServiceAgents(bool Systemd, NodeOs Os, string Why)
{
    /// <summary>Decides from every node's facts; null when the nodes disagree (a clone needs one agent everywhere).</summary>
    public static ServiceAgents? For(IReadOnlyList<NodeFacts> facts, out string? warning)
    {
        warning = null;
        var inits = facts.Select(f => f.InitProcess).Distinct().ToArray();
        if (inits.Length > 1 && inits.Any(i => i == "systemd")) return null;
        var os = facts.Count > 0 ? NodeOs.Of(facts[0]) : new NodeOs(null, null, null);
        if (inits.All(i => i is null))
        {
            warning = "the probe did not report the nodes' init process (probe them again); assuming systemd";
            return new(true, os, "assumed systemd: the nodes' init process is unknown");
        }
        return inits[0] == "systemd"
            ? new(true, os, "systemd runs the nodes: services are systemd units")
            : new(false, os, $"the nodes run without systemd (PID 1 is '{inits[0]}'): systemd: agents cannot work there, so Samba runs "
                + (os.IsDebianLike ? "through Debian's init scripts (lsb:)" : "under ocf:heartbeat:anything") + " and Ganesha under ocf:heartbeat:anything");
    }

    public ServiceAgent Smbd => Samba(Os.Units.Smbd, "/usr/sbin/smbd");
    public ServiceAgent Nmbd => Samba(Os.Units.Nmbd, "/usr/sbin/nmbd");
    public ServiceAgent Winbind => Samba(Os.Units.Winbind, "/usr/sbin/winbindd");

    public ServiceAgent Ganesha => Systemd
        ? new($"systemd:{Os.Units.Ganesha}", [])
        : new("ocf:heartbeat:anything", ["binfile=/usr/bin/ganesha.nfsd", $"cmdline_options=-F -f {ConfigFiles.GaneshaConfPath} {GaneshaRunFiles}"]);

    // Without systemd nothing makes /run/ganesha (its default pid file's directory, a fatal error when missing), and the
    // log goes where the admin looks for it (and the NFS lab tests read grace events).
    private const string GaneshaRunFiles = "-p /run/ganesha.nfsd.pid -L /var/log/ganesha/ganesha.log";

    /// <summary>
    /// The units the cluster takes over on a systemd host, so that systemd no longer starts them at boot: Samba's nmbd
    /// too when NetBIOS is off (with no CTDB yet it fails at every boot on the clustered smb.conf), and winbind, which
    /// would read the same smb.conf.
    /// </summary>
    public IReadOnlyList<string> Units(bool smb, bool nfs) =>
        [.. smb ? [Os.Units.Ctdb, Os.Units.Smbd, Os.Units.Nmbd, Os.Units.Winbind] : Array.Empty<string>(), .. nfs ? [Os.Units.Ganesha] : Array.Empty<string>()];

    /// <summary>What a node needs running at boot to rejoin its cluster by itself.</summary>
    public IReadOnlyList<string> ClusterUnits => [Os.Units.Corosync, Os.Units.Pacemaker];

    private ServiceAgent Samba(string unit, string binary)
    {
        if (Systemd) return new($"systemd:{unit}", []);
        if (Os.IsDebianLike) return new($"lsb:{unit}", []);
        return new("ocf:heartbeat:anything", [$"binfile={binary}", "cmdline_options=--foreground --no-process-group"]);
    }
}
