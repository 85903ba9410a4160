using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Tests.Probe;

/// <summary>
/// Each release's real os-release → its profile: the packages and repositories a bare node needs, the units and agents
/// the plan uses there, and what the probe tells the admin. Debian 12 is tested live too; the others only here.
/// </summary>
public sealed class DistributionTests
{
    private static readonly DateTimeOffset At = new(2024, 5, 6, 10, 0, 0, TimeSpan.Zero);

    private static NodeFacts Probed(string release) => ProbeReport.Parse(OsReleaseSamples.ProbeOutput(OsReleaseSamples.Named(release)), At);

    [Theory]
    [InlineData("Debian 12", "Debian 12", DistributionFamily.Debian, DistributionTesting.Live, true)]
    [InlineData("Ubuntu 22.04", "Ubuntu 22.04", DistributionFamily.Debian, DistributionTesting.OnPaper, true)]
    [InlineData("Ubuntu 24.04", "Ubuntu 24.04", DistributionFamily.Debian, DistributionTesting.OnPaper, true)]
    [InlineData("RHEL 9", "Red Hat Enterprise Linux 9", DistributionFamily.RedHat, DistributionTesting.OnPaper, false)]
    [InlineData("Rocky 9", "Rocky Linux 9", DistributionFamily.RedHat, DistributionTesting.OnPaper, false)]
    [InlineData("Alma 9", "AlmaLinux 9", DistributionFamily.RedHat, DistributionTesting.OnPaper, false)]
    public void EachReleasesOsRelease_GivesItsProfile_AndSaysWhetherItIsTestedLive(
        string release, string name, DistributionFamily family, DistributionTesting testing, bool defaultCluster)
    {
        var distribution = NodeOs.Of(Probed(release)).Distribution;

        Assert.Equal((name, family, testing), (distribution.Name, distribution.Family, distribution.Testing));
        // Debian's and Ubuntu's corosync package ships /etc/corosync/corosync.conf and starts a one-node cluster; RHEL's ships none.
        Assert.Equal(defaultCluster, distribution.DefaultClusterAfterInstall);
    }

    [Theory]
    [InlineData("Debian 12",
        "apt-get install -y pacemaker pcs corosync resource-agents ctdb samba samba-vfs-modules smbclient nfs-ganesha nfs-ganesha-vfs")]
    [InlineData("Ubuntu 22.04",
        "apt-get install -y pacemaker pcs corosync resource-agents-base resource-agents-extra ctdb samba samba-vfs-modules smbclient nfs-ganesha nfs-ganesha-vfs")]
    [InlineData("Ubuntu 24.04",
        "apt-get install -y pacemaker pcs corosync resource-agents-base resource-agents-extra ctdb samba samba-vfs-modules smbclient nfs-ganesha nfs-ganesha-vfs")]
    [InlineData("Rocky 9", "dnf install -y centos-release-nfs-ganesha5 && dnf --enablerepo=highavailability --enablerepo=resilientstorage install -y "
        + "pacemaker pcs corosync resource-agents ctdb samba samba-client nfs-ganesha nfs-ganesha-vfs")]
    [InlineData("Alma 9", "dnf install -y centos-release-nfs-ganesha5 && dnf --enablerepo=highavailability --enablerepo=resilientstorage install -y "
        + "pacemaker pcs corosync resource-agents ctdb samba samba-client nfs-ganesha nfs-ganesha-vfs")]
    public void ABareNode_IsGivenOneCommand_WithItsDistributionsPackageNames_AndTheRepositoriesTheyNeed(string release, string expected)
    {
        var facts = Probed(release);

        var missing = NodePackages.Missing(facts, ClusterPurpose.Both);

        Assert.Equal(expected, NodeOs.Of(facts).InstallCommand(missing.Select(p => p.Name)));
    }

    [Fact]
    public void ABareRhel9Node_GetsTheSubscriptionRepositoriesForSmb_AndNoCommandForGanesha_WhichRedHatDoesNotShip()
    {
        var facts = Probed("RHEL 9");
        var os = NodeOs.Of(facts);

        Assert.Equal(
            "subscription-manager repos --enable=rhel-9-for-$(arch)-highavailability-rpms --enable=rhel-9-for-$(arch)-resilientstorage-rpms"
            + " && dnf install -y pacemaker pcs corosync resource-agents ctdb samba samba-client",
            os.InstallCommand(NodePackages.Missing(facts, ClusterPurpose.Smb).Select(p => p.Name)));
        Assert.Null(os.InstallCommand(NodePackages.Missing(facts, ClusterPurpose.Both).Select(p => p.Name)));
        var ganesha = Assert.Single(facts.Findings, f => f.Message.StartsWith("nfs-ganesha is not installed", StringComparison.Ordinal));
        Assert.Null(ganesha.FixCommand);
        Assert.Contains("add the CentOS Storage SIG's NFS-Ganesha repository for EL9 (https://sigs.centos.org/storage/)", ganesha.Message);
    }

    [Theory]
    [InlineData("Debian 12", "systemd:smbd", "systemd:nmbd", new[] { "ctdb", "smbd", "nmbd", "winbind", "nfs-ganesha" })]
    [InlineData("Ubuntu 22.04", "systemd:smbd", "systemd:nmbd", new[] { "ctdb", "smbd", "nmbd", "winbind", "nfs-ganesha" })]
    [InlineData("Ubuntu 24.04", "systemd:smbd", "systemd:nmbd", new[] { "ctdb", "smbd", "nmbd", "winbind", "nfs-ganesha" })]
    [InlineData("RHEL 9", "systemd:smb", "systemd:nmb", new[] { "ctdb", "smb", "nmb", "winbind", "nfs-ganesha" })]
    [InlineData("Rocky 9", "systemd:smb", "systemd:nmb", new[] { "ctdb", "smb", "nmb", "winbind", "nfs-ganesha" })]
    [InlineData("Alma 9", "systemd:smb", "systemd:nmb", new[] { "ctdb", "smb", "nmb", "winbind", "nfs-ganesha" })]
    public void OnSystemd_SambaAndGaneshaRunAsTheDistributionsUnits_AndTheCluster_TakesOverThoseUnits(
        string release, string smbd, string nmbd, string[] units)
    {
        var agents = ServiceAgents.For([Probed(release), Probed(release)], out var warning);

        Assert.NotNull(agents);
        Assert.Null(warning);
        Assert.True(agents.Systemd);
        Assert.Equal((smbd, nmbd, "systemd:nfs-ganesha"), (agents.Smbd.Agent, agents.Nmbd.Agent, agents.Ganesha.Agent));
        Assert.All(new[] { agents.Smbd, agents.Nmbd, agents.Ganesha }, a => Assert.Empty(a.Options));
        Assert.Equal(units, agents.Units(smb: true, nfs: true));
        Assert.Equal(["corosync", "pacemaker"], agents.ClusterUnits);
    }

    [Theory]
    [InlineData("Debian 12", "smbd", "nmbd", "chrony")]
    [InlineData("Ubuntu 24.04", "smbd", "nmbd", "chrony")]
    [InlineData("RHEL 9", "smb", "nmb", "chronyd")]
    [InlineData("Alma 9", "smb", "nmb", "chronyd")]
    public void Units_NameEveryServiceTheConsoleStartsStopsOrHandsOver(string release, string smbd, string nmbd, string chrony)
    {
        var units = NodeOs.Of(Probed(release)).Units;

        Assert.Equal(new ServiceUnits(smbd, nmbd, "winbind", "ctdb", "nfs-ganesha", "corosync", "pacemaker", "pcsd", chrony), units);
    }

    [Fact]
    public void AnUbuntu2404Probe_AsksForResourceAgentsExtra_NotDebiansResourceAgents_AndStopsTheStraySmbdByItsUnit()
    {
        var facts = ProbeReport.Parse(ProbeSamples.Ubuntu2404, At);

        Assert.Equal("systemd", facts.InitProcess);
        Assert.Null(facts.Packages.Single(p => p.Name == "resource-agents").Version);
        Assert.Equal(
            [
                // Ubuntu ships no "resource-agents": -base has IPaddr2 and systemd, -extra the CTDB and anything agents.
                (FindingSeverity.Blocker, "apt-get install -y resource-agents-extra"),
                (FindingSeverity.Blocker, "apt-get install -y nfs-ganesha nfs-ganesha-vfs"),
                (FindingSeverity.Warning, "systemctl disable --now smbd nmbd"),
            ],
            facts.Findings.Select(f => (f.Severity, f.FixCommand)));
        Assert.StartsWith("resource-agents-extra is not installed: it holds the agents that start and watch VIPs and services.", facts.Findings[0].Message);
    }

    [Fact]
    public void ARocky9Probe_EnablesResilientStorageForCtdb_AndTheStorageSigReleasePackageForGanesha()
    {
        var output = ProbeSamples.Rhel9.Replace(OsReleaseSamples.Rhel94, OsReleaseSamples.Rocky94, StringComparison.Ordinal);

        var facts = ProbeReport.Parse(output, At);

        Assert.Equal("rocky", facts.OsId);
        Assert.Equal(
            [
                "dnf --enablerepo=resilientstorage install -y ctdb",
                "dnf install -y samba-client",
                "dnf install -y centos-release-nfs-ganesha5 && dnf install -y nfs-ganesha nfs-ganesha-vfs",
                "systemctl disable --now smb nmb",
                "dnf clean all && journalctl --vacuum-size=100M",
            ],
            facts.Findings.Select(f => f.FixCommand));
    }

    [Fact]
    public void TheProbe_AsksForEveryKnownDistributionsNames_Once()
    {
        Assert.Equal(
            ["pacemaker", "pcs", "corosync", "resource-agents", "resource-agents-base", "resource-agents-extra", "ctdb", "samba",
             "samba-vfs-modules", "smbclient", "samba-client", "nfs-ganesha", "winbind", "libnss-winbind", "samba-winbind", "samba-winbind-modules",
             "glusterfs-client", "kmod", "nfs-ganesha-gluster", "ceph-common", "nfs-common", "gfs2-utils", "dlm-controld", "glusterfs-fuse", "nfs-utils", "dlm"],
            NodeProbe.Packages);
    }

    [Theory]
    [InlineData("debian", null, "11", "debian 11", "apt-get install -y pacemaker")]
    [InlineData("ubuntu", "debian", "20.04", "ubuntu 20.04", "apt-get install -y pacemaker")]
    [InlineData("centos", "rhel fedora", "9", "centos 9", "dnf --enablerepo=highavailability install -y pacemaker")]
    [InlineData("rhel", "fedora", "8.10", "rhel 8.10", "subscription-manager repos --enable=rhel-8-for-$(arch)-highavailability-rpms && dnf install -y pacemaker")]
    public void AReleaseWithoutAProfile_GetsItsFamilysNames_MarkedUntested(string id, string? like, string version, string name, string install)
    {
        var distribution = new NodeOs(id, like, version).Distribution;

        Assert.Equal((name, DistributionTesting.FamilyOnly), (distribution.Name, distribution.Testing));
        Assert.Equal(install, distribution.InstallCommand(["pacemaker"]));
    }

    [Fact]
    public void AnUnknownDistribution_InstallsNothing_AndAsksOnlyForTheNamesAllShare()
    {
        var os = new NodeOs("slackware", null, "15.0");

        Assert.Null(os.Family);
        Assert.Null(os.InstallCommand(["pacemaker"]));
        Assert.False(os.DefaultClusterAfterInstall);
        Assert.Equal(["pacemaker", "pcs", "corosync", "resource-agents", "ctdb", "samba", "nfs-ganesha"],
            NodePackages.Needed(ClusterPurpose.Both, os).Select(p => p.Name));
    }
}
