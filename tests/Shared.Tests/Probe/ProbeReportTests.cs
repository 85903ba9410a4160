using System.Text.Json;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Shared.Tests.Probe;

/// <summary>The probe parser on real and documented outputs: facts, and what the admin must fix, with the command.</summary>
public sealed class ProbeReportTests
{
    private static readonly DateTimeOffset At = new(2024, 5, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Debian12_YieldsOsHostKernelAndPackageVersions()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12WithPackages, At);

        Assert.Equal(At, facts.ProbedAt);
        Assert.Equal("node1", facts.Hostname);
        Assert.Equal("Debian GNU/Linux 12 (bookworm)", facts.OsName);
        Assert.Equal("debian", facts.OsId);
        Assert.Equal("12", facts.OsVersion);
        Assert.Equal("6.1.0-21-amd64", facts.Kernel);
        Assert.Equal(
            [("pacemaker", "2.1.5-1+deb12u1"), ("pcs", "0.11.5-1+deb12u1"), ("corosync", "3.1.7-1+deb12u2"), ("resource-agents", "1:4.12.0-2"),
             ("resource-agents-base", (string?)null), ("resource-agents-extra", null),
             ("ctdb", "2:4.17.12+dfsg-0+deb12u4"), ("samba", "2:4.17.12+dfsg-0+deb12u4"), ("samba-vfs-modules", null),
             ("smbclient", null), ("samba-client", null), ("nfs-ganesha", null),
             ("winbind", null), ("libnss-winbind", null), ("samba-winbind", null), ("samba-winbind-modules", null),
             ("glusterfs-client", null), ("kmod", null), ("nfs-ganesha-gluster", null), ("ceph-common", null), ("nfs-common", null), ("gfs2-utils", null),
             ("dlm-controld", null), ("glusterfs-fuse", null), ("nfs-utils", null), ("dlm", null)],
            facts.Packages.Select(p => (p.Name, p.Version)));
    }

    [Fact]
    public void Debian12_YieldsNicsWithMacStateAndAddresses()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12WithPackages, At);

        Assert.Equal(["lo", "ifb0", "eth0"], facts.Interfaces.Select(i => i.Name));
        var eth0 = facts.Interfaces.Single(i => i.Name == "eth0");
        Assert.Equal("02:fc:00:00:00:01", eth0.Mac);
        Assert.True(eth0.Up);
        Assert.Equal(["192.0.2.2/24", "fd00::2/64", "fe80::fc:ff:fe00:1/64"], eth0.Addresses);
        Assert.False(facts.Interfaces.Single(i => i.Name == "ifb0").Up);
        Assert.Empty(facts.Interfaces.Single(i => i.Name == "ifb0").Addresses);
    }

    [Fact]
    public void Debian12_YieldsServicesAndRealFilesystemsOnly()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12WithPackages, At);

        Assert.Equal(
            [("corosync", true), ("pacemakerd", true), ("ctdbd", false), ("smbd", false), ("ganesha.nfsd", false), ("pcsd", false)],
            facts.Services.Select(s => (s.Name, s.Running)));
        var root = Assert.Single(facts.Filesystems);
        Assert.Equal(new FilesystemSpace("/", 270553174016, 82025025536), root);
    }

    [Fact]
    public void Debian12WithPackages_AsksForSambasRecommendsGaneshaPcsdAndTimeSync_WithAptCommands()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12WithPackages, At);

        Assert.Null(facts.TimeSynchronized);
        Assert.Equal(
            [
                // samba only recommends them: an install without recommends has no fileid module, and no share would open.
                (FindingSeverity.Blocker, "apt-get install -y samba-vfs-modules"),
                (FindingSeverity.Blocker, "apt-get install -y smbclient"),
                (FindingSeverity.Blocker, "apt-get install -y nfs-ganesha nfs-ganesha-vfs"),
                (FindingSeverity.Warning, "systemctl enable --now pcsd"),
                (FindingSeverity.Warning, "apt-get install -y chrony && systemctl enable --now chrony"),
            ],
            facts.Findings.Select(f => (f.Severity, f.FixCommand)));
        Assert.StartsWith("samba-vfs-modules is not installed: smb.conf loads its fileid module", facts.Findings[0].Message);
        Assert.StartsWith("nfs-ganesha is not installed", facts.Findings[2].Message);
        Assert.Contains("cannot tell whether the clock is synchronised", facts.Findings[4].Message);
    }

    [Fact]
    public void SmbOnlyCluster_DoesNotAskForGanesha()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12WithPackages, At, ClusterPurpose.Smb);

        Assert.DoesNotContain(facts.Findings, f => f.Message.Contains("ganesha", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void BareDebian12_NeedsEveryPackage_EachWithItsAptCommand()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12Bare, At);

        Assert.All(facts.Packages, p => Assert.Null(p.Version));
        Assert.Equal(
            [
                "apt-get install -y pacemaker", "apt-get install -y pcs", "apt-get install -y corosync", "apt-get install -y resource-agents",
                "apt-get install -y ctdb", "apt-get install -y samba", "apt-get install -y samba-vfs-modules", "apt-get install -y smbclient",
                "apt-get install -y nfs-ganesha nfs-ganesha-vfs",
            ],
            facts.Findings.Select(f => f.FixCommand));
        Assert.All(facts.Findings, f => Assert.Equal(FindingSeverity.Blocker, f.Severity));
    }

    [Fact]
    public void BareDebian12_ReadsTimedatectl_AndLowercasesTheMac()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12Bare, At);

        Assert.True(facts.TimeSynchronized);
        Assert.Equal("systemd-timesyncd", facts.TimeSyncSource);
        Assert.Equal("52:54:00:ab:cd:ef", facts.Interfaces.Single(i => i.Name == "enp1s0").Mac);
        Assert.Equal(["/", "/boot/efi"], facts.Filesystems.Select(f => f.MountPoint));
    }

    [Fact]
    public void NfsOnlyCluster_DoesNotAskForSambaOrCtdb()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12Bare, At, ClusterPurpose.Nfs);

        Assert.DoesNotContain(facts.Findings, f => f.FixCommand is "apt-get install -y ctdb" or "apt-get install -y samba");
        Assert.Contains(facts.Findings, f => f.FixCommand == "apt-get install -y nfs-ganesha nfs-ganesha-vfs");
    }

    [Fact]
    public void Rhel9_YieldsRpmVersionsChronyAndInterfaces()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Rhel9, At);

        Assert.Equal("Red Hat Enterprise Linux 9.4 (Plow)", facts.OsName);
        Assert.Equal("rhel", facts.OsId);
        Assert.Equal("fedora", facts.OsLike);
        Assert.Equal("9.4", facts.OsVersion);
        Assert.Equal("nas-b.example.com", facts.Hostname);
        Assert.Equal("2.1.7-5.el9_4", facts.Packages.Single(p => p.Name == "pacemaker").Version);
        Assert.True(facts.TimeSynchronized);
        Assert.Equal("chrony", facts.TimeSyncSource);
        Assert.Equal(["lo", "ens192", "bond0", "veth1"], facts.Interfaces.Select(i => i.Name));
        Assert.Equal(["192.0.2.12/24", "192.0.2.100/24"], facts.Interfaces.Single(i => i.Name == "ens192").Addresses);
        Assert.False(facts.Interfaces.Single(i => i.Name == "bond0").Up);
        Assert.Equal(["198.51.100.7/30"], facts.Interfaces.Single(i => i.Name == "veth1").Addresses);
        Assert.Equal(["/", "/var", "/boot", "/mnt/shared state"], facts.Filesystems.Select(f => f.MountPoint));
    }

    [Fact]
    public void Rhel9_GivesDnfAndSubscriptionCommands_StopsStraySamba_AndWarnsAboutAFullVar()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Rhel9, At);

        Assert.Equal(
            [
                (FindingSeverity.Blocker, "subscription-manager repos --enable=rhel-9-for-$(arch)-resilientstorage-rpms && dnf install -y ctdb"),
                (FindingSeverity.Blocker, "dnf install -y samba-client"),
                // No RHEL repository has NFS-Ganesha: the finding says where it comes from instead of a dnf that would fail.
                (FindingSeverity.Blocker, (string?)null),
                (FindingSeverity.Warning, "systemctl disable --now smb nmb"),
                (FindingSeverity.Warning, "dnf clean all && journalctl --vacuum-size=100M"),
            ],
            facts.Findings.Select(f => (f.Severity, f.FixCommand)));
        Assert.StartsWith("nfs-ganesha is not installed: it serves the NFS exports. Red Hat Enterprise Linux ships no NFS-Ganesha: add the CentOS Storage SIG's",
            facts.Findings[2].Message);
        Assert.Contains("Only 500 MiB free on /var (of 2 GiB)", facts.Findings[4].Message);
    }

    [Theory]
    [InlineData("rocky", "rhel centos fedora", "9.4", "dnf --enablerepo=highavailability install -y pacemaker")]
    // EL8 rebuilds call the High Availability repository "ha" (linux-system-roles/ha_cluster vars/CentOS_8.yml), EL9 ones "highavailability".
    [InlineData("almalinux", "rhel centos fedora", "8.10", "dnf --enablerepo=ha install -y pacemaker")]
    [InlineData("rhel", "fedora", "8.10", "subscription-manager repos --enable=rhel-8-for-$(arch)-highavailability-rpms && dnf install -y pacemaker")]
    [InlineData("fedora", null, "40", "dnf install -y pacemaker")]
    [InlineData("ubuntu", "debian", "24.04", "apt-get install -y pacemaker")]
    [InlineData("opensuse-leap", "suse opensuse", "15.6", "zypper install -y pacemaker")]
    [InlineData("slackware", null, "15.0", null)]
    public void MissingPacemaker_IsFixedWith_TheDistributionsOwnCommand(string id, string? like, string version, string? expected)
    {
        var output = ProbeSamples.Debian12WithPackages
            .Replace("ID=debian", $"ID={id}\nID_LIKE=\"{like}\"")
            .Replace("VERSION_ID=\"12\"", $"VERSION_ID=\"{version}\"")
            .Replace("pacemaker 2.1.5-1+deb12u1\n", "");

        var finding = ProbeReport.Parse(output, At).Findings.First(f => f.Message.StartsWith("pacemaker is not installed", StringComparison.Ordinal));

        Assert.Equal(expected, finding.FixCommand);
        if (expected is null) Assert.Contains("distribution's package manager", finding.Message);
    }

    [Fact]
    public void UnsynchronisedChrony_IsAWarning_WithTheChronyFix()
    {
        var output = ProbeSamples.Rhel9.Replace("Leap status     : Normal", "Leap status     : Not synchronised");

        var facts = ProbeReport.Parse(output, At);

        Assert.False(facts.TimeSynchronized);
        Assert.Contains(facts.Findings, f => f.Message.StartsWith("The clock is not synchronised (chrony)", StringComparison.Ordinal)
            && f.FixCommand == "dnf install -y chrony && systemctl enable --now chronyd");
    }

    [Fact]
    public void NtpqPeers_TellWhetherNtpdFollowsAServer()
    {
        const string peers = """
                 remote           refid      st t when poll reach   delay   offset  jitter
            ==============================================================================
            *192.0.2.1       .GPS.            1 u   33   64  377    0.512   -0.034   0.021
            +192.0.2.2       192.0.2.1        2 u   12   64  377    0.601    0.011   0.030
            """;
        var synced = Sample(chrony: "", timedatectl: "", ntp: peers);
        var unsynced = Sample(chrony: "", timedatectl: "", ntp: peers.Replace("*192", " 192").Replace("+192", " 192"));

        Assert.Equal((true, "ntpd"), (ProbeReport.Parse(synced, At).TimeSynchronized, ProbeReport.Parse(synced, At).TimeSyncSource));
        Assert.False(ProbeReport.Parse(unsynced, At).TimeSynchronized);
    }

    [Fact]
    public void AlmostFullRoot_IsABlocker()
    {
        var output = ProbeSamples.Debian12Bare.Replace("/dev/vda1    20957446144 1873022976 18000953344      10% /", "/dev/vda1    20957446144 20907446144 50000000     100% /");

        var finding = Assert.Single(ProbeReport.Parse(output, At).Findings, f => f.Message.Contains("free on /"));

        Assert.Equal(FindingSeverity.Blocker, finding.Severity);
        Assert.Equal("apt-get clean && journalctl --vacuum-size=100M", finding.FixCommand);
    }

    [Fact]
    public void KilobyteBlocks_FromPlainPosixDf_AreConverted()
    {
        var output = Sample(df: """
            Filesystem     1024-blocks    Used Available Capacity Mounted on
            /dev/sda1         10240000 5120000   5120000      50% /
            """);

        Assert.Equal(new FilesystemSpace("/", 10240000L * 1024, 5120000L * 1024), Assert.Single(ProbeReport.Parse(output, At).Filesystems));
    }

    [Fact]
    public void TruncatedOutput_IsABlocker_AskingToProbeAgain()
    {
        var cut = ProbeSamples.Debian12WithPackages[..ProbeSamples.Debian12WithPackages.IndexOf("@@storageha:processes", StringComparison.Ordinal)];

        var facts = ProbeReport.Parse(cut, At);

        Assert.Equal("node1", facts.Hostname);
        Assert.Contains(facts.Findings, f => f.Severity == FindingSeverity.Blocker && f.Message.Contains("ended early"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage\n\0\u0001 not a probe at all\n@@storageha:\n@@storageha:df\nFilesystem\n x y z\n")]
    public void Garbage_YieldsEmptyFacts_NeverAnException(string output)
    {
        var facts = ProbeReport.Parse(output, At);

        Assert.Null(facts.OsId);
        Assert.Empty(facts.Filesystems);
        Assert.Contains(facts.Findings, f => f.Message.Contains("ended early"));
    }

    [Fact]
    public void CarriageReturns_AreIgnored()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12Bare.Replace("\n", "\r\n"), At);

        Assert.Equal("fresh", facts.Hostname);
        Assert.Equal("debian", facts.OsId);
    }

    [Fact]
    public void SameOutput_GivesTheSameFacts_AndTheyRoundTripThroughJson()
    {
        var first = JsonSerializer.Serialize(ProbeReport.Parse(ProbeSamples.Rhel9, At), NodeFactsJson.Default.NodeFacts);
        var second = JsonSerializer.Serialize(ProbeReport.Parse(ProbeSamples.Rhel9, At), NodeFactsJson.Default.NodeFacts);

        var back = JsonSerializer.Deserialize(first, NodeFactsJson.Default.NodeFacts)!;

        Assert.Equal(first, second);
        Assert.Equal(first, JsonSerializer.Serialize(back, NodeFactsJson.Default.NodeFacts));
        Assert.Contains("\"severity\": \"Blocker\"", first);
        Assert.Contains("\"osName\": \"Red Hat Enterprise Linux 9.4 (Plow)\"", first);
    }

    [Fact]
    public void AFreshDebianSystemdServer_ShowsThePackagesOwnClusterRunning_AndItsUnits_WithWhatTheConsoleWillDo()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Debian12SystemdFresh, At);

        Assert.Equal("systemd", facts.InitProcess);
        var cluster = Assert.IsType<ExistingCluster>(facts.ExistingCluster);
        Assert.Equal(["127.0.0.1"], cluster.Addresses);
        Assert.Equal(("debian", true, true, true, 1, 0),
            (cluster.Name, cluster.PackageDefault, cluster.Running, cluster.HasCib, cluster.NodesConfigured, cluster.ResourcesConfigured));
        Assert.True(cluster.IsRunningPackageDefault);
        Assert.False(cluster.IsConfigured);
        var units = facts.Units!.ToDictionary(u => u.Name);
        Assert.Equal(("enabled", true, false), (units["smbd"].Enablement, units["smbd"].Active, units["smbd"].ClusterControlled));
        Assert.False(units["winbind"].Installed);
        Assert.Equal("alias", units["smb"].Enablement);   // Debian's smb is an alias of smbd: not a unit of its own to hand over
        Assert.DoesNotContain(facts.Findings, f => f.Severity == FindingSeverity.Blocker);
        Assert.Contains(facts.Findings, f => f.Severity == FindingSeverity.Info && f.Message.StartsWith("The corosync package's own one-node cluster 'debian' runs here", StringComparison.Ordinal));
        Assert.Contains(facts.Findings, f => f.Message.StartsWith("ctdb, smbd, nmbd, nfs-ganesha start at boot on their own", StringComparison.Ordinal));
        Assert.Contains(facts.Findings, f => f.Message.StartsWith("pcsd runs and listens on port 2224", StringComparison.Ordinal));
        Assert.DoesNotContain(facts.Findings, f => f.Message.Contains("do not start at boot", StringComparison.Ordinal));
    }

    [Fact]
    public void ANodeInSomeoneElsesCluster_IsReportedAsConfigured_NamingIt()
    {
        var text = ProbeSamples.Debian12SystemdFresh.Replace("conf-md5 887ff038dcd6ad88b4c6b9dd772bf4d2", "conf-md5 0123456789abcdef0123456789abcdef", StringComparison.Ordinal)
            .Replace("cluster_name debian\nring0_addr 127.0.0.1", "cluster_name prod\nring0_addr 10.1.0.1\nring0_addr 10.1.0.2", StringComparison.Ordinal)
            .Replace("nodes_configured 1\nresources_configured 0", "nodes_configured 2\nresources_configured 3", StringComparison.Ordinal);

        var facts = ProbeReport.Parse(text, At);

        Assert.True(facts.ExistingCluster!.IsConfigured);
        Assert.Contains(facts.Findings, f => f.Severity == FindingSeverity.Warning
            && f.Message.StartsWith("This node is already set up for cluster 'prod' (2 node(s) in corosync.conf, 3 resource(s) configured, running)", StringComparison.Ordinal));
    }

    [Fact]
    public void Script_PrintsEverySectionTheParserReads_AndLooksForEveryPackageAndProcess()
    {
        var script = NodeScript.Named("probe");
        foreach (var section in new[] { "os-release", "hostname", "kernel", "links", "addresses", "packages", "processes", "systemd-units", "existing-cluster", "ad-domain", "timedatectl", "chrony", "ntp", "df", "end" })
            Assert.Contains($"section {section}", script.Body);
        Assert.Contains($"printf '\\n{NodeProbe.SectionMarker}%s\\n'", script.Body);
        Assert.Equal(script.Command(string.Join(' ', NodeProbe.Packages), string.Join(' ', NodeProbe.Processes), string.Join(' ', NodeProbe.Units)), NodeProbe.Command);
        Assert.All(NodeProbe.Processes, p => Assert.True(p.Length <= 15, $"/proc/PID/comm never holds {p}: process names are cut at 15 characters"));
    }

    private static string Sample(string? chrony = null, string? timedatectl = null, string? ntp = null, string? df = null)
    {
        var text = ProbeSamples.Rhel9;
        if (timedatectl is not null) text = Replace(text, "timedatectl", timedatectl);
        if (chrony is not null) text = Replace(text, "chrony", chrony);
        if (ntp is not null) text = Replace(text, "ntp", ntp);
        if (df is not null) text = Replace(text, "df", df);
        return text;
    }

    /// <summary>Replaces the body of one section.</summary>
    private static string Replace(string output, string section, string body)
    {
        var start = output.IndexOf($"@@storageha:{section}\n", StringComparison.Ordinal) + $"@@storageha:{section}\n".Length;
        var end = output.IndexOf("\n@@storageha:", start - 1, StringComparison.Ordinal);
        return output[..start] + body + "\n" + output[(end + 1)..];
    }

    /// <summary>The Debian sample with Samba's recommends installed, and smbd's VFS modules as the probe lists them.</summary>
    private static NodeFacts WithVfsModules(params string[] modules) => ProbeReport.Parse(
        ProbeSamples.Debian12WithPackages
            .Replace("samba 2:4.17.12+dfsg-0+deb12u4\n", "samba 2:4.17.12+dfsg-0+deb12u4\nsamba-vfs-modules 2:4.17.12+dfsg-0+deb12u4\nsmbclient 2:4.17.12+dfsg-0+deb12u4\n", StringComparison.Ordinal)
            .Replace("@@storageha:processes", "@@storageha:samba-vfs\n" + string.Join("\n", modules) + "\n\n@@storageha:processes", StringComparison.Ordinal),
        At, ClusterPurpose.Smb);

    [Fact]
    public void ASambaWhoseModuleDirectoryLacksFileid_IsABlocker_EvenWithEveryPackageInstalled()
    {
        var facts = WithVfsModules("default", "not_implemented", "posixacl", "acl_xattr");

        Assert.Equal(["acl_xattr", "default", "not_implemented", "posixacl"], facts.SambaVfsModules);
        var finding = Assert.Single(facts.Findings, f => f.Severity == FindingSeverity.Blocker);
        Assert.Equal("smbd here has no VFS module fileid, which smb.conf loads for every share: no share would open (install samba-vfs-modules).", finding.Message);
        Assert.Equal("apt-get install -y samba-vfs-modules", finding.FixCommand);
    }

    [Fact]
    public void ASambaWithFileid_HasNoBlocker_AndANodeWithoutSmbd_IsNotAskedForModules()
    {
        Assert.DoesNotContain(WithVfsModules("default", "fileid").Findings, f => f.Severity == FindingSeverity.Blocker);
        Assert.Null(ProbeReport.Parse(ProbeSamples.Debian12Bare, At).SambaVfsModules);
    }
    [Fact]
    public void TheDomainsLookup_NamesTheDcAndTheClockOffset_AndAFailedOneSambasWords()
    {
        var found = ProbeReport.Parse(ProbeSamples.Debian12WithPackages + """

            @@storageha:ad-domain
            asked: LAB.TEST
            LDAP server: 192.0.2.3
            LDAP server name: dc.lab.test
            Realm: LAB.TEST
            Bind Path: dc=LAB,dc=TEST
            LDAP port: 389
            Server time: Sun, 06 Dec 2026 10:40:00 UTC
            KDC server: 192.0.2.3
            Server time offset: -600
            Last machine account password change: Thu, 01 Jan 1970 00:00:00 UTC
            exit 0
            """, At);
        Assert.Equal(new DomainLookup("LAB.TEST", "dc.lab.test", "192.0.2.3", -600, null), found.Domain);
        Assert.Contains(found.Findings, f => f.Severity == FindingSeverity.Blocker && f.Message.StartsWith("This node's clock is 600 s ahead of the domain controller dc.lab.test's"));

        var missing = ProbeReport.Parse(ProbeSamples.Debian12WithPackages + """

            @@storageha:ad-domain
            asked: NOWHERE.TEST
            resolvers: 192.0.2.3 fd00::53 192.0.2.3
            ads_connect: No logon servers are currently available to service the logon request.
            Didn't find the ldap server!
            exit 255
            """, At);
        Assert.Equal(new DomainLookup("NOWHERE.TEST", null, null, null,
            "ads_connect: No logon servers are currently available to service the logon request. Didn't find the ldap server!"), missing.Domain! with { Resolvers = [] });
        Assert.Equal(["192.0.2.3", "fd00::53"], missing.Domain.Resolvers);
        Assert.Contains(missing.Findings, f => f.Severity == FindingSeverity.Blocker && f.Message.StartsWith("No domain controller of the Active Directory domain was found")
            && f.Message.Contains("The node's resolver (it asks 192.0.2.3, fd00::53) must answer"));
        Assert.Null(ProbeReport.Parse(ProbeSamples.Debian12WithPackages, At).Domain);
    }
}
