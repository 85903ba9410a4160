using StorageHa.Client.Model;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Model;

public sealed class FormRulesTests
{
    [Theory]
    [InlineData("10.0.0.256")]
    [InlineData("10.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("01234.1.1.1")]
    [InlineData("::g")]
    [InlineData("192.0.2.1;reboot")]
    [InlineData("$(id)")]
    [InlineData("node 1")]
    [InlineData("-node1")]
    [InlineData("")]
    public void NodeAddress_ThatIsNeitherAnIpNorAHostName_IsRefused(string address)
        => Assert.NotNull(FormRules.Check(new Node { Name = "node1", Address = address }).Message("address"));

    [Theory]
    [InlineData("192.0.2.11")]
    [InlineData("fd00::11")]
    [InlineData("node1")]
    [InlineData("node1.lab.example.net")]
    public void NodeAddress_ThatIsAnIpOrAHostName_IsAccepted(string address)
        => Assert.False(FormRules.Check(new Node { Name = "node1", Address = address }).Any);

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(70000)]
    [InlineData(-22)]
    public void SshPort_OutsideOneTo65535_IsRefused(int port)
        => Assert.NotNull(FormRules.Check(new Node { Name = "node1", Address = "192.0.2.1", SshPort = port }).Message("sshPort"));

    [Theory]
    [InlineData("192.0.2.10", 33)]
    [InlineData("192.0.2.10", 0)]
    [InlineData("fd00::10", 129)]
    public void VirtualIpPrefix_BeyondTheAddressFamily_IsRefused(string address, int prefix)
        => Assert.NotNull(FormRules.Check(new VirtualIp { Address = address, Prefix = prefix }).Message("prefix"));

    [Fact]
    public void VirtualIp_Ipv6WithPrefix64_IsAccepted()
        => Assert.False(FormRules.Check(new VirtualIp { Address = "fd00::10", Prefix = 64, Nic = "eth0" }).Any);

    [Theory]
    [InlineData("srv/data")]
    [InlineData("/srv/../etc")]
    [InlineData("/srv/data\nrm -rf /")]
    [InlineData("")]
    public void SharePath_ThatIsNotAPlainAbsolutePath_IsRefused(string path)
        => Assert.NotNull(FormRules.Check(new Share { Name = "data", Path = path }).Message("path"));

    [Theory]
    [InlineData("192.0.2.0/33")]
    [InlineData("10.0.0.256")]
    [InlineData("*,bad client")]
    public void ExportClients_ThatAreNotAddressesNetworksOrNames_AreRefused(string clients)
        => Assert.NotNull(FormRules.Check(new Export { Path = "/srv/nfs", Clients = clients }).Message("clients"));

    [Fact]
    public void ExportClients_MixingStarNetworksAndNames_AreAccepted()
        => Assert.False(FormRules.Check(new Export { Path = "/srv/nfs", Clients = "192.0.2.0/24, fd00::/8, *.lab.example.net, client1" }).Any);
}
