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
    public void NoSmbClients_UnderCtdb_AndNoGaneshaOnTheBus_AreNoSessions_AndNfsUnknownWithWhy()
    {
        var node = ConnectedClientsRead.Parse("node1", ClientsSamples.SmbNone);

        Assert.Empty(node.Smb);
        Assert.Null(node.SmbProblem);
        Assert.Equal("NFS-Ganesha is not running here (not on the system D-Bus)", node.NfsProblem);
    }

    [Fact]
    public void SmbstatusListsEveryNodesSessions_AndEachNodeKeepsItsOwn_WithTheVipItCameThroughAndItsShare()
    {
        var node = ConnectedClientsRead.Parse("node1", ClientsSamples.SmbTwoSessions);

        var session = Assert.Single(node.Smb);
        Assert.Equal(("4280062344", 1702, 0), (session.SessionId, session.ServerPid, session.CtdbNode));
        Assert.Equal(("nobody", "nogroup", "SMB3_11"), (session.User, session.Group, session.Dialect));
        Assert.Equal(("ipv4:192.0.2.2:53760", "192.0.2.2", "192.0.2.101"), (session.ClientEnd, session.ClientAddress, session.ServerAddress));
        Assert.False(session.Encryption.IsOn);
        Assert.False(session.Signing.IsOn);
        Assert.Equal("no", session.Signing.ToString());
        var share = Assert.Single(session.Shares);
        Assert.Equal(("public", "3189569028"), (share.Share, share.TreeId));
        Assert.NotNull(share.ConnectedAt);
        Assert.Equal("smb 1702 ipv4:192.0.2.2:53760", session.Key);
    }

    [Fact]
    public void AfterAFailover_TheReconnectedSession_IsOnTheNewNode_ThroughTheSameVip()
    {
        var node = ConnectedClientsRead.Parse("node3", ClientsSamples.SmbAfterFailover);

        var session = Assert.Single(node.Smb);
        Assert.Equal((1615, 2, "192.0.2.101"), (session.ServerPid, session.CtdbNode, session.ServerAddress));
    }

    [Fact]
    public void WithoutCtdb_EverySessionSmbstatusLists_IsTheNodesOwn()
    {
        var withoutPnn = ClientsSamples.SmbTwoSessions.Replace("@@storageha:pnn\n0\n", "@@storageha:pnn\n", StringComparison.Ordinal);

        var node = ConnectedClientsRead.Parse("node1", withoutPnn);

        Assert.Equal([1433, 1702], node.Smb.Select(s => s.ServerPid).Order());
        Assert.Null(node.Smb.Single(s => s.ServerPid == 1433).ServerAddress);
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
