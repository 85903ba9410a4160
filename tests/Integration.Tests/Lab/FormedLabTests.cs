using System.Net;
using System.Text;
using Renci.SshNet;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

[Collection(LabCollection.Name)]
public sealed class FormedLabTests(LabFixture fixture)
{
    private readonly LabCluster _cluster = new(fixture);
    private LabDescription Lab => fixture.Description;

    [Fact]
    public async Task FormedLab_HasAllThreeNodesOnlineAndQuorate_WithinSixtySeconds()
    {
        Assert.True(fixture.FormedIn < TimeSpan.FromSeconds(60), $"up --formed took {fixture.FormedIn.TotalSeconds:F1} s");
        foreach (var node in Lab.Nodes)
        {
            var view = await _cluster.ViewFromAsync(node.Name);
            Assert.True(view.Quorate, $"{node.Name} sees no quorate cluster with a DC");
            Assert.Equal(["node1", "node2", "node3"], view.OnlineNodes.Order());
        }
    }

    [Fact]
    public void EveryNode_HasTheFilesTheConsoleWritesForANewClusterOfTheseNodes_ByteForByte()
    {
        // The spec the console makes for the lab's nodes: a new cluster's settings, with the lab's 3 s corosync token.
        var spec = (ClusterSettings.ForNewCluster with { Corosync = new CorosyncSpec { TokenMs = 3000 } }).ApplyTo(new ClusterSpec
        {
            Name = Lab.ClusterName,
            Nodes = Lab.Nodes.Select(n => new NodeSpec { Name = n.Name, Address = n.Address }).ToList(),
        });
        (string Path, string Text)[] files =
        [
            (ConfigFiles.CorosyncConfPath, ConfigFiles.CorosyncConf(spec)),
            (ConfigFiles.CtdbNodesPath, ConfigFiles.CtdbNodes(spec)),
            (ConfigFiles.CtdbTunablesPath, ConfigFiles.CtdbTunables(spec)),
        ];
        // A node's /etc/corosync and /etc/ctdb are its disk's (fs/…); its cib.xml is Pacemaker's by now, so the seed is
        // read where the lab wrote it for the nodes.
        foreach (var node in Lab.Nodes)
            foreach (var (path, text) in files)
                AssertBytes(text, Path.Join(node.Directory, "fs", path));
        AssertBytes(ConfigFiles.SeedCib, Path.Join(Lab.LabDir, "cluster", ConfigFiles.CibPath));

        static void AssertBytes(string expected, string file) =>
            Assert.True(Encoding.UTF8.GetBytes(expected).SequenceEqual(File.ReadAllBytes(file)), $"{file} is not the console's file:\n{File.ReadAllText(file)}");
    }

    [Fact]
    public async Task ResourceCreatedThroughSshOnOneNode_IsSeenFromEveryOtherNode()
    {
        var resource = $"probe-{Guid.NewGuid():N}"[..14];
        await _cluster.RunAsync("node1", "pcs", "resource", "create", resource, "ocf:pacemaker:Dummy", "op", "monitor", "interval=10s");
        try
        {
            foreach (var node in new[] { "node2", "node3" })
                await LabCluster.WaitUntilAsync($"{resource} running as seen from {node}", TimeSpan.FromSeconds(30),
                    async () => (await _cluster.ViewFromAsync(node)).NodesRunning(resource).Count == 1);
        }
        finally
        {
            await _cluster.DeleteAsync(resource);
        }
    }

    [Fact]
    public void EveryNode_AnswersSshOnItsOwnAddress_WithItsOwnHostKey()
    {
        foreach (var node in Lab.Nodes)
        {
            var (fingerprint, hostname) = NetworkNamespace.Run(Lab.ClientNamespace, () =>
            {
                using var key = new PrivateKeyFile(Lab.Ssh.ClientKey);
                using var ssh = new SshClient(new ConnectionInfo(node.Address, node.SshPort, Lab.Ssh.User,
                    new PrivateKeyAuthenticationMethod(Lab.Ssh.User, key)) { Timeout = TimeSpan.FromSeconds(10) });
                string? seen = null;
                ssh.HostKeyReceived += (_, e) =>
                {
                    seen = "SHA256:" + e.FingerPrintSHA256;
                    e.CanTrust = seen == node.HostKeyFingerprint;
                };
                ssh.Connect();
                return (seen, ssh.RunCommand("hostname").Result.Trim());
            });
            Assert.Equal(node.HostKeyFingerprint, fingerprint);
            Assert.Equal(node.Name, hostname);
        }
        Assert.Equal(Lab.Nodes.Count, Lab.Nodes.Select(n => n.HostKeyFingerprint).Distinct().Count());
    }

    [Fact]
    public void Description_NamesThreeFormedNodes_InsideTheLabSubnet_WithFreeAddressesForVips()
    {
        Assert.True(Lab.Formed);
        Assert.True(Lab.Ctdb);
        Assert.Equal(["node1", "node2", "node3"], Lab.Nodes.Select(n => n.Name));
        var subnet = IPNetwork.Parse(Lab.Subnet);
        Assert.Equal("192.0.2.0/24", Lab.Subnet);
        var taken = Lab.Nodes.Select(n => n.Address).Append(Lab.ClientAddress).ToList();
        Assert.Equal(taken.Count, taken.Distinct().Count());
        Assert.All(taken.Concat(Lab.FreeAddresses), a => Assert.True(subnet.Contains(IPAddress.Parse(a)), $"{a} outside {Lab.Subnet}"));
        Assert.Empty(Lab.FreeAddresses.Intersect(taken));
        Assert.NotEmpty(Lab.FreeAddresses);
        foreach (var node in Lab.Nodes)
        {
            Assert.Equal(22, node.SshPort);
            Assert.Matches("^SHA256:[A-Za-z0-9+/]{43}$", node.HostKeyFingerprint);
            Assert.StartsWith("ssh-ed25519 ", File.ReadAllText(node.HostKey));
            Assert.Contains($"{node.Address} ssh-ed25519 ", File.ReadAllText(Lab.Ssh.KnownHosts));
        }
        Assert.True(File.Exists(Lab.Ssh.ClientKey));
        Assert.True(Directory.Exists(Lab.SharedDirectory));
        Assert.Equal("root", Lab.Ssh.User);
    }

    [Fact]
    public async Task SharedDirectory_IsTheSameDirectoryOnEveryNode()
    {
        var marker = Path.Combine(Lab.SharedDirectory, $"seen-by-all-{Guid.NewGuid():N}");
        try
        {
            await _cluster.RunAsync("node1", "touch", marker);
            foreach (var node in Lab.Nodes)
                await _cluster.RunAsync(node.Name, "test", "-f", marker);
        }
        finally
        {
            File.Delete(marker);
        }
    }
}
