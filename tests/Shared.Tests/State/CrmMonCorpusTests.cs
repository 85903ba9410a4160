using System.Text.RegularExpressions;
using StorageHa.Shared.State;

namespace StorageHa.Shared.Tests.State;

/// <summary>Real crm_mon output: Pacemaker's own regression suite (2.1.5 and 3.0) and a live 2.1.5 cluster.</summary>
public sealed partial class CrmMonCorpusTests
{
    public static TheoryData<string> ExpFiles => new(Corpus.ExpFiles);

    [Theory]
    [MemberData(nameof(ExpFiles))]
    public void EveryXmlDocument_Parses_WithoutDroppingANodeOrResource(string expFile)
    {
        var documents = Corpus.XmlDocuments(expFile);
        Assert.Equal(Regex.Count(Corpus.Read(expFile), "<pacemaker-result "), documents.Count);
        foreach (var (test, xml) in documents)
        {
            var state = CrmMonParser.Parse(xml);
            Assert.True(state.Format == CrmMonFormat.PacemakerResult, test);
            // Full node elements carry "online"; the <node> children of resources and attributes do not.
            Assert.True(Regex.Count(xml, @"<node name=""[^""]*"" id=""[^""]*"" online=") == state.Nodes.Count, test);
            if (xml.Contains("--group-by-node"))
                Assert.All(state.Nodes, node => Assert.Equal(node.ResourcesRunning, state.RunningOn(node.Name).Count()));
            else
                Assert.True(Regex.Count(xml, "<resource id=") == Primitives(state).Count(), test);
            Assert.True(Regex.Count(xml, "<ban id=") == state.Bans.Count, test);
            Assert.True(Regex.Count(xml, "<attribute name=") == state.NodeAttributes.Sum(n => n.Attributes.Count), test);
            Assert.True(Regex.Count(xml, "<failure op_key=") == state.Failures.Count, test);
            Assert.True(state.Summary.Stack == "corosync" && state.Summary.DcName == "cluster02", test);
        }
    }

    // Pairs of tests on the same CIB: the text output and the XML output, unfiltered.
    public static TheoryData<string, string, string> TextAndXml => new()
    {
        { Corpus.ExpFiles[0], "Basic text output", "XML output" },
        { Corpus.ExpFiles[0], "Complete text output with detail", "XML output" },
        { Corpus.ExpFiles[0], "Text output of partially active resources", "XML output of partially active resources" },
        { Corpus.ExpFiles[0], "Text output of active unmanaged resource on offline node", "XML output of active unmanaged resource on offline node" },
        { Corpus.ExpFiles[1], "Basic output", "Basic output (XML)" },
        { Corpus.ExpFiles[1], "Complete text output with detail", "Basic output (XML)" },
        { Corpus.ExpFiles[1], "Output of partially active resources", "Output of partially active resources (XML)" },
        { Corpus.ExpFiles[1], "Output of active unmanaged resource on offline node", "Output of active unmanaged resource on offline node (XML)" },
        { Corpus.ExpFiles[1], "Output of all resources with maintenance-mode enabled", "Output of all resources with maintenance-mode enabled (XML)" },
        { Corpus.ExpFiles[1], "Output of all resources with maintenance enabled for a node", "Output of all resources with maintenance enabled for a node (XML)" },
        { Corpus.ExpFiles[1], "Output of all resources with maintenance meta attribute true", "Output of all resources with maintenance meta attribute true (XML)" },
    };

    [Theory]
    [MemberData(nameof(TextAndXml))]
    public void ParsedState_ShowsTheNodesAndRunningInstancesTheTextOutputShows(string expFile, string textTest, string xmlTest)
    {
        var text = TextStatus.Read(Corpus.Block(expFile, textTest));
        var state = CrmMonParser.Parse(Corpus.XmlOf(expFile, xmlTest));

        Assert.Equal(text.OnlineNodes.Order(), state.Nodes.Where(n => n.Online).Select(n => n.Name).Order());
        // The text leaves out offline guest nodes; every offline cluster member is listed.
        Assert.Subset(state.Nodes.Where(n => !n.Online).Select(n => n.Name).ToHashSet(), text.OfflineNodes.ToHashSet());
        Assert.Superset(state.Nodes.Where(n => !n.Online && n.Kind == NodeKind.Member).Select(n => n.Name).ToHashSet(),
            text.OfflineNodes.ToHashSet());

        // A cloned group counts once per copy in the text's "Started: [ … ]"; here each has one member, so copies = rows.
        Assert.All(state.Resources.OfType<CloneSet>().SelectMany(c => c.Instances.OfType<ResourceGroup>()),
            group => Assert.Single(group.Members));
        Assert.Equal(Sorted(text.Running), Sorted(RunningAsTextShowsIt(state, text.BundlesExpanded)));
        Assert.NotEmpty(text.Running);
    }

    [Fact]
    public void LiveHealthyCluster_HasItsDcQuorumNodesAndVips()
    {
        var state = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-3node-healthy.xml"));

        Assert.Equal("2.25", state.Version);
        Assert.Equal("corosync", state.Summary.Stack);
        Assert.True(state.Summary.DcPresent);
        Assert.Equal("node3", state.Summary.DcName);
        Assert.True(state.Summary.HasQuorum);
        Assert.Equal("running", state.Summary.PacemakerdState);
        Assert.Equal(false, state.Summary.FencingEnabled);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 52, 21, TimeSpan.Zero), CrmTime.Parse(state.Summary.LastUpdate));
        Assert.Equal(["node1", "node2", "node3"], state.Nodes.Select(n => n.Name));
        Assert.All(state.Nodes, node => Assert.Equal(NodeStatus.Online, node.Status));
        Assert.True(state.Node("node3")!.IsDc);
        Assert.Equal([("vip1", "node2"), ("vip2", "node3"), ("vip3", "node1")],
            state.VirtualIps.Select(vip => (vip.Id, vip.Node!)));
        Assert.Equal(["dummy1", "vip3"], state.RunningOn("node1").Select(i => i.Id));
        Assert.Empty(state.Failures);
    }

    [Fact]
    public void LiveClusterWithAFailedDummy_ReportsTheFailureWithItsReason()
    {
        var state = CrmMonParser.Parse(Corpus.Read("live-2.1.5/live-3node-failed-dummy.xml"));

        Assert.True(state.Summary.DcPresent);
        Assert.Equal("corosync", state.Summary.Stack);
        var failure = Assert.Single(state.Failures);
        Assert.Equal("dummy1", failure.Resource);
        Assert.Equal("node1", failure.Node);
        Assert.Equal("asyncmon", failure.Task);
        Assert.Equal("Simulated failure", failure.ExitReason);
        Assert.Equal("error", failure.ExitStatus);
        Assert.Equal(1, failure.ExitCode);
        Assert.Equal(8, failure.Call);
        Assert.Equal("complete", failure.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 52, 28, TimeSpan.Zero), failure.LastRcChangeTime);
        Assert.Equal("node1", state.WhereRuns("dummy1"));
    }

    [Fact]
    public void PromotableCloneBundleAndClonedGroup_AreReadAsTheirTree()
    {
        var state = CrmMonParser.Parse(Corpus.XmlOf(Corpus.ExpFiles[1], "Basic output (XML)"));

        var promotable = Assert.IsType<CloneSet>(state.Resources.Single(r => r.Id == "promotable-clone"));
        Assert.True(promotable.Promotable);
        Assert.Equal([ResourceRole.Promoted, ResourceRole.Unpromoted, ResourceRole.Stopped, ResourceRole.Stopped, ResourceRole.Stopped],
            promotable.Instances.Cast<PrimitiveResource>().Select(p => p.Role));
        var bundle = Assert.IsType<ResourceBundle>(state.Resources.Single(r => r.Id == "httpd-bundle"));
        Assert.Equal(("docker", "pcmk:http", 3), (bundle.ContainerType, bundle.Image, bundle.Replicas.Count));
        Assert.Equal(["cluster01"], bundle.Replicas[0].Resources[0].Nodes);
        var clonedGroup = Assert.IsType<CloneSet>(state.Resources.Single(r => r.Id == "mysql-clone-group"));
        Assert.Equal(["mysql-group:0", "mysql-group:1", "mysql-group:2", "mysql-group:3", "mysql-group:4"],
            clonedGroup.Instances.Select(i => i.Id));
        var disabled = Assert.IsType<ResourceGroup>(state.Resources.Single(r => r.Id == "inactive-group"));
        Assert.True(disabled.Disabled);
        Assert.Equal(ResourceRole.Stopped, disabled.Members[0].TargetRole);
        Assert.Equal(new LocationBan("not-on-cluster1", "dummy", "cluster01", -1_000_000, false), Assert.Single(state.Bans));
        Assert.Equal(true, state.Summary.FencingEnabled); // Pacemaker 3 says fencing-enabled
        var guest = state.Node("httpd-bundle-0")!;
        Assert.Equal((NodeKind.Remote, "httpd-bundle-docker-0", true), (guest.Kind, guest.Container, guest.IsGuest));
        Assert.Equal("httpd-bundle-ip-192.168.122.131", state.VirtualIps[0].Id);
        Assert.Equal(("httpd-bundle", "0"), (state.VirtualIps[0].Bundle, state.VirtualIps[0].Replica));
    }

    [Fact]
    public void GroupedByNodeOutput_KeepsEveryRunningResourceOnItsNode()
    {
        var state = CrmMonParser.Parse(Corpus.XmlOf(Corpus.ExpFiles[0], "XML output grouped by node"));

        foreach (var node in state.Nodes)
            Assert.Equal(node.ResourcesRunning, state.RunningOn(node.Name).Count());
    }

    [Fact]
    public void MaintenanceModeAndUnmanagedResources_AreReported()
    {
        var state = CrmMonParser.Parse(Corpus.XmlOf(Corpus.ExpFiles[0], "XML output of active unmanaged resource on offline node"));

        Assert.True(state.Summary.MaintenanceMode);
        Assert.All(state.Instances, instance => Assert.False(instance.Managed));
        Assert.Equal(NodeStatus.Offline, state.Node("cluster02")!.Status);
        Assert.Equal("cluster02", state.WhereRuns("rsc2"));
    }

    [Fact]
    public void ACibFile_IsRefused_SayingItIsACibNotCrmMonOutput()
    {
        var error = Assert.Throws<CrmMonParseException>(() => CrmMonParser.Parse(Corpus.Read("pacemaker-2.1.5/crm_mon.xml")));

        Assert.Contains("<cib>", error.Message);
        Assert.Contains("run crm_mon on it", error.Message);
    }

    private static IEnumerable<PrimitiveResource> Primitives(ClusterState state) =>
        state.Resources.SelectMany(Primitives);

    private static IEnumerable<PrimitiveResource> Primitives(ClusterResource resource) => resource switch
    {
        PrimitiveResource p => [p],
        ResourceGroup g => g.Members,
        CloneSet c => c.Instances.SelectMany(Primitives),
        ResourceBundle b => b.Replicas.SelectMany(r => r.Resources),
        _ => [],
    };

    private static IEnumerable<(string Role, string Node)> RunningAsTextShowsIt(ClusterState state, bool bundlesExpanded)
    {
        foreach (var instance in state.Instances.Where(i => i.IsRunning && (bundlesExpanded || i.Bundle is null)))
            yield return (instance.Failed ? "FAILED" : instance.Role.ToString(), instance.Node!);
        if (bundlesExpanded) yield break;
        // Brief form: one line per running replica, on the node that hosts its container.
        foreach (var replica in state.Resources.OfType<ResourceBundle>().SelectMany(b => b.Replicas))
            if (replica.Resources.FirstOrDefault(r => r.Agent is "ocf:heartbeat:docker" or "ocf:heartbeat:podman") is { Nodes: [var host, ..] })
                yield return ("Started", host);
    }

    private static List<(string, string)> Sorted(IEnumerable<(string, string)> rows) => rows.Order().ToList();
}
