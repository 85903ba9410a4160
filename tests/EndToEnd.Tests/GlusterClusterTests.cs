using System.Diagnostics;
using System.Net;
using System.Text.Json;
using StorageHa.Shared.Operations;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>The GlusterFS test's own lab ("sha-egl"): three nodes in no cluster, glusterd in every one and a replica-3 volume nobody mounts yet.</summary>
public sealed class GlusterE2eLab() : LabFixture("sha-egl", gluster: true, formed: false);

[CollectionDefinition(Name)]
public sealed class GlusterE2eLabCollection : ICollectionFixture<GlusterE2eLab>
{
    public const string Name = "gluster e2e lab";
}

/// <summary>
/// A cluster on a real GlusterFS volume, built through the API: the cluster mounts the volume on every node (a cloned
/// Filesystem resource), CTDB keeps its lock there and the shares and exports serve from it, so a file written over
/// SMB through one node's VIP is read through another node's VIP, over SMB and NFS. A dead brick shows as a degraded
/// volume within seconds while clients are still served; a node that loses the mount behind the cluster's back gives
/// its VIP away; drift names a changed mount; teardown unmounts and leaves the volume's data.
/// </summary>
[Collection(GlusterE2eLabCollection.Name)]
public sealed class GlusterClusterTests(GlusterE2eLab fixture, ITestOutputHelper output)
{
    private const string AdminPassword = "Gluster-admin-pass-1";
    private static readonly TimeSpan FaultLimit = TimeSpan.FromSeconds(90);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task TheClusterMountsTheVolume_ServesItThroughEveryVip_ThroughABrickFault_AndMovesAwayFromANodeThatLostIt()
    {
        RequiredTool.Require(RequiredTool.SmbClient, RequiredTool.SambaFileId);
        var lab = fixture.Description;
        var gluster = lab.Gluster ?? throw new InvalidOperationException("the lab has no GlusterFS volume (lab.sh up --gluster)");
        var mount = gluster.MountPoint;
        var data = $"{mount}/data";
        await using var console = await RunningConsole.InNamespace(lab.ClientNamespace, lab.ClientAddress, AdminPassword);
        try
        {
            var api = await ApiScript.SignInAsync(console, AdminPassword);
            var keyId = await api.AddLabKeyAsync(lab);
            var cluster = (await api.SendAsync(HttpMethod.Post, "/api/clusters", new { name = "glnas", purpose = "Both" }, HttpStatusCode.Created)).GetProperty("id").GetInt64();
            foreach (var node in lab.Nodes)
            {
                var (_, facts) = await api.AddNodeAsync(cluster, node, lab.Ssh.User, keyId);
                Assert.DoesNotContain(facts.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "Blocker");
            }

            // Bad storage is refused by field, and nothing is stored.
            var storage = new { mounting = "ByCluster", mountPoint = mount, type = "GlusterFs", device = gluster.Device };
            object Settings(object s) => new
            {
                nic = lab.Nic,
                storage = s,
                sharedState = new { recoveryLock = $"{mount}/ctdb/reclock", ganeshaState = $"{mount}/ganesha" },
                fencing = new { noFencingAcknowledged = true },
            };
            var settings = $"/api/clusters/{cluster}/settings";
            foreach (var (bad, field) in new (object, string)[]
            {
                (storage with { mountPoint = "srv/labvol" }, "storage.mountPoint"),
                (storage with { device = "labvol" }, "storage.device"),
                (storage with { type = "Xfs" }, "storage.type"),
            })
                Assert.Contains(field, (await api.SendAsync(HttpMethod.Patch, settings, Settings(bad), HttpStatusCode.BadRequest)).ToString());
            Assert.False((await api.SendAsync(HttpMethod.Get, settings)).TryGetProperty("storage", out var none) && none.ValueKind != JsonValueKind.Null);
            await api.SendAsync(HttpMethod.Patch, settings, Settings(storage));
            var outside = await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/shares", new { name = "local", path = "/srv/local" }, HttpStatusCode.BadRequest);
            Assert.Contains("path", outside.ToString());
            Log("refused: a relative mount point, a device without its server, an unknown filesystem, a share outside the volume");

            var vips = lab.FreeAddresses.Take(2).ToArray();
            foreach (var vip in vips)
                await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/vips", new { address = vip, prefix = lab.PrefixLength }, HttpStatusCode.Created);
            await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/shares", new { name = "data", path = data, guestOk = true, readOnly = false, mode = "0777" }, HttpStatusCode.Created);
            await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/exports", new { path = data, clients = lab.Subnet }, HttpStatusCode.Created);
            Assert.Empty((await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/plan")).GetProperty("plan").GetProperty("blockers").EnumerateArray());

            // Apply: Pacemaker mounts the volume on every node before CTDB, Samba and Ganesha start there.
            var applied = await api.RunJobAsync($"/api/clusters/{cluster}/apply");
            ApiScript.AssertSucceeded(applied);
            var mounted = applied.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "storage-mounted");
            Log($"applied; the mount's check waited {mounted.GetProperty("runs").EnumerateArray().Max(r => r.GetProperty("seconds").GetDouble()):0.0} s on the slowest node");
            foreach (var node in lab.Nodes)
            {
                Assert.Equal($"{gluster.Device} fuse.glusterfs", (await fixture.Lab.SshAsync(node.Name, $"findmnt -n -o SOURCE,FSTYPE {mount}")).Trim());
                Assert.Contains($"{mount}/ctdb/reclock", await fixture.Lab.SshAsync(node.Name, "ctdb getreclock"));
            }
            var check = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/serve-check");
            Assert.True(check.GetProperty("served").GetBoolean(), check.ToString());

            // One file, written through one node's VIP, is the same file through the other node's VIP, over SMB and NFS.
            var holders = new[] { await HolderAsync(lab, vips[0]), await HolderAsync(lab, vips[1]) };
            Assert.NotEqual(holders[0], holders[1]);
            var written = $"written through {vips[0]} at {DateTimeOffset.UtcNow:O}";
            await LabClient.PutSmbAsync(lab, vips[0], "data", "hello.txt", written);
            Assert.Contains(written, await LabClient.GetSmbAsync(lab, vips[1], "data", "hello.txt"));
            Assert.Equal(written, await LabClient.GetNfsAsync(lab, vips[1], $"{data}/hello.txt"));
            Log($"written over SMB through {vips[0]} ({holders[0]}), read over SMB and NFS through {vips[1]} ({holders[1]})");
            var health = await StorageHealthAsync(api, cluster);
            Assert.True(Level(health) == "Healthy", health.ToString());

            // A dead brick: the volume is degraded, clients are still served; back, it heals and is healthy again.
            var broken = lab.Nodes[2].Name;
            await fixture.Lab.RunCheckedAsync("gluster", "brick-kill", broken);
            var killed = Stopwatch.StartNew();
            var degraded = await UntilAsync($"the volume degraded after {broken}'s brick died", api, cluster, h => Level(h) == "Warning" && OfflineBricks(h) == 1);
            Log($"{broken}'s brick killed: the dashboard's storage check says degraded {killed.Elapsed.TotalSeconds:0.0} s later");
            Assert.Contains(degraded.GetProperty("volume").GetProperty("bricks").EnumerateArray(),
                b => b.GetProperty("name").GetString() == gluster.Brick(broken).Name && !b.GetProperty("online").GetBoolean());
            var whileDegraded = $"written while {broken}'s brick was down";
            await LabClient.PutSmbAsync(lab, vips[1], "data", "degraded.txt", whileDegraded);
            Assert.Contains(whileDegraded, await LabClient.GetSmbAsync(lab, vips[0], "data", "degraded.txt"));
            Assert.Equal(whileDegraded, await LabClient.GetNfsAsync(lab, vips[0], $"{data}/degraded.txt"));
            await fixture.Lab.RunCheckedAsync("gluster", "brick-start", broken);
            var started = Stopwatch.StartNew();
            await UntilAsync($"the volume healed after {broken}'s brick came back", api, cluster, h => Level(h) == "Healthy");
            Log($"degraded, still served over SMB and NFS; {broken}'s brick started: healed and healthy {started.Elapsed.TotalSeconds:0.0} s later");

            // The mount lost behind the cluster's back on the first VIP's node: Pacemaker's monitor fails there, the VIP
            // leaves it and clients are served through it elsewhere; the dashboard's state names the failed mount.
            var lost = holders[0];
            await fixture.Lab.SshAsync(lost, $"umount -l {mount}");
            var unmounted = Stopwatch.StartNew();
            await Eventually($"{vips[0]} leaves {lost}", async () => !await HoldsAsync(lost, vips[0]));
            var moved = unmounted.Elapsed;
            await Eventually($"SMB through {vips[0]} after {lost} lost the mount", async () => (await LabClient.GetSmbAsync(lab, vips[0], "data", "hello.txt")).Contains(written, StringComparison.Ordinal));
            Log($"{lost} lost the mount: {vips[0]} left it {moved.TotalSeconds:0.0} s later, served again over SMB {unmounted.Elapsed.TotalSeconds:0.0} s later");
            var state = await UntilStateAsync(api, cluster, s => Failures(s).Any(f => f.Resource.StartsWith("cluster-fs", StringComparison.Ordinal) && f.Node == lost));
            Log($"the dashboard's state: {string.Join("; ", Failures(state).Select(f => $"{f.Resource} {f.Task} on {f.Node}: {f.Status}"))}");
            // (NFS through the VIP that moved answers once that node's Ganesha ends the grace it entered for the VIP's
            // clients, 90 s: measured in the NFS lab tests, not waited for here.)
            await Eventually($"{lost} mounts the volume again", async () => (await fixture.Lab.SshAsync(lost, $"findmnt -n -o FSTYPE {mount} || true")).Trim() == "fuse.glusterfs");
            // What an admin does once the node has its mount back: clean up the failures the lost mount left, through the
            // console. Under load a service's stop there can outlast its timeout (CI: smbd's, 60 s), and without fencing
            // Pacemaker then blocks that resource on the node until someone cleans it up; a teardown would wait behind it.
            var left = Failures(state).Select(f => (Resource: ClusterResources.Base(f.Resource), f.Node)).Distinct().ToList();
            foreach (var (resource, node) in left)
                await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/resources/{resource}/cleanup", new { node });
            await UntilStateAsync(api, cluster, s => !Failures(s).Any(), "the dashboard's state without failures after the cleanup");
            foreach (var vip in vips)
                await Eventually($"SMB through {vip} after the cleanup", async () => (await LabClient.GetSmbAsync(lab, vip, "data", "hello.txt")).Contains(written, StringComparison.Ordinal));
            Log($"cleaned up {string.Join(", ", left.Select(f => $"{f.Resource} on {f.Node}"))}: no failures left, SMB served through every VIP");

            // Drift: a mount option changed behind the console's back is named. The mount is left unmanaged meanwhile and its
            // options put back before it is managed again: a real change remounts the volume on every node at once, restarting
            // every service above it (the plan says so), and the teardown below is judged on a settled cluster, not on that.
            var first = lab.Nodes[0].Name;
            await fixture.Lab.SshAsync(first, "crm_resource --resource cluster-fs --meta --set-parameter is-managed --parameter-value false");
            await fixture.Lab.SshAsync(first, "crm_resource --resource cluster-fs --set-parameter options --parameter-value noatime");
            var drift = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/drift");
            Assert.Contains("cluster-fs", drift.ToString());
            await fixture.Lab.SshAsync(first, "crm_resource --resource cluster-fs --delete-parameter options");
            await fixture.Lab.SshAsync(first, "crm_resource --resource cluster-fs --meta --delete-parameter is-managed");
            Log("drift names the Filesystem resource changed behind the console's back");

            // Teardown: the services stop, the volume is unmounted everywhere, and its data stays.
            var down = await api.RunJobAsync($"/api/clusters/{cluster}/teardown");
            ApiScript.AssertSucceeded(down);
            foreach (var node in lab.Nodes)
            {
                Assert.Equal("", (await fixture.Lab.SshAsync(node.Name, $"findmnt -n {mount} || true")).Trim());
                Assert.Equal(written, (await fixture.Lab.SshAsync(node.Name, $"cat {gluster.BrickPath}/data/hello.txt")).Trim());
            }
            Log("teardown: unmounted on every node, the volume's data kept (each node's brick holds hello.txt)");
        }
        catch
        {
            output.WriteLine($"Console output:\n{console.Output}");
            // The cluster as it was left: which resource failed or was blocked, where, and why.
            try { output.WriteLine($"crm_mon:\n{await fixture.Lab.SshAsync(lab.Nodes[0].Name, "crm_mon -1 -r -f --show-detail")}"); }
            catch (Exception e) { output.WriteLine($"crm_mon could not be read: {e.Message}"); }
            throw;
        }
    }

    private async Task<string> HolderAsync(LabDescription lab, string vip)
    {
        foreach (var node in lab.Nodes)
            if (await HoldsAsync(node.Name, vip)) return node.Name;
        throw new InvalidOperationException($"no node holds {vip}");
    }

    private async Task<bool> HoldsAsync(string node, string vip) =>
        (await fixture.Lab.SshAsync(node, $"ip -o addr show | grep -qF ' {vip}/' && echo yes || true")).Trim() == "yes";

    private static Task<JsonElement> StorageHealthAsync(ApiScript api, long cluster) => api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/storage/health");

    private static string? Level(JsonElement health) => health.GetProperty("level").GetString();

    private static int OfflineBricks(JsonElement health) =>
        health.GetProperty("volume").GetProperty("bricks").EnumerateArray().Count(b => !b.GetProperty("online").GetBoolean());

    private sealed record Failure(string Resource, string Node, string? Task, string? Status);

    private static IEnumerable<Failure> Failures(JsonElement snapshot) =>
        snapshot.GetProperty("state") is { ValueKind: JsonValueKind.Object } state
            ? state.GetProperty("failures").EnumerateArray().Select(f => new Failure(f.GetProperty("resource").GetString()!, f.GetProperty("node").GetString()!,
                f.TryGetProperty("task", out var t) ? t.GetString() : null, f.TryGetProperty("status", out var s) ? s.ToString() : null))
            : [];

    private async Task<JsonElement> UntilAsync(string what, ApiScript api, long cluster, Func<JsonElement, bool> condition)
    {
        JsonElement last = default;
        await Eventually(what, async () => condition(last = await StorageHealthAsync(api, cluster)));
        return last;
    }

    private async Task<JsonElement> UntilStateAsync(ApiScript api, long cluster, Func<JsonElement, bool> condition,
        string what = "the dashboard's state shows the failed mount")
    {
        JsonElement last = default;
        await Eventually(what, async () => condition(last = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/state")));
        return last;
    }

    private static Task Eventually(string what, Func<Task<bool>> condition) =>
        EndToEnd.Tests.Eventually.TrueAsync(what, FaultLimit, TimeSpan.FromMilliseconds(500), condition);

    private void Log(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s: {what}");
}
