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

    /// <summary>NFS cluster (no CTDB) node1, before any client: Ganesha answers with an empty client list; smbstatus runs but Samba serves nothing.</summary>
    public const string NfsNone = """


        @@storageha:pnn

        @@storageha:smbstatus
        exit 0
        /run/samba/locking.tdb not initialised
        This is normal if an SMB client has never connected to your server.
        {"timestamp": "2026-12-07T01:23:46.541171+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {}, "tcons": {}}

        @@storageha:nfs
        exit 0
        method return time=1796606626.571584 sender=:1.0 -> destination=:1.2 serial=11 reply_serial=2
           struct {
              uint64 1796606626
              uint64 571471144
           }
           array [
           ]

        @@storageha:connections

        @@storageha:end
        """;

    /// <summary>The same node with one NFSv4.0 client (libnfs nfs-cat from 192.0.2.2) reading through VIP 192.0.2.101: Ganesha 4.3 names each protocol with whether it was used; ss shows the connection to the VIP, IPv4-mapped.</summary>
    public const string NfsOneV4 = """


        @@storageha:pnn

        @@storageha:smbstatus
        exit 0
        /run/samba/locking.tdb not initialised
        This is normal if an SMB client has never connected to your server.
        {"timestamp": "2026-12-07T01:23:47.920143+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {}, "tcons": {}}

        @@storageha:nfs
        exit 0
        method return time=1796606627.984703 sender=:1.0 -> destination=:1.5 serial=16 reply_serial=2
           struct {
              uint64 1796606627
              uint64 984458548
           }
           array [
              struct {
                 string "::ffff:192.0.2.2"
                 struct {
                    struct {
                       string "NFSv3"
                       boolean false
                    }
                    struct {
                       string "MNT"
                       boolean false
                    }
                    struct {
                       string "NMLv4"
                       boolean false
                    }
                    struct {
                       string "RQUOTA"
                       boolean false
                    }
                    struct {
                       string "NFSv40"
                       boolean true
                    }
                    struct {
                       string "NFSv41"
                       boolean false
                    }
                    struct {
                       string "NFSv42"
                       boolean false
                    }
                    struct {
                       string "9P"
                       boolean false
                    }
                 }
                 struct {
                    uint64 1796606627
                    uint64 175452676
                 }
              }
           ]

        @@storageha:connections
        [::ffff:192.0.2.101]:2049 [::ffff:192.0.2.2]:717

        @@storageha:end
        """;

    /// <summary>node3 after node1 crashed: the client read through the VIP again, now here (its connection closed by the time of this reading).</summary>
    public const string NfsAfterFailover = """


        @@storageha:pnn

        @@storageha:smbstatus
        exit 0
        /run/samba/locking.tdb not initialised
        This is normal if an SMB client has never connected to your server.
        {"timestamp": "2026-12-07T01:24:06.326635+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {}, "tcons": {}}

        @@storageha:nfs
        exit 0
        method return time=1796606646.356563 sender=:1.0 -> destination=:1.8 serial=36 reply_serial=2
           struct {
              uint64 1796606646
              uint64 354964912
           }
           array [
              struct {
                 string "::ffff:192.0.2.2"
                 struct {
                    struct {
                       string "NFSv3"
                       boolean false
                    }
                    struct {
                       string "MNT"
                       boolean false
                    }
                    struct {
                       string "NMLv4"
                       boolean false
                    }
                    struct {
                       string "RQUOTA"
                       boolean false
                    }
                    struct {
                       string "NFSv40"
                       boolean true
                    }
                    struct {
                       string "NFSv41"
                       boolean false
                    }
                    struct {
                       string "NFSv42"
                       boolean false
                    }
                    struct {
                       string "9P"
                       boolean false
                    }
                 }
                 struct {
                    uint64 1796606645
                    uint64 586168528
                 }
              }
           ]

        @@storageha:connections

        @@storageha:end
        """;

    /// <summary>SMB cluster (CTDB pnn 0) node1 before any client: smbstatus' empty sections (open_files too); no Ganesha on this cluster's bus.</summary>
    public const string SmbNone = """


        @@storageha:pnn
        0

        @@storageha:smbstatus
        exit 0
        {"timestamp": "2026-12-07T01:26:41.566588+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {}, "tcons": {}, "open_files": {}}

        @@storageha:nfs
        exit 1
        Error org.freedesktop.DBus.Error.ServiceUnknown: The name org.ganesha.nfsd was not provided by any .service files

        @@storageha:connections

        @@storageha:end
        """;

    /// <summary>node1 with two guest sessions of smbclient from 192.0.2.2 held open, one through each VIP: smbstatus lists both (this node's, vnn 0, through 192.0.2.101, and node2's, vnn 1), ss only this node's connection.</summary>
    public const string SmbTwoSessions = """


        @@storageha:pnn
        0

        @@storageha:smbstatus
        exit 0
        {"timestamp": "2026-12-07T01:26:45.953743+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {"3320512101": {"session_id": "3320512101", "server_id": {"pid": "1433", "task_id": "0", "vnn": "1", "unique_id": "11396658440978661126"}, "uid": 65534, "gid": 65534, "username": "nobody", "groupname": "nogroup", "remote_machine": "192.0.2.2", "hostname": "ipv4:192.0.2.2:44454", "session_dialect": "SMB3_11", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}, "4280062344": {"session_id": "4280062344", "server_id": {"pid": "1702", "task_id": "0", "vnn": "0", "unique_id": "6677090582247223479"}, "uid": 65534, "gid": 65534, "username": "nobody", "groupname": "nogroup", "remote_machine": "192.0.2.2", "hostname": "ipv4:192.0.2.2:53760", "session_dialect": "SMB3_11", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}}, "tcons": {"1861980368": {"service": "public", "server_id": {"pid": "1433", "task_id": "0", "vnn": "1", "unique_id": "11396658440978661126"}, "tcon_id": "1861980368", "session_id": "3320512101", "machine": "192.0.2.2", "connected_at": "2026-12-07T01:26:43.142606+00:00", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}, "3189569028": {"service": "public", "server_id": {"pid": "1702", "task_id": "0", "vnn": "0", "unique_id": "6677090582247223479"}, "tcon_id": "3189569028", "session_id": "4280062344", "machine": "192.0.2.2", "connected_at": "2026-12-07T01:26:43.114486+00:00", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}}, "open_files": {}}

        @@storageha:nfs
        exit 1
        Error org.freedesktop.DBus.Error.ServiceUnknown: The name org.ganesha.nfsd was not provided by any .service files

        @@storageha:connections
        192.0.2.101:445 192.0.2.2:53760

        @@storageha:end
        """;

    /// <summary>node3 (pnn 2) after node1 crashed: the client reconnected through 192.0.2.101, now served here by smbd 1615; node2's session is still listed.</summary>
    public const string SmbAfterFailover = """


        @@storageha:pnn
        2

        @@storageha:smbstatus
        exit 0
        {"timestamp": "2026-12-07T01:27:05.925071+0000", "version": "4.17.12-Debian", "smb_conf": "/etc/samba/smb.conf", "sessions": {"317042395": {"session_id": "317042395", "server_id": {"pid": "1615", "task_id": "0", "vnn": "2", "unique_id": "13478410371347156030"}, "uid": 65534, "gid": 65534, "username": "nobody", "groupname": "nogroup", "remote_machine": "192.0.2.2", "hostname": "ipv4:192.0.2.2:40398", "session_dialect": "SMB3_11", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}, "3320512101": {"session_id": "3320512101", "server_id": {"pid": "1433", "task_id": "0", "vnn": "1", "unique_id": "11396658440978661126"}, "uid": 65534, "gid": 65534, "username": "nobody", "groupname": "nogroup", "remote_machine": "192.0.2.2", "hostname": "ipv4:192.0.2.2:44454", "session_dialect": "SMB3_11", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}}, "tcons": {"1861980368": {"service": "public", "server_id": {"pid": "1433", "task_id": "0", "vnn": "1", "unique_id": "11396658440978661126"}, "tcon_id": "1861980368", "session_id": "3320512101", "machine": "192.0.2.2", "connected_at": "2026-12-07T01:26:43.142606+00:00", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}, "4105952525": {"service": "public", "server_id": {"pid": "1615", "task_id": "0", "vnn": "2", "unique_id": "13478410371347156030"}, "tcon_id": "4105952525", "session_id": "317042395", "machine": "192.0.2.2", "connected_at": "2026-12-07T01:26:56.313341+00:00", "encryption": {"cipher": "-", "degree": "none"}, "signing": {"cipher": "-", "degree": "none"}}}, "open_files": {}}

        @@storageha:nfs
        exit 1
        Error org.freedesktop.DBus.Error.ServiceUnknown: The name org.ganesha.nfsd was not provided by any .service files

        @@storageha:connections
        192.0.2.101:445 192.0.2.2:40398

        @@storageha:end
        """;
}
