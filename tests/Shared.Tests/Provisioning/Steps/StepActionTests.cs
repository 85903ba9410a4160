using System.Xml.Linq;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Tests.Provisioning.Steps;

/// <summary>Each kind of step derives its command, its check and its standard input from what it is, in one place.</summary>
public class StepActionTests
{
    private static readonly CibSubject Vip = new(CibSubjectKind.VirtualIp, "vip-192.0.2.101", "vip-192.0.2.101");
    private static readonly XElement Primitive = XElement.Parse("<primitive id='vip-192.0.2.101' class='ocf' provider='heartbeat' type='IPaddr2'/>");

    [Fact]
    public void AFileWritten_WritesStdinAtomicallyWithItsMode_AndIsDoneWhenTheFileHoldsExactlyThat()
    {
        var write = new WriteFile("/etc/corosync/corosync.conf", "644", StepInput.Of("totem {}\n"));

        Assert.Equal(NodeCommands.WriteFile("/etc/corosync/corosync.conf", "644", ConfigFiles.OriginalsDirectory), write.Argv);
        Assert.Equal(NodeCommands.FileIs("/etc/corosync/corosync.conf", "644"), Assert.IsType<CommandCheck>(write.Check).Argv);
        Assert.Equal("totem {}\n", write.Input.Text);
    }

    [Fact]
    public void AFileSeeded_IsWrittenOnlyWhereNoneExists_SoANodeThatHasOneKeepsIt()
    {
        var seed = new SeedFile("/var/lib/pacemaker/cib/cib.xml", "hacluster:haclient", StepInput.Of("<cib/>"));

        Assert.Equal(NodeCommands.SeedFile("/var/lib/pacemaker/cib/cib.xml", "hacluster:haclient"), seed.Argv);
        Assert.Equal(["test", "-e", "/var/lib/pacemaker/cib/cib.xml"], seed.Check.Argv);
    }

    [Fact]
    public void TheNodeHelperInstall_ProvesTheHelperRuns_AndHasNoCommandCheck_ItsFilesAreComparedBySha256()
    {
        var install = new InstallNodeHelper();

        Assert.Equal([NodeHelperFiles.Binary, "version"], install.Argv);
        Assert.Null(install.Check);
    }

    [Theory]
    [InlineData(ReloadedConfig.Corosync, "/etc/corosync/corosync.conf", "corosync-cfgtool")]
    [InlineData(ReloadedConfig.CtdbNodes, "/etc/ctdb/nodes", "ctdb")]
    public void AConfigReload_TellsTheRunningDaemon_AndIsDoneWhenItLoadedThisVersion(ReloadedConfig config, string file, string tool)
    {
        var reload = new ReloadConfig(config);

        Assert.Contains(file, reload.Argv);
        Assert.Contains(tool, reload.Argv);
        Assert.Equal("cmp", reload.Check.Argv[0]);
        Assert.Equal(file, reload.Check.Argv[2]);
    }

    [Fact]
    public void StartingAndStoppingTheCluster_AreChecked_ByWhetherItRuns()
    {
        Assert.Equal(NodeCommands.StartCluster, new StartCluster().Argv);
        Assert.Equal(NodeCommands.ClusterRunning, new StartCluster().Check.Argv);
        Assert.Equal(NodeCommands.StopCluster, new StopCluster().Argv);
        Assert.Equal(NodeCommands.ClusterStopped, new StopCluster().Check.Argv);
    }

    [Fact]
    public void AWaitForTheCluster_ReadsCrmMon_AndIsDoneWhenItsConditionHolds()
    {
        var quorate = new QuorateWithOnline(["node1", "node2", "node3"]);
        var wait = new WaitForCluster(quorate, 120);

        Assert.Equal(["crm_mon", "-1", "--output-as=xml"], wait.Argv);
        Assert.Same(quorate, Assert.IsType<ClusterCheck>(wait.Check).Condition);
        Assert.Equal(wait.Argv, wait.Check.Argv);
    }

    [Fact]
    public void AShareImport_SendsItsSectionOnStdin_AndIsDoneWhenTheRegistryHoldsExactlyIt()
    {
        var import = new ImportShare("public", "[public]\n\tpath = /srv/public\n");

        Assert.Equal(NodeCommands.ImportShare("public"), import.Argv);
        Assert.Equal(NodeCommands.ShareIs("public"), import.Check.Argv);
        Assert.Equal("[public]\n\tpath = /srv/public\n", import.Input.Text);
    }

    [Fact]
    public void TheServeCheck_AlwaysRuns()
    {
        var serve = new CheckServing(["bash", "-c", "true"]);

        Assert.Equal(["bash", "-c", "true"], serve.Argv);
        Assert.Null(serve.Check);
    }

    [Fact]
    public void TheBatch_FetchesIntoItsCopyAndTheOriginal_AndPushesOnlyTheDifference()
    {
        Assert.Equal(NodeScript.Named("fetch-cib").Command("cib-original.xml", "cib.xml"), new FetchCib().Argv);
        Assert.Equal(["pcs", "cluster", "cib-push", "cib.xml", "diff-against=cib-original.xml"], new PushCib().Argv);
    }

    [Fact]
    public void AnUpsert_WritesItsElementToTheCopy_AndIsDoneWhenItsXPathFindsIt()
    {
        var upsert = new UpsertCibElement(Vip, "resources", Primitive, "//primitive[@id='vip-192.0.2.101']");

        Assert.Equal(["env", "CIB_file=cib.xml", "cibadmin", "--modify", "--allow-create", "--scope", "resources", "--xml-text",
            """<primitive id="vip-192.0.2.101" class="ocf" provider="heartbeat" type="IPaddr2" />"""], upsert.Argv);
        Assert.Equal(["env", "CIB_file=cib.xml", "cibadmin", "--query", "--xpath", "//primitive[@id='vip-192.0.2.101']"], upsert.Check.Argv);
        Assert.Same(Primitive, upsert.Written);
    }

    [Fact]
    public void AReplacement_SwapsWhatItsXPathSelects()
    {
        var replace = new ReplaceCibElement(Vip with { Kind = CibSubjectKind.VipSettings }, "//primitive[@id='x']/instance_attributes",
            XElement.Parse("<instance_attributes id='x-ia'/>"), "//primitive[@id='x']");

        Assert.Equal(["env", "CIB_file=cib.xml", "cibadmin", "--replace", "--xpath", "//primitive[@id='x']/instance_attributes", "--xml-text",
            """<instance_attributes id="x-ia" />"""], replace.Argv);
        Assert.Equal("instance_attributes", replace.Written.Name.LocalName);
    }

    [Fact]
    public void ARemoval_DeletesWhateverItsXPathSelects_AndWritesNothing()
    {
        var remove = new RemoveFromCib(new(CibSubjectKind.Other, "stale"), "//rsc_order[@id='o']", "/cib/configuration/constraints[not(rsc_order[@id='o'])]");

        Assert.Equal(["env", "CIB_file=cib.xml", "cibadmin", "--delete-all", "--force", "--xpath", "//rsc_order[@id='o']"], remove.Argv);
        Assert.Null(remove.Written);
    }

    [Fact]
    public void APcsEditOfTheCopy_NamesTheResourceItCreates()
    {
        var fence = new PcsOnCib(new(CibSubjectKind.Other, "fence-ipmi"), "fence-ipmi", ["stonith", "create", "fence-ipmi", "fence_ipmilan"], "//primitive[@id='fence-ipmi']");

        Assert.Equal(["pcs", "-f", "cib.xml", "stonith", "create", "fence-ipmi", "fence_ipmilan"], fence.Argv);
        Assert.Equal("fence-ipmi", fence.ResourceId);
    }

    [Fact]
    public void EveryKind_HasItsOwnNameForOutsideClients()
    {
        StepAction[] kinds =
        [
            new NodeCommand(["true"]), new WriteFile("/f", "644", StepInput.Of("")), new SeedFile("/f", "root", StepInput.Of("")), new InstallNodeHelper(),
            new ReloadConfig(ReloadedConfig.Corosync), new StartCluster(), new StopCluster(), new WaitForCluster(new QuorateWithOnline(["node1"]), 1),
            new ImportShare("s", ""), new CheckServing(["true"]), new CheckMounted("/srv", 0), new FetchCib(), new PushCib(),
        ];

        Assert.Equal(kinds.Length, kinds.Select(k => k.Kind).Distinct().Count());
    }
}
