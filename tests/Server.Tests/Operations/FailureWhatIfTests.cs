using StorageHa.Server.Operations;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Operations;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Operations;

/// <summary>"Simulate the failure of node X" on a real CIB (Pacemaker's own regression CIB) with the real crm_simulate.</summary>
public sealed class FailureWhatIfTests
{
    private static readonly string Cib = File.ReadAllText(Path.Combine(CorpusFolder(), "pacemaker-2.1.5", "crm_mon.xml"));

    [Fact]
    public async Task FailingANode_ShowsWhatWouldMoveToTheSurvivor_WithPacemakersTransition()
    {
        var state = await StateOfAsync(Cib);
        var dummyOn = state.WhereRuns("dummy");
        Assert.Equal("cluster02", dummyOn);

        var simulation = await FailureWhatIf.RunAsync(Cib, state, new SimulatedFailure(["cluster02"]), CancellationToken.None);

        Assert.Equal(["cluster02"], simulation.FailedNodes);
        // Pacemaker's own answer for this CIB: the group follows to the survivor, and dummy stops rather than run there.
        Assert.Contains(simulation.Moves, m => m.Description == "Public-IP: cluster02 → cluster01");
        Assert.Contains(simulation.Moves, m => m.Description == "Email: cluster02 → cluster01");
        Assert.Contains(simulation.Moves, m => m.Description == "dummy: cluster02 → stopped");
        Assert.DoesNotContain(simulation.Moves, m => m.To.Contains("cluster02"));
        Assert.Contains(simulation.Transition, line => line.Contains("Public-IP") && line.Contains("cluster02 -> cluster01"));
    }

    /// <summary>What crm_mon says of the CIB, as the monitor would have read it from a live node.</summary>
    private static async Task<ClusterState> StateOfAsync(string cib)
    {
        var work = Directory.CreateTempSubdirectory("storageha-whatif-");
        try
        {
            var file = Path.Combine(work.FullName, "cib.xml");
            await File.WriteAllTextAsync(file, cib);
            var mon = await LocalTool.RunAsync(["crm_mon", "-1", "--output-as=xml"], work.FullName, cibFile: file);
            Assert.True(mon.Succeeded, mon.Error);
            return CrmMonParser.Parse(mon.Output);
        }
        finally { work.Delete(recursive: true); }
    }

    private static string CorpusFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "Shared.Tests", "Corpus"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("the repository's tests/Shared.Tests/Corpus"), "tests", "Shared.Tests", "Corpus");
    }
}
