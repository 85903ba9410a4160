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
