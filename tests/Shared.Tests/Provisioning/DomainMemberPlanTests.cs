using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>
/// The plan of a cluster that joins an Active Directory domain: every node prepared (Kerberos, NSS), the domain's settings
/// written once into the registry CTDB replicates, one join with the administrator given at apply time, winbind between
/// CTDB and Samba; and the nodes that cannot join named with the reason.
/// </summary>
public sealed class DomainMemberPlanTests
{
    private static readonly ActiveDirectorySpec Lab = new() { Realm = "LAB.TEST", Workgroup = "LAB" };
    private static readonly ClusterSpec Spec = SpecExamples.ThreeNodes() with { Identity = new() { Mode = IdentityMode.ActiveDirectory, ActiveDirectory = Lab } };

    private static IReadOnlyDictionary<string, NodeFacts> Members(ClusterSpec spec, DomainLookup? lookup = null) =>
        SpecExamples.FactsFor(spec).ToDictionary(f => f.Key, f => f.Value with { Domain = lookup ?? new("LAB.TEST", "dc.lab.test", "192.0.2.5", 0, null) });

    private static List<string> Ids(Plan plan) => plan.Steps.Select(s => s.Id).ToList();

    [Fact]
    public void EveryNode_GetsKerberosAndWinbindNss_BeforeTheClusterStarts()
    {
        var plan = PlanBuilder.Build(Spec, Members(Spec));

        Assert.Empty(plan.Blockers);
        var ids = Ids(plan);
        Assert.True(ids.IndexOf("krb5-conf") < ids.IndexOf("start-cluster"));
        Assert.True(ids.IndexOf("nss-winbind") < ids.IndexOf("start-cluster"));
        var krb5 = plan.Steps.Single(s => s.Id == "krb5-conf");
        Assert.Equal(StepTarget.AllNodes, krb5.Target);
        Assert.Contains("default_realm = LAB.TEST", krb5.Input!.Text);
        Assert.Contains(".lab.test = LAB.TEST", krb5.Input.Text);
        Assert.Contains("rdns = false", krb5.Input.Text);
    }

    [Fact]
    public void TheDomainSettingsAndTheJoin_RunOnceOnOneNode_AfterCtdbIsHealthy_AndBeforeTheShares()
    {
        var plan = PlanBuilder.Build(Spec, Members(Spec));
        var ids = Ids(plan);

        Assert.True(ids.IndexOf("ctdb-healthy") < ids.IndexOf("domain-settings"));
        Assert.True(ids.IndexOf("domain-settings") < ids.IndexOf("domain-join"));
        Assert.True(ids.IndexOf("domain-join") < ids.IndexOf("share-data"));
        var settings = plan.Steps.Single(s => s.Id == "domain-settings");
        var join = plan.Steps.Single(s => s.Id == "domain-join");
        Assert.Equal(StepTarget.On("node1"), settings.Target);
        Assert.Equal(StepTarget.On("node1"), join.Target);
        Assert.Equal(["security = ads", "realm = LAB.TEST", "workgroup = LAB", "idmap config * : backend = autorid",
            "idmap config * : range = 1000000-1999999999", "idmap config * : rangesize = 1000000"], settings.Input!.Text!.Split('\n').Take(6));
        Assert.Contains("winbind use default domain = no", settings.Input.Text);
    }

    [Fact]
    public void TheJoin_ReadsTheAdministratorFromASecretGivenAtApply_NeverFromTheSpecOrArgv()
    {
        var join = PlanBuilder.Build(Spec, Members(Spec)).Steps.Single(s => s.Id == "domain-join");

        Assert.Equal(PlanBuilder.DomainAdministrator, join.Input!.Secret);
        Assert.Null(join.Input.Text);
        Assert.Equal(NodeCommands.DomainJoined, ((NodeCommand)join.Action).Check!.Argv);
        Assert.Contains("LAB.TEST", join.Argv);
    }

    [Fact]
    public void TheAdministrator_IsCheckedWithTheDomainBeforeAnythingChanges_WhenGivenAndTheClusterIsNotJoined()
    {
        var plan = PlanBuilder.Build(Spec, Members(Spec));

        Assert.Equal(["software", "domain-credentials", "node-helper"], Ids(plan).Take(3));
        var check = plan.Steps.Single(s => s.Id == "domain-credentials");
        Assert.Equal(StepTarget.On("node1"), check.Target);
        Assert.Equal(new StepInput(null, PlanBuilder.DomainAdministrator, SecretOptional: true), check.Input);
        Assert.Equal(NodeCommands.CheckDomainAdministrator("LAB.TEST", "LAB"), check.Argv);
        Assert.Equal(NodeCommands.DomainJoined, ((NodeCommand)check.Action).Check!.Argv);
    }

    [Fact]
    public void TheVips_AreRegisteredInDnsUnderTheClustersName_OnlyWhenAsked()
    {
        Assert.DoesNotContain(PlanBuilder.Build(Spec, Members(Spec)).Steps, s => s.Id == "domain-dns");
        var registering = Spec with { Identity = Spec.Identity with { ActiveDirectory = Lab with { RegisterVipsInDns = true } } };

        var plan = PlanBuilder.Build(registering, Members(registering));

        var ids = Ids(plan);
        Assert.Equal(["domain-join", "winbind-ready-node1", "winbind-ready-node2", "winbind-ready-node3", "domain-dns"], ids.Skip(ids.IndexOf("domain-join")).Take(5));
        var dns = plan.Steps.Single(s => s.Id == "domain-dns");
        Assert.Equal(["set", "lab.lab.test", "192.0.2.101", "192.0.2.102"], dns.Argv.TakeLast(4));
        Assert.Equal(["check", "lab.lab.test", "192.0.2.101", "192.0.2.102"], ((NodeCommand)dns.Action).Check!.Argv.TakeLast(4));
    }

    [Fact]
    public void RidIdmap_KeepsTheDefaultDomainInTdb_AndGivesTheJoinedDomainItsOwnRange()
    {
        var rid = Spec with { Identity = Spec.Identity with { ActiveDirectory = Lab with { Idmap = IdmapBackend.Rid, IdmapRange = new(3_000_000, 3_999_999), DomainRange = new(10_000_000, 19_999_999) } } };

        var settings = PlanBuilder.Build(rid, Members(rid)).Steps.Single(s => s.Id == "domain-settings").Input!.Text!;

        Assert.Contains("idmap config * : backend = tdb\nidmap config * : range = 3000000-3999999\n", settings);
        Assert.Contains("idmap config LAB : backend = rid\nidmap config LAB : range = 10000000-19999999\n", settings);
    }

    [Fact]
    public void Winbind_RunsAsACloneBetweenCtdbAndSamba()
    {
        var plan = PlanBuilder.Build(Spec, Members(Spec));
        var cib = plan.CibEdits.Select(e => e.Written).OfType<System.Xml.Linq.XElement>().ToList();

        var clone = Assert.Single(cib, e => e.Name == "clone" && (string?)e.Attribute("id") == ResourceIds.WinbindClone);
        Assert.Equal("lsb", (string?)clone.Element("primitive")!.Attribute("class"));
        Assert.Contains(cib, e => e.Name == "rsc_order" && (string?)e.Attribute("first") == ResourceIds.CtdbClone && (string?)e.Attribute("then") == ResourceIds.WinbindClone);
        Assert.Contains(cib, e => e.Name == "rsc_order" && (string?)e.Attribute("first") == ResourceIds.WinbindClone && (string?)e.Attribute("then") == ResourceIds.SambaClone(false));
        Assert.Contains(cib, e => e.Name == "rsc_colocation" && (string?)e.Attribute("rsc") == ResourceIds.WinbindClone && (string?)e.Attribute("with-rsc") == ResourceIds.CtdbClone);
    }

    [Fact]
    public void AGuestCluster_HasNoneOfIt()
    {
        var guest = Spec with { Identity = new() };
        var plan = PlanBuilder.Build(guest, SpecExamples.FactsFor(guest));

        Assert.DoesNotContain(Ids(plan), id => id.StartsWith("domain-", StringComparison.Ordinal) || id is "krb5-conf" or "nss-winbind" or "cib-winbind");
    }

    [Fact]
    public void ANodeWithoutWinbind_IsABlocker_NamingThePackagesAndTheirInstall()
    {
        var facts = Members(Spec).ToDictionary(f => f.Key, f => f.Key == "node2"
            ? f.Value with { Packages = [.. f.Value.Packages.Where(p => p.Name is not ("winbind" or "libnss-winbind"))] } : f.Value);

        var plan = PlanBuilder.Build(Spec, facts);

        var blocker = Assert.Single(plan.Blockers);
        Assert.StartsWith("node2 lacks winbind, libnss-winbind", blocker);
        Assert.Contains("apt-get install -y winbind libnss-winbind", blocker);
    }

    [Fact]
    public void ANodeThatFindsNoDomainController_IsABlocker_SayingWhatSambaSaid()
    {
        var plan = PlanBuilder.Build(Spec, Members(Spec, new DomainLookup("LAB.TEST", null, null, null, "Didn't find the ldap server!")));

        Assert.Equal(3, plan.Blockers.Count);
        Assert.All(plan.Blockers, b => Assert.Contains("No domain controller of the Active Directory domain was found from this node: Didn't find the ldap server!", b));
        Assert.Contains("resolv.conf", plan.Blockers[0]);
    }

    [Fact]
    public void ANodeAskingOtherDnsServersThanTheDomains_IsAWarningNamingBoth_NotABlocker()
    {
        var withDns = Spec with { Identity = Spec.Identity with { ActiveDirectory = Lab with { DnsServers = ["192.0.2.3"] } } };
        var elsewhere = new DomainLookup("LAB.TEST", "dc.lab.test", "192.0.2.3", 0, null) { Resolvers = ["10.9.9.9"] };
        var domains = new DomainLookup("LAB.TEST", "dc.lab.test", "192.0.2.3", 0, null) { Resolvers = ["10.9.9.9", "192.0.2.3"] };

        var warned = PlanBuilder.Build(withDns, Members(withDns, elsewhere));
        var asked = PlanBuilder.Build(withDns, Members(withDns, domains));
        var notChecked = PlanBuilder.Build(Spec, Members(Spec, elsewhere));

        Assert.Empty(warned.Blockers);
        Assert.Equal(3, warned.Warnings.Count(w => w.Contains("asks 10.9.9.9 for names, none of the domain's DNS servers (192.0.2.3)")));
        Assert.Contains(warned.Warnings, w => w.StartsWith("node2 asks") && w.Contains("Point node2's /etc/resolv.conf"));
        Assert.DoesNotContain(asked.Warnings, w => w.Contains("none of the domain's DNS servers"));
        Assert.DoesNotContain(notChecked.Warnings, w => w.Contains("none of the domain's DNS servers"));
    }

    [Fact]
    public void AClockFurtherOffThanKerberosAllows_IsABlocker_ALittleDriftAWarningOfTheProbe()
    {
        var skewed = PlanBuilder.Build(Spec, Members(Spec, new DomainLookup("LAB.TEST", "dc.lab.test", "192.0.2.5", 600, null)));
        Assert.Equal(3, skewed.Blockers.Count);
        Assert.Contains("600 s behind the domain controller dc.lab.test's: Kerberos refuses more than 300 s", skewed.Blockers[0]);

        Assert.Empty(PlanBuilder.Build(Spec, Members(Spec, new DomainLookup("LAB.TEST", "dc.lab.test", "192.0.2.5", 90, null))).Blockers);
        Assert.Contains(ProbeFindings.DomainFindings(new DomainLookup("LAB.TEST", "dc.lab.test", null, -90, null)),
            f => f.Severity == FindingSeverity.Warning && f.Message.Contains("90 s off"));
    }

    [Fact]
    public void ANodeProbedBeforeTheClusterWasToJoin_MustBeProbedAgain()
    {
        var plan = PlanBuilder.Build(Spec, SpecExamples.FactsFor(Spec));

        Assert.Equal(3, plan.Blockers.Count);
        Assert.Contains("node1 was last probed before the cluster was to join LAB.TEST: probe it again", plan.Blockers[0]);
    }

    [Fact]
    public void Teardown_LeavesTheDomainWithTheAdministrator_OrSaysWhichMachineAccountToDelete()
    {
        var facts = Members(Spec);

        var leaving = LifecyclePlans.Teardown(Spec, facts, leaveDomain: true);
        Assert.Equal(["ctdb-healthy", "domain-leave"], leaving.Steps.Take(2).Select(s => s.Id));
        Assert.Equal(PlanBuilder.DomainAdministrator, leaving.Steps[1].Input!.Secret);
        Assert.Contains(ResourceIds.WinbindClone, leaving.Steps.Single(s => s.Id == "stop-resources").Argv);
        Assert.Contains("/etc/krb5.conf", leaving.Steps.Single(s => s.Id == "restore-files").Argv);
        Assert.Contains("/etc/nsswitch.conf", leaving.Steps.Single(s => s.Id == "restore-files").Argv);

        var staying = LifecyclePlans.Teardown(Spec, facts);
        Assert.DoesNotContain(staying.Steps, s => s.Id == "domain-leave");
        Assert.Contains(staying.Warnings, w => w.Contains("machine account 'LAB$' stays in LAB.TEST") && w.Contains("samba-tool computer delete LAB$"));
    }
}
