using StorageHa.Integration.Tests.Clients;
using StorageHa.Server.ClusterAccess;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// The connected clients of the cluster the console built, as its reading shows them: real smbclient sessions held open
/// from the lab's client namespace through each VIP, seen on the node holding that VIP; after that node crashes, the
/// reconnected client is seen on the VIP's new node; the console's disconnect ends that session, and its client sees it.
/// </summary>
public sealed partial class ApplyLabTests
{
    private static readonly TimeSpan ClientSeenWithin = TimeSpan.FromSeconds(30);
    /// <summary>While the crashed node's SSH connection times out, each reading waits for it (ConnectedClientsCheck.NodeTimeout).</summary>
    private static readonly TimeSpan MovedSeenWithin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ServedAgainWithin = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task SmbSessionsThroughEachVip_AreSeenOnTheVipsNode_MoveToItsNewNodeAfterACrash_AndADisconnectEndsOne()
    {
        var cluster = await built.BuildAsync(fixture);
        var lab = fixture.Description;
        var vips = cluster.Applied.VirtualIps.Select(v => v.Address).ToList();
        var vip = vips[0];
        var holder = (await PlacementAsync(cluster, "node1")).NodeOf(ResourceIds.Vip(vip))!;
        var reader = new LabClientsReader(cluster.Apply, vips, output);
        output.WriteLine($"connected-clients.sh on {holder} before any client:\n{await reader.RawAsync(holder)}");
        await reader.ReadAsync();

        // One session through each VIP: the cluster has two, or three once an earlier test of the class added one.
        var sessions = vips.Select(v => KeptClient.SmbSession(lab.ClientNamespace, v)).ToList();
        using var closeAll = new Disposables(sessions);
        foreach (var (through, client) in vips.Zip(sessions))
            Assert.True(await client.PrintedAsync("hello.txt", ClientSeenWithin), $"smbclient through {through}: {client.Output}");
        var seen = await reader.UntilAsync($"the session through {vip} on {holder}", ClientSeenWithin,
            r => Through(r, holder, vip, lab.ClientAddress) is not null && r.ByVip().All(v => v.SmbSessions == 1));
        output.WriteLine($"connected-clients.sh on {holder} with the sessions:\n{await reader.RawAsync(holder)}");
        var session = Through(seen, holder, vip, lab.ClientAddress)!;
        Assert.Contains("public", session.Shares.Select(s => s.Share));
        Assert.StartsWith("SMB", session.Dialect, StringComparison.Ordinal);
        Assert.NotNull(session.CtdbNode);
        // Each VIP's clients on the node that holds it.
        foreach (var each in seen.ByVip())
            Assert.Equal([(await PlacementAsync(cluster, "node1")).NodeOf(ResourceIds.Vip(each.Vip))!], each.Nodes);

        await fixture.Lab.RunCheckedAsync("crash", holder);
        try
        {
            // The client reconnects, as Windows does: a new session through the same VIP once it is served again.
            using var again = await KeptClient.SmbSessionAgainAsync(lab.ClientNamespace, vip, "hello.txt", ServedAgainWithin);
            var moved = await reader.UntilAsync($"the session through {vip} on another node after {holder} crashed", MovedSeenWithin,
                r => r.Nodes.Any(n => n.Node != holder && Through(r, n.Node, vip, lab.ClientAddress) is not null));
            var newHolder = moved.Nodes.First(n => n.Node != holder && Through(moved, n.Node, vip, lab.ClientAddress) is not null).Node;
            output.WriteLine($"connected-clients.sh on {newHolder} after the failover:\n{await reader.RawAsync(newHolder)}");
            output.WriteLine("events: " + string.Join(" | ", reader.Events.Select(e => e.Description)));
            Assert.Contains(reader.Events, e => e is ClientsLeftNode { Protocol: ClientProtocol.Smb } left && left.Node == holder);
            Assert.Contains(reader.Events, e => e is ClientsArrivedOnNode { Protocol: ClientProtocol.Smb } arrived && arrived.Node == newHolder);
            Assert.Equal([newHolder], moved.ByVip().Single(v => v.Vip == vip).Nodes);

            var target = Through(moved, newHolder, vip, lab.ClientAddress)!;
            var ending = new SmbSessionRef(newHolder, target.ServerPid, target.ClientEnd);
            var disconnect = await DisconnectAsync(cluster, ending);
            Assert.True(disconnect.Succeeded, $"disconnect exited {disconnect.ExitCode}: {disconnect.StdOut} {disconnect.StdErr}");
            var before = again.Output.Length;
            again.Send("ls");
            Assert.True(await again.PrintedAsync("NT_STATUS_", TimeSpan.FromSeconds(20)) || again.HasExited,
                $"the client did not see its session end: {again.Output[before..]}");
            output.WriteLine($"the client saw: {again.Output[before..].Trim()}");
            await reader.UntilAsync($"the disconnected session gone from {newHolder}", ClientSeenWithin,
                r => r.Nodes.Single(n => n.Node == newHolder).Smb.All(s => s.ServerPid != target.ServerPid));
            var twice = await DisconnectAsync(cluster, ending);
            Assert.Equal(SmbSessionDisconnect.Gone, twice.ExitCode);
            Assert.Contains("already ended", twice.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Lab.RunCheckedAsync("start", holder);
            await AnswersAgainAsync(cluster, holder);
            await cluster.Apply.RunAsync(holder, [.. NodeCommands.WaitForResources(300)]);
        }
        await AssertEverythingRunsAsync(cluster, holder);
    }

    private sealed class Disposables(IEnumerable<IDisposable> each) : IDisposable
    {
        public void Dispose()
        {
            foreach (var one in each) one.Dispose();
        }
    }

    /// <summary>The session of <paramref name="client"/> through <paramref name="vip"/> that <paramref name="node"/> serves, if it does.</summary>
    private static SmbSession? Through(ConnectedClientsReport report, string node, string vip, string client) =>
        report.Nodes.Single(n => n.Node == node).Smb.FirstOrDefault(s => s.ServerAddress == vip && s.ClientAddress == client);

    /// <summary>The console's disconnect on the session's node: the same script and door as <c>ConsoleConnectedClients</c>.</summary>
    private static Task<StorageHa.Server.Ssh.CommandResult> DisconnectAsync(ConsoleBuiltCluster cluster, SmbSessionRef session) =>
        new LiveNodes(cluster.Apply.Ssh, TimeProvider.System).AskAsync(cluster.Apply.Targets[session.Node], ClusterQueries.Operation(SmbSessionDisconnect.Command(session)),
            new Asker("lab-test", "clients.disconnect"), TimeSpan.FromSeconds(30), CancellationToken.None);
}
