namespace StorageHa.Shared.Tests.Probe;

/// <summary>Probe outputs: Debian 12 captured from a real node; the others around real os-release files (OsReleaseSamples), written from the tools' documented formats.</summary>
internal static class ProbeSamples
{
    /// <summary>Captured on Debian 12 with the cluster stack installed by apt (no Ganesha), no systemd as PID 1.</summary>
    public const string Debian12WithPackages = $"""

        @@storageha:os-release
        {OsReleaseSamples.Debian12}

        @@storageha:hostname
        node1

        @@storageha:kernel
        6.1.0-21-amd64

        @@storageha:links
        1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
        2: ifb0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 32\    link/ether 36:90:be:d6:e6:0a brd ff:ff:ff:ff:ff:ff
        4: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000\    link/ether 02:fc:00:00:00:01 brd ff:ff:ff:ff:ff:ff

        @@storageha:addresses
        1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
        1: lo    inet6 ::1/128 scope host \       valid_lft forever preferred_lft forever
        4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\       valid_lft forever preferred_lft forever
        4: eth0    inet6 fd00::2/64 scope global nodad \       valid_lft forever preferred_lft forever
        4: eth0    inet6 fe80::fc:ff:fe00:1/64 scope link \       valid_lft forever preferred_lft forever

        @@storageha:packages
        corosync 3.1.7-1+deb12u2
        ctdb 2:4.17.12+dfsg-0+deb12u4
        pacemaker 2.1.5-1+deb12u1
        pcs 0.11.5-1+deb12u1
        resource-agents 1:4.12.0-2
        samba 2:4.17.12+dfsg-0+deb12u4

        @@storageha:processes
        corosync running
        pacemakerd running
        ctdbd stopped
        smbd stopped
        ganesha.nfsd stopped
        pcsd stopped
        chronyd stopped
        ntpd stopped
        systemd-timesyn stopped

        @@storageha:timedatectl

        @@storageha:chrony

        @@storageha:ntp

        @@storageha:df
        Filesystem                  1-blocks        Used   Available Capacity Mounted on
        devtmpfs                 12630441984           0 12630441984       0% /dev
        tmpfs                    25276026880           0 25276026880       0% /dev/shm
        /dev/vda                270553174016 17075617792 82025025536      18% /
        tmpfs                    12638011392           0 12638011392       0% /sys/fs/cgroup

        @@storageha:end

        """;

    /// <summary>A fresh Debian 12 with systemd-timesyncd: none of the cluster packages yet, so dpkg-query lists nothing.</summary>
    public const string Debian12Bare = """

        @@storageha:os-release
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        ID=debian

        @@storageha:hostname
        fresh

        @@storageha:kernel
        6.1.0-21-amd64

        @@storageha:links
        1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
        2: enp1s0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\    link/ether 52:54:00:AB:CD:EF brd ff:ff:ff:ff:ff:ff

        @@storageha:addresses
        1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
        2: enp1s0    inet 192.0.2.21/24 brd 192.0.2.255 scope global enp1s0\       valid_lft forever preferred_lft forever

        @@storageha:packages

        @@storageha:processes
        corosync stopped
        pacemakerd stopped
        ctdbd stopped
        smbd stopped
        ganesha.nfsd stopped
        pcsd stopped
        chronyd stopped
        ntpd stopped
        systemd-timesyn running

        @@storageha:timedatectl
        Timezone=Etc/UTC
        LocalRTC=no
        CanNTP=yes
        NTP=yes
        NTPSynchronized=yes
        TimeUSec=Mon 2024-05-06 10:00:00 UTC
        RTCTimeUSec=Mon 2024-05-06 10:00:00 UTC

        @@storageha:chrony

        @@storageha:ntp

        @@storageha:df
        Filesystem     1-blocks       Used  Available Capacity Mounted on
        udev          1004720128          0 1004720128       0% /dev
        tmpfs          204529664     593920  203935744       1% /run
        /dev/vda1    20957446144 1873022976 18000953344      10% /
        tmpfs         1022640128          0 1022640128       0% /dev/shm
        /dev/vda15     129718272   12124160  117594112      10% /boot/efi

        @@storageha:end

        """;

    /// <summary>RHEL 9.4 (its real os-release; rpm -q, chrony, xfs with a nearly full /var), Samba running outside CTDB, no CTDB or Ganesha.</summary>
    public const string Rhel9 = $"""

        @@storageha:os-release
        {OsReleaseSamples.Rhel94}

        @@storageha:hostname
        nas-b.example.com

        @@storageha:kernel
        5.14.0-427.13.1.el9_4.x86_64

        @@storageha:links
        1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
        2: ens192: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\    link/ether 00:50:56:aa:bb:cc brd ff:ff:ff:ff:ff:ff\    altname enp11s0
        3: bond0: <NO-CARRIER,BROADCAST,MULTICAST,MASTER,UP> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\    link/ether 9a:1e:22:33:44:55 brd ff:ff:ff:ff:ff:ff
        4: veth1@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\    link/ether 6e:00:00:00:00:07 brd ff:ff:ff:ff:ff:ff link-netnsid 0

        @@storageha:addresses
        1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
        2: ens192    inet 192.0.2.12/24 brd 192.0.2.255 scope global noprefixroute ens192\       valid_lft forever preferred_lft forever
        2: ens192    inet 192.0.2.100/24 brd 192.0.2.255 scope global secondary ens192\       valid_lft forever preferred_lft forever
        4: veth1    inet 198.51.100.7/30 scope global veth1\       valid_lft forever preferred_lft forever

        @@storageha:packages
        pacemaker 2.1.7-5.el9_4
        pcs 0.11.7-2.el9_4
        corosync 3.1.8-1.el9
        resource-agents 4.10.0-52.el9_4.4
        samba 4.19.4-105.el9_4

        @@storageha:processes
        corosync stopped
        pacemakerd stopped
        ctdbd stopped
        smbd running
        ganesha.nfsd stopped
        pcsd running
        chronyd running
        ntpd stopped
        systemd-timesyn stopped

        @@storageha:timedatectl
        Timezone=Europe/Berlin
        NTP=yes
        NTPSynchronized=yes

        @@storageha:chrony
        Reference ID    : C0A80101 (192.0.2.1)
        Stratum         : 3
        Ref time (UTC)  : Mon May 06 10:00:00 2024
        System time     : 0.000012345 seconds fast of NTP time
        Last offset     : +0.000001234 seconds
        RMS offset      : 0.000023456 seconds
        Frequency       : 1.234 ppm slow
        Residual freq   : +0.001 ppm
        Skew            : 0.012 ppm
        Root delay      : 0.001234567 seconds
        Root dispersion : 0.000123456 seconds
        Update interval : 64.2 seconds
        Leap status     : Normal

        @@storageha:ntp

        @@storageha:df
        Filesystem                   1-blocks        Used   Available Capacity Mounted on
        devtmpfs                      4194304           0     4194304       0% /dev
        tmpfs                      1936752640           0  1936752640       0% /dev/shm
        /dev/mapper/rhel-root     18238930944  5134548992 13104381952      29% /
        /dev/mapper/rhel-var       2136997888  1612709888   524288000      76% /var
        /dev/sda1                  1006632960   306184192   700448768      31% /boot
        192.0.2.50:/export/ctdb   107374182400 1073741824 106300440576       1% /mnt/shared state

        @@storageha:end

        """;

    /// <summary>
    /// Ubuntu 24.04 under systemd (os-release: OsReleaseSamples.Ubuntu2404), the cluster installed the Debian way: apt pulled
    /// resource-agents-base but not -extra (CTDB, anything), no Ganesha. Package names and the pacemaker, resource-agents and
    /// samba versions as packages.ubuntu.com lists them for noble; corosync's and pcs's versions are not checked.
    /// </summary>
    public const string Ubuntu2404 = $"""

        @@storageha:os-release
        {OsReleaseSamples.Ubuntu2404}

        @@storageha:hostname
        nas-u1

        @@storageha:kernel
        6.8.0-31-generic

        @@storageha:init
        systemd

        @@storageha:links
        1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
        2: enp1s0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff

        @@storageha:addresses
        1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
        2: enp1s0    inet 192.0.2.31/24 brd 192.0.2.255 scope global enp1s0\       valid_lft forever preferred_lft forever

        @@storageha:packages
        corosync 3.1.7-1ubuntu3
        ctdb 2:4.19.5+dfsg-4ubuntu9.7
        pacemaker 2.1.6-5ubuntu2
        pcs 0.11.7-1ubuntu1
        resource-agents-base 1:4.13.0-1ubuntu4
        samba 2:4.19.5+dfsg-4ubuntu9.7
        samba-vfs-modules 2:4.19.5+dfsg-4ubuntu9.7
        smbclient 2:4.19.5+dfsg-4ubuntu9.7

        @@storageha:processes
        corosync running
        pacemakerd running
        ctdbd stopped
        smbd running
        ganesha.nfsd stopped
        pcsd running
        chronyd stopped
        ntpd stopped
        systemd-timesyn running

        @@storageha:timedatectl
        Timezone=Etc/UTC
        NTP=yes
        NTPSynchronized=yes

        @@storageha:chrony

        @@storageha:ntp

        @@storageha:df
        Filesystem     1-blocks       Used  Available Capacity Mounted on
        tmpfs         405921792    1208320  404713472       1% /run
        /dev/vda1   20957446144 4873022976 16084423168      24% /
        tmpfs        2029600768          0 2029600768       0% /dev/shm

        @@storageha:end

        """;

    /// <summary>
    /// A freshly installed Debian 12 server with systemd as PID 1 (the systemd lab's node1, `apt install` of the cluster
    /// packages and nothing else), probed on 2026-12-06: the corosync package's one-node cluster "debian" runs from its
    /// own corosync.conf, pcsd runs, smbd/nmbd/nfs-ganesha are enabled.
    /// </summary>
    public const string Debian12SystemdFresh = $"""

        @@storageha:os-release
        {OsReleaseSamples.Debian12}

        @@storageha:hostname
        node1

        @@storageha:kernel
        6.18.44-fc-v1272

        @@storageha:init
        systemd

        @@storageha:links
        1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
        2: eth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\    link/ether 02:5a:c0:00:02:0b brd ff:ff:ff:ff:ff:ff link-netnsid 0

        @@storageha:addresses
        1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever
        1: lo    inet6 ::1/128 scope host \       valid_lft forever preferred_lft forever
        2: eth0    inet 192.0.2.11/24 scope global eth0\       valid_lft forever preferred_lft forever
        2: eth0    inet6 fe80::5a:c0ff:fe00:20b/64 scope link \       valid_lft forever preferred_lft forever

        @@storageha:packages
        corosync 3.1.7-1+deb12u2
        ctdb 2:4.17.12+dfsg-0+deb12u4
        nfs-ganesha 4.3-2
        pacemaker 2.1.5-1+deb12u1
        pcs 0.11.5-1+deb12u1
        resource-agents 1:4.12.0-2
        samba 2:4.17.12+dfsg-0+deb12u4
        samba-vfs-modules 2:4.17.12+dfsg-0+deb12u4
        smbclient 2:4.17.12+dfsg-0+deb12u4

        @@storageha:processes
        corosync running
        pacemakerd running
        ctdbd stopped
        smbd running
        ganesha.nfsd running
        pcsd running

        @@storageha:samba-vfs
        default
        not_implemented
        posixacl
        acl_tdb
        acl_xattr
        aio_fork
        aio_pthread
        audit
        btrfs
        cap
        catia
        ceph
        ceph_snapshots
        commit
        crossrename
        default_quota
        dfs_samba4
        dirsort
        expand_msdfs
        extd_audit
        fake_perms
        fileid
        fruit
        full_audit
        glusterfs
        glusterfs_fuse
        gpfs
        io_uring
        linux_xfs_sgid
        media_harmony
        nfs4acl_xattr
        offline
        posix_eadb
        preopen
        readahead
        readonly
        recycle
        shadow_copy
        shadow_copy2
        shell_snap
        snapper
        streams_depot
        streams_xattr
        syncops
        time_audit
        unityed_media
        virusfilter
        widelinks
        worm
        xattr_tdb

        @@storageha:systemd-units
        corosync enabled active no
        pacemaker enabled active no
        pcsd enabled active no
        ctdb enabled inactive no
        smbd enabled active no
        nmbd enabled active no
        winbind not-found inactive no
        smb alias active no
        nmb alias active no
        nfs-ganesha enabled active no

        @@storageha:existing-cluster
        conf-md5 887ff038dcd6ad88b4c6b9dd772bf4d2
        package-md5 887ff038dcd6ad88b4c6b9dd772bf4d2
        cluster_name debian
        ring0_addr 127.0.0.1
        cib yes
        nodes_configured 1
        resources_configured 0

        @@storageha:timedatectl
        Timezone=Etc/UTC
        LocalRTC=no
        CanNTP=no
        NTP=no
        NTPSynchronized=no
        TimeUSec=Sun 2026-12-06 06:33:30 UTC

        @@storageha:chrony

        @@storageha:ntp

        @@storageha:df
        Filesystem         1-blocks        Used   Available Capacity Mounted on
        sha-sdx-node1  270553174016 20661305344 78439337984      21% /
        tmpfs            2527617024           0  2527617024       0% /tmp
        /dev/vda       270553174016 20661305344 78439337984      21% /tmp/sha-sdx/shared
        tmpfs               4194304           0     4194304       0% /dev
        tmpfs            2527617024    49569792  2478047232       2% /dev/shm
        tmpfs            5055234048     1568768  5053665280       1% /run
        tmpfs               4194304           0     4194304       0% /sys/fs/cgroup
        tmpfs               5242880           0     5242880       0% /run/lock

        @@storageha:end

        """;
}
