using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>
/// `lab.sh up --gluster` gives every node glusterd and the lab one replica volume, a brick a node on the node's own
/// disk, started with the timeouts a failover needs and mounted by nobody (mounting it is the console's job). Its
/// failures are real: `gluster brick-kill NODE` kills that node's brick process, `brick-start` brings it back, and a
/// crashed node's glusterd and brick come back with `start`. These tests share the formed lab; each mounts the volume
/// where it needs it and unmounts it, and leaves every brick online.
/// </summary>
[Collection(LabCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class GlusterLabTests(LabFixture fixture, ITestOutputHelper output)
{
    private LabGluster Gluster => fixture.Description.Gluster ?? throw new InvalidOperationException("lab.json has no GlusterFS volume (\"gluster\")");
    private LabCommand Lab => fixture.Lab;

    [Fact]
    public async Task TheVolume_IsStartedWithEveryNodesBrickOnline_WithTheTimeoutsAFailoverNeeds_NotMountedByTheLab()
    {
        var nodes = fixture.Description.Nodes;
        Assert.Equal(("labvol", 3, "localhost:/labvol", "glusterfs"), (Gluster.Volume, Gluster.Replica, Gluster.Device, Gluster.FsType));
        Assert.Equal(nodes.Select(n => $"{n.Address}:{Gluster.BrickPath}"), Gluster.Bricks.Select(b => b.Name));

        var online = await BricksOnlineAsync("node1");
        Assert.Equal(Gluster.Bricks.Select(b => b.Name).Order(), online.Where(b => b.Value).Select(b => b.Key).Order());
        Assert.Contains("Status: Started", await ExecAsync("node1", $"gluster --mode=script volume info {Gluster.Volume}"));
        var expected = new Dictionary<string, string>
        {
            ["network.ping-timeout"] = "5", ["server.tcp-user-timeout"] = "5",
            ["server.keepalive-time"] = "2", ["server.keepalive-interval"] = "1", ["server.keepalive-count"] = "3",
        };
        Assert.Equal(expected.OrderBy(o => o.Key), Gluster.Options.OrderBy(o => o.Key));
        var options = (await ExecAsync("node1", $"gluster --mode=script volume get {Gluster.Volume} all"))
            .Split('\n').Select(l => l.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        Assert.All(expected, o => Assert.Equal(o.Value, options[o.Key]));

        // Every node's glusterd is its own (its UUID, a glusterd.vol whose ping-timeout keeps the CLI from hanging 120 s),
        // its brick lies on its own disk, and nothing is mounted until the console mounts it.
        var uuids = new List<string>();
        foreach (var node in nodes)
        {
            var seen = await ExecAsync(node.Name, "cat /var/lib/glusterd/glusterd.info; grep 'option ping-timeout' /etc/glusterfs/glusterd.vol; " +
                "awk '$3 == \"fuse.glusterfs\"' /proc/mounts");
            uuids.Add(seen.Split('\n').Single(l => l.StartsWith("UUID=")));
            Assert.Contains("option ping-timeout 10", seen);
            Assert.DoesNotContain("fuse.glusterfs", seen);
            Assert.True(Directory.Exists(Path.Join(node.Directory, "fs", Gluster.BrickPath)), $"{node.Name}'s brick is not on its disk");
        }
        Assert.Equal(nodes.Count, uuids.Distinct().Count());
        Assert.False(File.Exists("/var/lib/glusterd/glusterd.info"), "glusterd ran on the host");
        Assert.False(Directory.Exists(Path.Join(fixture.Description.SharedDirectory, "gluster")), "a brick is in the shared directory");
    }

    [Fact]
    public async Task AFileWrittenThroughAMountOnNode1_IsReadThroughAMountOnNode3_BothMountingTheSameDevice()
    {
        var mountPoint = $"{Gluster.MountPoint}-test-{Guid.NewGuid():N}"[..40];
        var text = $"written on node1 {Guid.NewGuid()}";
        try
        {
            var clock = Stopwatch.StartNew();
            await MountAsync("node1", mountPoint);
            await MountAsync("node3", mountPoint);
            output.WriteLine($"two mounts: {clock.Elapsed.TotalSeconds:F1} s");
            await ExecAsync("node1", $"echo '{text}' > {mountPoint}/hello.txt");
            Assert.Equal(text, (await ExecAsync("node3", $"cat {mountPoint}/hello.txt")).Trim());
            // The same device string on both (Samba's vfs_fileid with fileid:algorithm = fsname needs it).
            foreach (var node in new[] { "node1", "node3" })
                Assert.Equal($"{Gluster.Device} {mountPoint} fuse.glusterfs",
                    (await ExecAsync(node, $"awk '$2 == \"{mountPoint}\" {{ print $1, $2, $3 }}' /proc/mounts")).Trim());
        }
        finally
        {
            await ExecAsync("node1", $"rm -f {mountPoint}/hello.txt 2>/dev/null; true");
            await UnmountAsync("node1", mountPoint);
            await UnmountAsync("node3", mountPoint);
        }
    }

    [Fact]
    public async Task BrickKill_ShowsThatBrickOffline_TheVolumeStillServes_BrickStartBringsItBack_AndItHeals()
    {
        var mountPoint = $"{Gluster.MountPoint}-test-{Guid.NewGuid():N}"[..40];
        var name = $"during-{Guid.NewGuid():N}.txt";
        var node3 = Gluster.Brick("node3").Name;
        var killed = false;
        try
        {
            await MountAsync("node1", mountPoint);
            var clock = Stopwatch.StartNew();
            await Lab.RunCheckedAsync("gluster", "brick-kill", "node3");
            killed = true;
            output.WriteLine($"brick-kill until the status shows it offline: {clock.Elapsed.TotalSeconds:F1} s");
            var online = await BricksOnlineAsync("node1");
            Assert.False(online[node3], "node3's brick is online after brick-kill");
            Assert.All(online.Where(b => b.Key != node3), b => Assert.True(b.Value, $"{b.Key} went offline with node3's brick"));
            Assert.Contains($"node3 {node3} offline", await Lab.RunCheckedAsync("gluster", "status"));
            Assert.Contains("glusterd", await ExecAsync("node3", "pidof glusterd > /dev/null && echo glusterd runs"));

            clock.Restart();
            await ExecAsync("node1", $"echo written while the brick of node3 is down > {mountPoint}/{name}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"a write with one brick down took {clock.Elapsed.TotalSeconds:F1} s");
            var pending = PendingHeal(await Lab.RunCheckedAsync("gluster", "heal-info"));
            Assert.True(pending[Gluster.Brick("node1").Name] >= 1, "node1's brick has nothing to heal onto node3's");
            Assert.Null(pending[node3]);

            clock.Restart();
            await Lab.RunCheckedAsync("gluster", "brick-start", "node3");
            killed = false;
            output.WriteLine($"brick-start until online: {clock.Elapsed.TotalSeconds:F1} s");
            await AssertHealsOntoAsync("node3", name, "written while the brick of node3 is down");
        }
        finally
        {
            if (killed) await Lab.RunAsync("gluster", "brick-start", "node3");
            await ExecAsync("node1", $"rm -f {mountPoint}/{name} 2>/dev/null; true");
            await UnmountAsync("node1", mountPoint);
        }
    }

    [Fact]
    public async Task AfterANodesPowerLoss_AWriteWaitsSecondsNotMinutes_AndStartBringsBackItsGlusterdAndBrick_WhichHeals()
    {
        var mountPoint = $"{Gluster.MountPoint}-test-{Guid.NewGuid():N}"[..40];
        var name = $"crash-{Guid.NewGuid():N}.txt";
        var crashed = false;
        try
        {
            await MountAsync("node1", mountPoint);
            await Lab.RunCheckedAsync("crash", "node2");
            crashed = true;
            var clock = Stopwatch.StartNew();
            await ExecAsync("node1", $"echo written after node2 crashed > {mountPoint}/{name}");
            output.WriteLine($"first write after node2's power loss: {clock.Elapsed.TotalSeconds:F1} s");
            // 76 s with Gluster's defaults; ~5 s with the lab's timeouts (a loaded machine adds a few).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the first write after a power loss took {clock.Elapsed.TotalSeconds:F1} s");

            clock.Restart();
            await Lab.RunCheckedAsync("start", "node2");
            crashed = false;
            output.WriteLine($"start until rejoined with its brick online: {clock.Elapsed.TotalSeconds:F1} s");
            await AssertHealsOntoAsync("node2", name, "written after node2 crashed");
        }
        finally
        {
            if (crashed) await Lab.RunAsync("start", "node2");
            await ExecAsync("node1", $"rm -f {mountPoint}/{name} 2>/dev/null; true");
            await UnmountAsync("node1", mountPoint);
        }
    }

    /// <summary>The node's brick is online again, nothing is left pending heal within a minute, and the file written
    /// while it was down is on the brick's disk.</summary>
    private async Task AssertHealsOntoAsync(string node, string file, string text)
    {
        Assert.True((await BricksOnlineAsync("node1"))[Gluster.Brick(node).Name], $"{node}'s brick is not online");
        var clock = Stopwatch.StartNew();
        Assert.EndsWith("pending 0", (await Lab.RunCheckedAsync("gluster", "heal-info", "--wait", "60")).Trim());
        output.WriteLine($"healed {clock.Elapsed.TotalSeconds:F1} s after {node}'s brick was online");
        var onBrick = Path.Join(fixture.Description.Node(node).Directory, "fs", Gluster.BrickPath, file);
        Assert.Equal(text, File.ReadAllText(onBrick).Trim());
    }

    /// <summary>"ADDRESS:PATH" → online, for every brick `gluster volume status --xml` lists as seen from <paramref name="node"/>
    /// (a brick whose glusterd is down is absent). Its exit code is 0 even when it failed: opRet says.</summary>
    private async Task<IReadOnlyDictionary<string, bool>> BricksOnlineAsync(string node)
    {
        var status = await ExecAsync(node, $"gluster --mode=script volume status {Gluster.Volume} --xml");
        var xml = XDocument.Parse(status[status.IndexOf("<?xml", StringComparison.Ordinal)..]);
        Assert.Equal("0", xml.Root?.Element("opRet")?.Value);
        return xml.Descendants("node")
            .Where(n => n.Element("path")?.Value == Gluster.BrickPath)
            .ToDictionary(n => $"{n.Element("hostname")?.Value}:{Gluster.BrickPath}", n => n.Element("status")?.Value == "1");
    }

    /// <summary>`lab.sh gluster heal-info`'s "BRICK ENTRIES" lines: entries pending heal a brick, null when it could not be asked.</summary>
    private static Dictionary<string, int?> PendingHeal(string healInfo) =>
        healInfo.Split('\n').Select(l => Regex.Match(l.Trim(), @"^(\S+:/\S+) (\d+|-)$")).Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value == "-" ? (int?)null : int.Parse(m.Groups[2].Value));

    private Task MountAsync(string node, string mountPoint) =>
        ExecAsync(node, $"mkdir -p {mountPoint} && mount -t {Gluster.FsType} {Gluster.Device} {mountPoint}");

    private Task UnmountAsync(string node, string mountPoint) =>
        ExecAsync(node, $"if mountpoint -q {mountPoint}; then umount {mountPoint}; fi; rmdir {mountPoint} 2>/dev/null; true");

    private Task<string> ExecAsync(string node, string commandLine) => Lab.RunCheckedAsync("exec", node, "sh", "-c", commandLine);
}
