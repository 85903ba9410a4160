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
    private static readonly TimeSpan ApplyLimit = TimeSpan.FromMinutes(8);

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
            using var api = console.NewHttpClient();
            api.Timeout = TimeSpan.FromMinutes(3);

            var token = await Send(api, HttpMethod.Post, "/api/auth/token", new { userName = "admin", password = AdminPassword, name = "e2e-script" }, HttpStatusCode.Created);
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("secret").GetString());
            var key = await Send(api, HttpMethod.Post, "/api/credentials/private-key",
                new { name = "lab-key", privateKey = await File.ReadAllTextAsync(lab.Ssh.ClientKey) }, HttpStatusCode.Created);
            var keyId = key.GetProperty("id").GetInt64();

            var cluster = (await Send(api, HttpMethod.Post, "/api/clusters", new { name = "apinas", purpose = "Smb" }, HttpStatusCode.Created)).GetProperty("id").GetInt64();
            foreach (var node in lab.Nodes)
            {
                var added = await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/nodes",
                    new { name = node.Name, address = node.Address, sshPort = node.SshPort, sshUser = lab.Ssh.User, credentialId = keyId }, HttpStatusCode.Created);
                var nodeId = added.GetProperty("id").GetInt64();
                var offered = (await Send(api, HttpMethod.Get, $"/api/clusters/{cluster}/nodes/{nodeId}/hostkey")).GetProperty("fingerprint").GetString();
                Assert.Equal(node.HostKeyFingerprint, offered); // the script's comparison, as an admin's
                await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/nodes/{nodeId}/hostkey", new { fingerprint = offered }, HttpStatusCode.NoContent);
                var facts = await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/nodes/{nodeId}/probe");
                Assert.DoesNotContain(facts.GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "Blocker");
            }
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: signed in, key added, cluster with {lab.Nodes.Count} nodes probed");

            await Send(api, HttpMethod.Patch, $"/api/clusters/{cluster}/settings", new
            {
                nic = lab.Nic,
                sharedState = new { recoveryLock = Path.Combine(lab.SharedDirectory, "ctdb", "reclock") },
                fencing = new { noFencingAcknowledged = true },
            });
            var vips = lab.FreeAddresses.Take(2).ToArray();
            foreach (var vip in vips)
                await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/vips", new { address = vip, prefix = lab.PrefixLength }, HttpStatusCode.Created);
            await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/shares", new { name = "public", path = data, guestOk = true, readOnly = true }, HttpStatusCode.Created);

            var plan = (await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/plan")).GetProperty("plan");
            Assert.Empty(plan.GetProperty("blockers").EnumerateArray());
            var job = await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/apply", expected: HttpStatusCode.Accepted);
            job = await UntilEndedAsync(api, job.GetProperty("id").GetInt64());
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: apply {job.GetProperty("state").GetString()}");
            Assert.True(job.GetProperty("state").GetString() == "Succeeded", job.ToString());

            var check = await Send(api, HttpMethod.Get, $"/api/clusters/{cluster}/serve-check");
            Assert.True(check.GetProperty("served").GetBoolean(), check.ToString());
            foreach (var node in lab.Nodes)
                Assert.Contains(check.GetProperty("results").EnumerateArray(), r =>
                    r.GetProperty("node").GetString() == node.Name && r.GetProperty("subject").GetString() == "Share" && r.GetProperty("served").GetBoolean());
            var again = await Send(api, HttpMethod.Post, $"/api/clusters/{cluster}/serve-check");
            Assert.True(again.GetProperty("served").GetBoolean(), again.ToString());
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {again.GetProperty("summary").GetString()}");

            foreach (var vip in vips)
                Assert.Contains(served.Trim(), await LabSmbClient.GetAsync(lab, vip, "public", "hello.txt"), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ResetAsync("--formed", "--ctdb");
        }
    }

    private static async Task<JsonElement> UntilEndedAsync(HttpClient api, long jobId)
    {
        var deadline = DateTime.UtcNow + ApplyLimit;
        while (true)
        {
            var job = await Send(api, HttpMethod.Get, $"/api/jobs/{jobId}");
            if (job.GetProperty("state").GetString() != "Running" || DateTime.UtcNow > deadline) return job;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private static async Task<JsonElement> Send(HttpClient api, HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
