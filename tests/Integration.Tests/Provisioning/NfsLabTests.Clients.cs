using StorageHa.Integration.Tests.Clients;
using StorageHa.Integration.Tests.Lab;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.State;
using StorageHa.TestSupport;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// The NFS clients of the cluster the console built, as the console's reading shows them (Ganesha's ShowClients over
/// each node's D-Bus): an NFSv4 read held open through a VIP is seen on the VIP's node, through that VIP; after that
/// node crashes, the client reading through the VIP again is seen on its new node.
/// </summary>
public sealed partial class NfsLabTests
{
    private static readonly TimeSpan NfsClientSeenWithin = TimeSpan.FromSeconds(30);
    /// <summary>The VIP's move, then Ganesha on its new node letting the client in: 17 s and 103 s in two runs here.</summary>
    private static readonly TimeSpan NfsBackWithin = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task AnNfsClientThroughAVip_IsSeenOnTheVipsNode_AndOnItsNewNodeAfterACrash()
    {
        var cluster = await built.BuildAsync(fixture);
        var lab = fixture.Description;
        var vips = cluster.Spec.VirtualIps.Select(v => v.Address).ToList();
        var vip = vips[0];
        var holder = ResourcePlacement.From(CrmMonParser.Parse(await cluster.CrmMonAsync("node1"))).NodeOf(ResourceIds.Vip(vip))!;
        var survivor = lab.Nodes.First(n => n.Name != holder).Name;
        // Larger than a pipe holds: nfs-cat blocks writing it to a reader that never reads, its connection held open.
        var big = Path.Combine(Path.GetDirectoryName(cluster.FilePath)!, "held-open.bin");
        await File.WriteAllTextAsync(big, new string('x', 4 << 20));
        var reader = new LabClientsReader(cluster.Apply, vips, output);
        output.WriteLine($"connected-clients.sh on {holder} before any NFS client:\n{await reader.RawAsync(holder)}");
        await reader.ReadAsync();
        // Not while the cluster is still in a grace an earlier test began: the held read would be refused.
        await ReadUntilServedAsync(cluster, vip, ServedAgainWithin);

        using (var held = HeldRead(lab.ClientNamespace, vip, big))
        {
            var seen = await reader.UntilAsync($"the NFS client through {vip} on {holder}", NfsClientSeenWithin, r => Through(r, holder, vip, lab.ClientAddress) is not null);
            output.WriteLine($"connected-clients.sh on {holder} with the client:\n{await reader.RawAsync(holder)}");
            var client = Through(seen, holder, vip, lab.ClientAddress)!;
            Assert.Contains(client.Versions, v => v.StartsWith('4'));
            Assert.NotNull(client.LastActivity);
            Assert.Equal([holder], seen.ByVip().Single(v => v.Vip == vip).Nodes);
        }

        string? crashed = null;
        try
        {
            await fixture.Lab.RunCheckedAsync("crash", holder);
            crashed = holder;
            using var again = HeldRead(lab.ClientNamespace, vip, big, retry: true);
            var moved = await reader.UntilAsync($"the NFS client through {vip} on another node after {holder} crashed", NfsBackWithin,
                r => r.Nodes.Any(n => n.Node != holder && Through(r, n.Node, vip, lab.ClientAddress) is not null));
            var newHolder = moved.Nodes.First(n => n.Node != holder && Through(moved, n.Node, vip, lab.ClientAddress) is not null).Node;
            output.WriteLine($"connected-clients.sh on {newHolder} after the failover:\n{await reader.RawAsync(newHolder)}");
            output.WriteLine("events: " + string.Join(" | ", reader.Events.Select(e => e.Description)));
            Assert.Contains(reader.Events, e => e is ClientsLeftNode { Protocol: ClientProtocol.Nfs } left && left.Node == holder);
            Assert.Contains(reader.Events, e => e is ClientsArrivedOnNode { Protocol: ClientProtocol.Nfs } arrived && arrived.Node == newHolder);
        }
        finally
        {
            if (crashed is not null) await fixture.Lab.RunCheckedAsync("start", crashed);
            File.Delete(big);
        }
        await EverythingServedAgainAsync(cluster, survivor);
    }

    /// <summary>The client of <paramref name="client"/> through <paramref name="vip"/> that Ganesha on <paramref name="node"/> knows, if it does.</summary>
    private static NfsClient? Through(ConnectedClientsReport report, string node, string vip, string client) =>
        report.Nodes.Single(n => n.Node == node).Nfs.FirstOrDefault(c => c.ClientAddress == client && c.ServerAddresses.Contains(vip));

    /// <summary>
    /// nfs-cat of a large file into a pipe read only for its first byte: it blocks with its NFSv4 connection open. With
    /// <paramref name="retry"/> it starts again whenever it read nothing (the VIP not served yet, Ganesha in grace), for at most three minutes.
    /// </summary>
    private static KeptClient HeldRead(string ns, string vip, string path, bool retry = false)
    {
        var read = $"nfs-cat 'nfs://{vip}{path}?version=4' | {{ if [ -n \"$(head -c 1)\" ]; then sleep 600; fi; }}";
        return KeptClient.Start(ns, retry ? $"end=$(($(date +%s) + 180)); while [ $(date +%s) -lt $end ]; do {read}; sleep 1; done" : read);
    }
}
