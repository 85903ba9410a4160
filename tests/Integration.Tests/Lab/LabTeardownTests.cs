using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>`down` leaves nothing behind. These tests build small throwaway labs of their own (prefix sha-dt, or LAB_PREFIX-dt),
/// next to the shared one, in the same collection so they never run beside the other lab tests.</summary>
[Collection(LabCollection.Name)]
public sealed class LabTeardownTests
{
    private readonly LabCommand _lab = LabCommand.Throwaway("dt");

    [Fact]
    public async Task Down_AfterUp_LeavesNoNamespaceMountOrProcessBehind()
    {
        await _lab.RunCheckedAsync("down");
        await _lab.RunCheckedAsync("up", "--nodes", "2", "--bmc"); // the BMCs' ipmi_sim and their namespace go too

        await AssertDownLeavesNothingBehindAsync(downs: 1);
    }

    [Fact]
    public async Task Down_AfterAnUpKilledHalfway_LeavesNothingBehind()
    {
        await _lab.RunCheckedAsync("down");
        using (var up = _lab.Start("up", "--nodes", "3"))
        {
            var firstNode = Path.Combine(_lab.LabDirectory, "nodes", "node1", "init.pid");
            await LabCluster.WaitUntilAsync("the first node booting", TimeSpan.FromSeconds(30),
                () => Task.FromResult(File.Exists(firstNode) || up.HasExited));
            up.Kill(); // like a test run killed mid-way: the nodes already booted stay up
            await up.WaitForExitAsync();
        }
        Assert.False(File.Exists(_lab.DescriptionPath), "up finished before it could be killed");

        await AssertDownLeavesNothingBehindAsync(downs: 1);
    }

    [Fact]
    public async Task Down_TwiceInARow_SucceedsAndLeavesNothingBehind()
    {
        await _lab.RunCheckedAsync("down");
        await _lab.RunCheckedAsync("up", "--nodes", "1");

        await AssertDownLeavesNothingBehindAsync(downs: 2);
    }

    private async Task AssertDownLeavesNothingBehindAsync(int downs)
    {
        var traces = LabTraces.Of(_lab);
        Assert.NotEmpty(traces.NamespaceIds);
        for (var i = 0; i < downs; i++) await _lab.RunCheckedAsync("down");
        Assert.Empty(traces.Leftovers());
    }
}
