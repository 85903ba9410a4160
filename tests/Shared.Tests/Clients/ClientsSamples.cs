namespace StorageHa.Shared.Tests.Clients;

/// <summary>
/// Real outputs of connected-clients.sh, copied as it printed them. This machine: Debian 12, Samba 4.17.12, no smbd or
/// D-Bus running (2026-12-07). The lab nodes (docker/lab, lab prefix sha-cc): Debian 12, Samba 4.17.12 under CTDB,
/// NFS-Ganesha 4.3 on each node's own system bus, clients in the lab's client namespace (192.0.2.x), on the clusters
/// the console built in ApplyLabTests and NfsLabTests (2026-12-07).
/// </summary>
internal static class ClientsSamples
{
    /// <summary>This machine: smbstatus says why it has nothing before its JSON; no system bus to ask Ganesha on.</summary>
    public const string NoneOnThisHost = """

        @@storageha:pnn

        @@storageha:smbstatus
        exit 0
        /run/samba/locking.tdb not initialised
        This is normal if an SMB client has never connected to your server.
        {"timestamp": "2026-12-07T00:41:39.195683+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {}, "tcons": {}}

        @@storageha:nfs
        exit 1
        Failed to open connection to "system" message bus: Failed to connect to socket /run/dbus/system_bus_socket: No such file or directory

        @@storageha:connections

        @@storageha:end
        """;
}
