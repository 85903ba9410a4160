using StorageHa.Shared.Clients;

namespace StorageHa.Shared.Tests.Clients;

/// <summary>connected-clients.sh's real outputs read into each node's SMB sessions and NFS clients (<see cref="ClientsSamples"/>).</summary>
public sealed class ConnectedClientsReadTests
{
    [Fact]
    public void NoClients_AndNoDbus_AreNoSessions_AndNfsUnknownWithWhy()
    {
        var node = ConnectedClientsRead.Parse("host", ClientsSamples.NoneOnThisHost);

        Assert.Empty(node.Smb);
        Assert.Null(node.SmbProblem);
        Assert.Empty(node.Nfs);
        Assert.Equal("no system D-Bus runs here, so NFS-Ganesha cannot be asked", node.NfsProblem);
        Assert.Null(node.Unreachable);
    }

    [Fact]
    public void GaneshaWithoutClients_IsAnEmptyList_NotAProblem()
    {
        var node = ConnectedClientsRead.Parse("node1", ClientsSamples.NfsNone);

        Assert.Empty(node.Nfs);
        Assert.Null(node.NfsProblem);
        Assert.Empty(node.Smb);
        Assert.Null(node.SmbProblem);
    }

    [Fact]
    public void AnNfsV4Client_IsReadWithItsVersion_LastActivity_AndTheVipItCameThrough()
    {
        var node = ConnectedClientsRead.Parse("node1", ClientsSamples.NfsOneV4);

        var client = Assert.Single(node.Nfs);
        Assert.Equal("192.0.2.2", client.ClientAddress);
        Assert.Equal(["4.0"], client.Versions);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796606627).AddTicks(175452676 / 100), client.LastActivity);
        Assert.Equal(["192.0.2.101"], client.ServerAddresses);
        Assert.Equal("nfs 192.0.2.2", client.Key);
    }

    [Fact]
    public void AnNfsClientWhoseConnectionClosed_IsStillKnown_WithoutAnAddressItCameThrough()
    {
        var node = ConnectedClientsRead.Parse("node3", ClientsSamples.NfsAfterFailover);

        var client = Assert.Single(node.Nfs);
        Assert.Equal(("192.0.2.2", "4.0"), (client.ClientAddress, Assert.Single(client.Versions)));
        Assert.Empty(client.ServerAddresses);
    }

    [Fact]
    public void DbusSendsReply_IsReadIntoItsValues()
    {
        var reply = DbusReply.Parse(ClientsSamples.NfsOneV4.Split("exit 0\n")[2].Split("@@storageha:connections")[0]);

        Assert.Equal(2, reply.Count);
        var stamp = Assert.IsType<DbusContainer>(reply[0]);
        Assert.Equal(["uint64", "uint64"], stamp.Children.Cast<DbusLeaf>().Select(l => l.Type));
        var client = Assert.Single(Assert.IsType<DbusContainer>(reply[1]).Children.Cast<DbusContainer>());
        Assert.Equal(new DbusLeaf("string", "::ffff:192.0.2.2"), client.Children[0]);
        Assert.Equal(8, Assert.IsType<DbusContainer>(client.Children[1]).Children.Count);
    }

    [Fact]
    public void AnOutputCutShort_IsAnUnknownNode()
    {
        var node = ConnectedClientsRead.Parse("node1", ClientsSamples.NoneOnThisHost[..ClientsSamples.NoneOnThisHost.IndexOf("@@storageha:nfs", StringComparison.Ordinal)]);

        Assert.Equal("the check's output ended early", node.Unreachable);
    }

    [Theory]
    [InlineData("192.0.2.101:445", "192.0.2.101", 445)]
    [InlineData("[::ffff:192.0.2.101]:2049", "192.0.2.101", 2049)]
    [InlineData("[fd00::5]:445", "fd00::5", 445)]
    [InlineData("fd00::5:41234", "fd00::5", 41234)]
    [InlineData("192.0.2.101%eth0:445", "192.0.2.101", 445)]
    public void TcpEnds_AreReadInTheirOneSpelling(string text, string address, int port)
    {
        Assert.Equal(new TcpEnd(address, port), TcpEnd.Parse(text));
    }

    [Theory]
    [InlineData("*:445")]
    [InlineData("192.0.2.101")]
    [InlineData("host:x")]
    public void WhatIsNoTcpEnd_IsNone(string text)
    {
        Assert.Null(TcpEnd.Parse(text));
    }
}
