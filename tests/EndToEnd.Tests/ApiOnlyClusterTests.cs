using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// How automation uses the console: the real console on the lab's storage network and nothing but HTTP — sign in for a
/// token, add the key, create the cluster, its nodes (host keys accepted at the fingerprints the lab recorded), probe,
/// settings, VIPs and a share, plan, apply — and the job's serve check, then a real SMB client, prove clients are served.
/// </summary>
[Collection(E2eLabCollection.Name)]
public sealed class ApiOnlyClusterTests(E2eLab fixture, ITestOutputHelper output)
{
    private const string AdminPassword = "Api-admin-pass-1";

    [Fact]
    public async Task AScriptWithTheAdminsPassword_BuildsAServedClusterThroughTheApiAlone()
    {
        RequiredTool.Require(RequiredTool.SmbClient, RequiredTool.SambaFileId);
        var clock = Stopwatch.StartNew();
        await fixture.ResetAsync();
        try
        {
            var lab = fixture.Description;
            var data = Path.Combine(lab.SharedDirectory, "data");
            Directory.CreateDirectory(data);
            var served = $"written for the API run at {DateTimeOffset.UtcNow:O}\n";
            await File.WriteAllTextAsync(Path.Combine(data, "hello.txt"), served);
            await using var console = await RunningConsole.InNamespace(lab.ClientNamespace, lab.ClientAddress, AdminPassword);
            var api = await ApiScript.SignInAsync(console, AdminPassword);
            var keyId = await api.AddLabKeyAsync(lab);

            var cluster = (await api.SendAsync(HttpMethod.Post, "/api/clusters", new { name = "apinas", purpose = "Smb" }, HttpStatusCode.Created)).GetProperty("id").GetInt64();
            foreach (var node in lab.Nodes)
            {
                var (_, facts) = await api.AddNodeAsync(cluster, node, lab.Ssh.User, keyId);
                Assert.DoesNotContain(facts.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "Blocker");
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: signed in, key added, cluster with {lab.Nodes.Count} nodes probed");

            await api.SendAsync(HttpMethod.Patch, $"/api/clusters/{cluster}/settings", new
            {
                nic = lab.Nic,
                sharedState = new { recoveryLock = Path.Combine(lab.SharedDirectory, "ctdb", "reclock") },
                fencing = new { noFencingAcknowledged = true },
            });
            var vips = lab.FreeAddresses.Take(2).ToArray();
            foreach (var vip in vips)
                await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/vips", new { address = vip, prefix = lab.PrefixLength }, HttpStatusCode.Created);
            await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/shares", new { name = "public", path = data, guestOk = true, readOnly = true }, HttpStatusCode.Created);

            var plan = (await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/plan")).GetProperty("plan");
            Assert.Empty(plan.GetProperty("blockers").EnumerateArray());
            var job = await api.RunJobAsync($"/api/clusters/{cluster}/apply");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: apply {job.GetProperty("state").GetString()}");
            ApiScript.AssertSucceeded(job);

            var check = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/serve-check");
            Assert.True(check.GetProperty("served").GetBoolean(), check.ToString());
            foreach (var node in lab.Nodes)
                Assert.Contains(check.GetProperty("results").EnumerateArray(), r =>
                    r.GetProperty("node").GetString() == node.Name && r.GetProperty("subject").GetString() == "Share" && r.GetProperty("served").GetBoolean());
            var again = await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/serve-check");
            Assert.True(again.GetProperty("served").GetBoolean(), again.ToString());
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {again.GetProperty("summary").GetString()}");

            foreach (var vip in vips)
                Assert.Contains(served.Trim(), await LabClient.GetSmbAsync(lab, vip, "public", "hello.txt"), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ResetAsync("--formed", "--ctdb");
        }
    }
}
