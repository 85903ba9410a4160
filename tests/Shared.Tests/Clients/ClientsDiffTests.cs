using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;

namespace StorageHa.Shared.Tests.Clients;

/// <summary>Clients leaving and arriving between two readings, per node and kind: what a failover looks like on the timeline.</summary>
public sealed class ClientsDiffTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private static SmbSession Smb(string user, string client, int port, int pid) =>
        new("1", pid, 0, user, user, $"ipv4:{client}:{port}", client, "SMB3_11", SmbProtection.None, SmbProtection.None, []);

    private static ConnectedClientsReport Reading(int second, params NodeClients[] nodes) => new(T0.AddSeconds(second), ["192.0.2.101"], nodes);

    private static readonly ConnectedClientsReport Before = Reading(0,
        new NodeClients("node1") { Smb = [Smb("alice", "192.0.2.50", 41234, 100), Smb("bob", "192.0.2.51", 41000, 101)], Nfs = [new NfsClient("192.0.2.60", ["4.0"], T0)] },
        new NodeClients("node2"));

    [Fact]
    public void TheFirstReading_TellsNothing()
    {
        Assert.Empty(ClientsDiff.Between(null, Before));
    }

    [Fact]
    public void ANodeThatStopsAnswering_TookItsClients_AndTheyArriveOnTheNodeTheyReconnectTo()
    {
        var after = Reading(10, new NodeClients("node1") { Unreachable = "no route to host" },
            new NodeClients("node2") { Smb = [Smb("alice", "192.0.2.50", 41300, 200)], Nfs = [new NfsClient("192.0.2.60", ["4.0"], T0)] });

        var told = ClientsDiff.Between(Before, after).Select(e => e.Description).ToList();

        Assert.Equal(
        [
            "2 SMB sessions left node1 (it does not answer): alice from 192.0.2.50, bob from 192.0.2.51",
            "1 NFS client left node1 (it does not answer): 192.0.2.60",
            "1 SMB session arrived on node2: alice from 192.0.2.50",
            "1 NFS client arrived on node2: 192.0.2.60",
        ], told);
        Assert.All(ClientsDiff.Between(Before, after), e => Assert.Equal(T0.AddSeconds(10), e.At));
    }

    [Fact]
    public void ASessionThatEnds_Leaves_AndANewConnectionOfTheSameUser_Arrives()
    {
        var after = Reading(2, new NodeClients("node1") { Smb = [Smb("alice", "192.0.2.50", 41999, 102)], Nfs = Before.Nodes[0].Nfs }, new NodeClients("node2"));

        var told = ClientsDiff.Between(Before, after).Select(e => e.Description).ToList();

        Assert.Equal(["2 SMB sessions left node1: alice from 192.0.2.50, bob from 192.0.2.51", "1 SMB session arrived on node1: alice from 192.0.2.50"], told);
    }

    [Fact]
    public void AKindThatCannotBeReadForAMoment_IsNotADeparture_AndItsClientsAreKeptForTheNextReading()
    {
        var blind = Reading(2, new NodeClients("node1") { SmbProblem = "smbstatus did not answer within 5 s (CTDB recovering?)", Nfs = Before.Nodes[0].Nfs }, new NodeClients("node2"));
        var known = ClientsDiff.Known(Before, blind);
        var again = Reading(4, Before.Nodes[0], new NodeClients("node2"));

        Assert.Empty(ClientsDiff.Between(Before, blind));
        Assert.Equal(2, known.Nodes[0].Smb.Count);
        Assert.Null(known.Nodes[0].SmbProblem);
        Assert.Empty(ClientsDiff.Between(known, again));
    }

    [Fact]
    public void ANodeBackAfterNotAnswering_HasItsClientsArrive()
    {
        var down = Reading(10, new NodeClients("node1") { Unreachable = "connection refused" }, new NodeClients("node2"));
        var back = Reading(40, Before.Nodes[0], new NodeClients("node2"));

        var told = ClientsDiff.Between(ClientsDiff.Known(Before, down), back).Select(e => e.Description).ToList();

        Assert.Equal(["2 SMB sessions arrived on node1: alice from 192.0.2.50, bob from 192.0.2.51", "1 NFS client arrived on node1: 192.0.2.60"], told);
    }

    [Fact]
    public void ManyClients_AreCountedAll_AndNamedUpToFive()
    {
        var many = Reading(2, new NodeClients("node1") { Smb = [.. Before.Nodes[0].Smb, .. Enumerable.Range(1, 6).Select(i => Smb($"u{i}", $"192.0.2.{70 + i}", 40000, 300 + i))], Nfs = Before.Nodes[0].Nfs },
            new NodeClients("node2"));

        var arrived = Assert.Single(ClientsDiff.Between(Before, many));

        Assert.Equal("6 SMB sessions arrived on node1: u1 from 192.0.2.71, u2 from 192.0.2.72, u3 from 192.0.2.73, u4 from 192.0.2.74, u5 from 192.0.2.75 and 1 more", arrived.Description);
    }

    [Theory]
    [InlineData("node1", 8123, "ipv4:192.0.2.50:41234", null)]
    [InlineData("node1", 8123, "ipv6:fd00::50:41234", null)]
    [InlineData("", 8123, "ipv4:192.0.2.50:41234", "node")]
    [InlineData("node1", 1, "ipv4:192.0.2.50:41234", "serverPid")]
    [InlineData("node1", 8123, "192.0.2.50:41234", "clientEnd")]
    [InlineData("node1", 8123, "ipv4:192.0.2.50:41234;reboot", "clientEnd")]
    [InlineData("node1", 8123, "ipv4:$(reboot):1", "clientEnd")]
    [InlineData("node1", 8123, "ipv4:999.0.2.50:41234", "clientEnd")]
    public void ASessionToEnd_IsCheckedAtTheEdge_ByField(string node, int pid, string clientEnd, string? wrong)
    {
        var errors = SmbSessionDisconnect.Errors(new SmbSessionRef(node, pid, clientEnd));

        Assert.Equal(wrong is null ? [] : [wrong], errors.Select(e => e.Field));
    }

    [Fact]
    public void TheDisconnect_RunsItsNamedScript_WithTheProcessAndTheClientsEnd()
    {
        var argv = SmbSessionDisconnect.Command(new SmbSessionRef("node1", 8123, "ipv4:192.0.2.50:41234"));

        Assert.Equal(["sh", "-c"], argv.Take(2));
        Assert.Equal(["storageha-disconnect-smb-session", "8123", "ipv4:192.0.2.50:41234"], argv.Skip(3));
    }
}
