using System.Diagnostics;

namespace StorageHa.NodeHelper.Tests.Cluster;

/// <summary>cluster-state reads crm_mon's XML with the console's parser and says whether the cluster is formed as asked.</summary>
public sealed class ClusterStateCommandTests : IDisposable
{
    private readonly string _xml = Path.Combine(Directory.CreateTempSubdirectory("storageha-cluster-state-").FullName, "crm_mon.xml");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_xml)!, recursive: true);

    [Fact]
    public void AQuorateClusterWithEveryNamedNodeOnline_Exits0_AndSaysSoInOneLine()
    {
        File.WriteAllText(_xml, CrmMon(dc: "node1", quorum: true, ("node1", true), ("node2", true), ("node3", true)));

        var run = CliRun.Of("cluster-state", "--online", "node1,node2,node3", "--from", _xml);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("quorate, DC node1; online: node1 node2 node3\n", run.Output);
    }

    [Theory]
    [InlineData(null, false, "no quorum")]
    [InlineData("node1", false, "no quorum")]
    [InlineData("node1", true, "quorate, but not online: node3")]
    public void AClusterShortOfThat_Exits1_SayingWhatIsMissing(string? dc, bool quorum, string missing)
    {
        File.WriteAllText(_xml, CrmMon(dc, quorum, ("node1", true), ("node2", true), ("node3", false)));

        var run = CliRun.Of("cluster-state", "--online", "node1,node2,node3", "--from", _xml);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"storageha-node cluster-state: not quorate with node1, node2, node3 online after 0 s: {missing} (", run.Error);
        Assert.Contains("offline: node3", run.Error);
    }

    [Fact]
    public void WithoutACondition_AnyClusterThatCanBeRead_Exits0()
    {
        File.WriteAllText(_xml, CrmMon(dc: "node2", quorum: false, ("node1", false), ("node2", true)));

        var run = CliRun.Of("cluster-state", "--from", _xml);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("no quorum, DC node2; online: node2; offline: node1\n", run.Output);
    }

    [Fact]
    public async Task Wait_ReturnsOnceTheClusterIsFormed_NotAtTheEndOfTheWait()
    {
        File.WriteAllText(_xml, CrmMon(dc: null, quorum: false, ("node1", true), ("node2", false)));
        var clock = Stopwatch.StartNew();

        var waiting = Task.Run(() => CliRun.Of("cluster-state", "--online", "node1,node2", "--wait", "60", "--from", _xml));
        await Task.Delay(1000);
        Assert.False(waiting.IsCompleted, "cluster-state returned before the cluster formed");
        File.WriteAllText(_xml + ".new", CrmMon(dc: "node1", quorum: true, ("node1", true), ("node2", true)));
        File.Move(_xml + ".new", _xml, overwrite: true);
        var run = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, run.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Wait_GivesUpAfterItsSeconds_WithTheLastReason()
    {
        File.WriteAllText(_xml, CrmMon(dc: "node1", quorum: true, ("node1", true), ("node2", false)));
        var clock = Stopwatch.StartNew();

        var run = CliRun.Of("cluster-state", "--online", "node1,node2", "--wait", "1", "--from", _xml);

        Assert.Equal(1, run.ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        Assert.Contains("after 1 s: quorate, but not online: node2", run.Error);
    }

    [Fact]
    public void OutputThatIsNotCrmMons_Exits1_WithTheParsersReason()
    {
        File.WriteAllText(_xml, "<cib epoch=\"1\"/>");

        var run = CliRun.Of("cluster-state", "--from", _xml);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("storageha-node cluster-state: Not crm_mon output: the document is <cib>", run.Error);
    }

    [Theory]
    [InlineData("--wait -1", "--wait: '-1' is not a number of seconds")]
    [InlineData("--online", "--online needs a value")]
    [InlineData("--quorate-with 3", "unknown option '--quorate-with'")]
    public void BadArguments_AreRefusedWithExit2(string arguments, string message)
    {
        var run = CliRun.Of(["cluster-state", .. arguments.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"storageha-node cluster-state: {message}", run.Error);
        Assert.Contains("usage: storageha-node cluster-state", run.Error);
    }

    /// <summary>A crm_mon --output-as=xml document with just what the condition reads: the DC, quorum, the nodes.</summary>
    private static string CrmMon(string? dc, bool quorum, params (string Name, bool Online)[] nodes) => $"""
        <pacemaker-result api-version="2.30" request="crm_mon -1 --output-as=xml">
          <summary>
            <stack type="corosync"/>
            {(dc is null ? "<current_dc present=\"false\"/>" : $"<current_dc present=\"true\" version=\"2.1.5\" name=\"{dc}\" id=\"1\" with_quorum=\"{(quorum ? "true" : "false")}\"/>")}
            <nodes_configured number="{nodes.Length}"/>
            <resources_configured number="0" disabled="0" blocked="0"/>
          </summary>
          <nodes>
            {string.Concat(nodes.Select((n, i) => $"<node name=\"{n.Name}\" id=\"{i + 1}\" online=\"{(n.Online ? "true" : "false")}\" standby=\"false\" maintenance=\"false\" pending=\"false\" unclean=\"false\" shutdown=\"false\" expected_up=\"true\" is_dc=\"{(n.Name == dc ? "true" : "false")}\" resources_running=\"0\" type=\"member\"/>"))}
          </nodes>
          <resources/>
          <status code="0" message="OK"/>
        </pacemaker-result>
        """;
}
