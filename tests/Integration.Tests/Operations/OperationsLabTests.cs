using StorageHa.Integration.Tests.Lab;
using StorageHa.Integration.Tests.Monitoring;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Operations;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Operations;

/// <summary>
/// The console's operations on the lab's real cluster, run by the real <see cref="ClusterOperator"/> over SSH and seen back
/// only through the real monitor's stream: standby moves a VIP away and back, move/clear pin and release it, and a
/// simulated failure reads the live CIB and predicts the move without touching the cluster.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class OperationsLabTests(LabFixture fixture, ITestOutputHelper output)
{
    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task Standby_MovesTheVipAway_Unstandby_BringsTheNodeBack_MoveAndClear_PinAndRelease_AndSimulationChangesNothing()
    {
        const string vip = "opsvip";
        await _cluster.RunAsync("node1", "pcs", "resource", "create", vip, "ocf:heartbeat:IPaddr2", $"ip={Lab.FreeAddresses[2]}",
            $"cidr_netmask={Lab.PrefixLength}", $"nic={Lab.Nic}", "op", "monitor", "interval=5s");
        try
        {
            await using var monitor = await LabMonitor.StartAsync(Lab, [.. Lab.Nodes.Select(n => n.Name)]);
            using var pool = new SshConnectionPool(new SshSettings());
            var operations = LabOperations.For(monitor, pool);
            await monitor.WaitForAsync($"{vip} running", TimeSpan.FromSeconds(60), c => c.State?.WhereRuns(vip) is not null);
            var holder = monitor.Snapshot.State!.WhereRuns(vip)!;

            // What if its node failed: predicted from the live CIB, and nothing changes.
            var whatIf = await operations.SimulateFailureAsync(monitor.ClusterId, new SimulatedFailure([holder]));
            var predicted = Assert.Single(whatIf.Moves, m => m.Resource == vip);
            Assert.Equal([holder], predicted.From);
            Assert.Equal(holder, monitor.Snapshot.State!.WhereRuns(vip));

            var started = monitor.Now;
            await operations.RunAsync(monitor.ClusterId, new SetNodeStandby(holder, true));
            var (standbyAt, standby) = await monitor.WaitForAsync($"{holder} in standby, {vip} elsewhere", TimeSpan.FromSeconds(60),
                c => c.State is { } s && s.Nodes.Single(n => n.Name == holder).Standby && s.WhereRuns(vip) is { } at && at != holder, after: started);
            output.WriteLine($"standby {holder}: seen with {vip} on {standby.State!.WhereRuns(vip)} after {(standbyAt - started).TotalSeconds:0.0} s " +
                $"(the simulation said {string.Join(",", predicted.To)})");

            started = monitor.Now;
            await operations.RunAsync(monitor.ClusterId, new SetNodeStandby(holder, false));
            await monitor.WaitForAsync($"{holder} back from standby", TimeSpan.FromSeconds(60),
                c => c.State is { } s && !s.Nodes.Single(n => n.Name == holder).Standby, after: started);

            var target = Lab.Nodes.Select(n => n.Name).First(n => n != monitor.Snapshot.State!.WhereRuns(vip));
            started = monitor.Now;
            await operations.RunAsync(monitor.ClusterId, new MoveResource(vip, target));
            await monitor.WaitForAsync($"{vip} moved to {target}", TimeSpan.FromSeconds(60), c => c.State?.WhereRuns(vip) == target, after: started);
            Assert.Contains("cli-prefer", await _cluster.RunAsync("node1", "cibadmin", "--query", "--scope", "constraints"));

            await operations.RunAsync(monitor.ClusterId, new ClearMove(vip));
            Assert.DoesNotContain("cli-prefer", await _cluster.RunAsync("node1", "cibadmin", "--query", "--scope", "constraints"));
            await operations.RunAsync(monitor.ClusterId, new CleanupResource(vip));

            var audited = await monitor.Audit.QueryAsync(new StorageHa.Shared.Console.AuditQuery(Search: ClusterOperator.AuditAction));
            Assert.True(audited.Count >= 5, $"{audited.Count} operations audited in the admin's words");
        }
        finally
        {
            foreach (var node in Lab.Nodes) await _cluster.RunAsync("node1", "sh", "-c", "pcs node unstandby \"$1\" || true", "unstandby", node.Name);
            await _cluster.DeleteAsync(vip);
        }
    }
}
