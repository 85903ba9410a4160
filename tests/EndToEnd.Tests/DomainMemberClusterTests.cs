using System.Diagnostics;
using System.Net;
using System.Text.Json;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// A cluster joined to the lab's Active Directory domain (a real Samba AD DC), built through the API alone: what stops a
/// join is refused with its reason and changes nothing; then the one join, and domain users served through every VIP,
/// also after the VIP's node crashed, with the same uid on every node; the administrator's password seen nowhere; and a
/// teardown that leaves the domain.
/// </summary>
[Collection(E2eLabCollection.Name)]
public sealed class DomainMemberClusterTests(E2eLab fixture, ITestOutputHelper output)
{
    private const string AdminPassword = "Ad-console-pass-1";
    private const string Share = "team";

    [Fact]
    public async Task AClusterJoinsTheDomainOnce_ServesItsUsersThroughEveryVip_EvenAfterACrash_AndLeavesItAtTeardown()
    {
        RequiredTool.Require(RequiredTool.SmbClient, RequiredTool.SambaFileId);
        var clock = Stopwatch.StartNew();
        void Log(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s: {what}");
        await fixture.ResetAsync();
        var lab = fixture.Description;
        var domain = lab.Ad ?? throw new InvalidOperationException("the e2e lab has no domain controller (lab.sh up --ad)");
        var administrator = new { user = domain.Administrator.Name, password = domain.Administrator.Password };
        var data = Path.Combine(lab.SharedDirectory, Share); // the plan makes it, group LAB\staff, mode 2775
        await using var console = await RunningConsole.InNamespace(lab.ClientNamespace, lab.ClientAddress, AdminPassword);
        try
        {
            var api = await ApiScript.SignInAsync(console, AdminPassword);
            var keyId = await api.AddLabKeyAsync(lab);
            var cluster = (await api.SendAsync(HttpMethod.Post, "/api/clusters", new { name = "adnas", purpose = "Smb" }, HttpStatusCode.Created)).GetProperty("id").GetInt64();
            var identity = new { mode = "ActiveDirectory", activeDirectory = new { realm = domain.Realm, workgroup = domain.Workgroup, dnsServers = new[] { domain.Dc.Address }, registerVipsInDns = true } };
            object Settings(object id) => new
            {
                nic = lab.Nic,
                sharedState = new { recoveryLock = Path.Combine(lab.SharedDirectory, "ctdb", "reclock") },
                fencing = new { noFencingAcknowledged = true },
                identity = id,
            };

            // Overlapping idmap ranges are refused by name, and nothing is stored.
            var overlap = await api.SendAsync(HttpMethod.Patch, $"/api/clusters/{cluster}/settings", Settings(new
            {
                mode = "ActiveDirectory",
                activeDirectory = new { realm = domain.Realm, workgroup = domain.Workgroup, idmap = "Rid", idmapRange = new { first = 3_000_000, last = 3_999_999 }, domainRange = new { first = 3_500_000, last = 9_999_999 } },
            }), HttpStatusCode.BadRequest);
            Assert.Contains("identity.activeDirectory.domainRange", overlap.ToString());
            Assert.Equal("Guest", (await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/settings")).GetProperty("identity").GetProperty("mode").GetString());

            // A realm the nodes' DNS does not know: every node's probe says so, and the plan is blocked.
            await api.SendAsync(HttpMethod.Patch, $"/api/clusters/{cluster}/settings", Settings(new { mode = "ActiveDirectory", activeDirectory = new { realm = "NOWHERE.TEST", workgroup = "NOWHERE" } }));
            var nodes = new List<long>();
            foreach (var node in lab.Nodes)
            {
                var (id, facts) = await api.AddNodeAsync(cluster, node, lab.Ssh.User, keyId);
                nodes.Add(id);
                Assert.Contains(facts.GetProperty("findings").EnumerateArray(), f => f.GetProperty("message").GetString()!.StartsWith("No domain controller", StringComparison.Ordinal));
            }
            await api.SendAsync(HttpMethod.Patch, $"/api/clusters/{cluster}/settings", Settings(identity));
            foreach (var vip in lab.FreeAddresses.Take(2))
                await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/vips", new { address = vip, prefix = lab.PrefixLength }, HttpStatusCode.Created);
            var vips = lab.FreeAddresses.Take(2).ToArray();
            // Every domain user may read; only the staff group writes.
            var staff = $"@{domain.Workgroup}\\staff";
            await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/shares", new
            {
                name = Share, path = data, readOnly = true,
                validUsers = new[] { $"@\"{domain.Workgroup}\\Domain Users\"" }, writeList = new[] { staff }, group = staff, mode = "2775",
            }, HttpStatusCode.Created);
            var blocked = (await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/plan")).GetProperty("plan").GetProperty("blockers");
            Assert.Contains(blocked.EnumerateArray(), b => b.GetString()!.Contains("was last probed before the cluster was to join LAB.TEST"));

            // The DC down: no DC found. The DC's clock 10 minutes off: Kerberos would refuse. Both blockers, named per node.
            await fixture.Lab.RunCheckedAsync("dc", "stop");
            var unreachable = await api.ProbeAsync(cluster, nodes[0]);
            await fixture.Lab.RunCheckedAsync("dc", "start");
            Assert.Contains(unreachable.GetProperty("findings").EnumerateArray(), f => f.GetProperty("message").GetString()!.StartsWith("No domain controller", StringComparison.Ordinal));
            await fixture.Lab.RunCheckedAsync("dc", "clock", "600");
            var skewed = await api.ProbeAsync(cluster, nodes[0]);
            await fixture.Lab.RunCheckedAsync("dc", "clock", "0");
            Assert.Contains(skewed.GetProperty("findings").EnumerateArray(), f => f.GetProperty("message").GetString()!.Contains("Kerberos refuses more than 300 s"));
            foreach (var id in nodes)
                Assert.DoesNotContain((await api.ProbeAsync(cluster, id)).GetProperty("findings").EnumerateArray(), f => f.GetProperty("severity").GetString() == "Blocker");
            Log("refused: overlapping idmap ranges (400), an unknown realm, the DC down, its clock 600 s off (probe blockers)");

            // A wrong password: the domain refuses it before anything changes (every later step never ran). Without the
            // administrator the apply does everything else and stops at the join, saying what it needs; nothing is joined.
            var plan = (await api.SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/plan")).GetProperty("plan");
            Assert.DoesNotContain(plan.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("none of the domain's DNS servers"));
            var wrong = await ApplyAsync(api, cluster, new { user = administrator.user, password = "Not-the-password-1" });
            Assert.Equal("Failed", wrong.GetProperty("state").GetString());
            var refusal = FailedStep(wrong, "domain-credentials");
            Assert.All(wrong.GetProperty("steps").EnumerateArray().SkipWhile(s => s.GetProperty("id").GetString() != "domain-credentials").Skip(1),
                s => Assert.Equal("Pending", s.GetProperty("state").GetString()));
            Assert.DoesNotContain(domain.Realm, await fixture.Lab.SshAsync(lab.Nodes[0].Name, "cat /etc/krb5.conf 2>/dev/null || true"));
            var unjoined = await api.RunJobAsync($"/api/clusters/{cluster}/apply");
            Assert.Equal("Failed", unjoined.GetProperty("state").GetString());
            Assert.Contains("domain-administrator", FailedStep(unjoined, "domain-join"));
            Log($"a wrong password: refused before anything changed: {refusal}; without the administrator: stopped at the join");

            var joined = await ApplyAsync(api, cluster, administrator);
            ApiScript.AssertSucceeded(joined);
            Log($"joined {domain.Realm} and served: {joined.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "domain-join").GetProperty("runs")[0].GetProperty("seconds").GetDouble():0.0} s for the join");
            var check = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/serve-check");
            Assert.True(check.GetProperty("served").GetBoolean(), check.ToString());
            // The domain's DNS knows the cluster by its name on the VIPs only.
            var registered = (await fixture.Lab.SshAsync(lab.Nodes[1].Name, $"getent ahosts adnas.{domain.DnsDomain} | awk '{{print $1}}' | sort -u")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(vips.Order(), registered);
            var health = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/identity/health");
            Assert.True(health.GetProperty("healthy").GetBoolean(), health.ToString());
            Assert.Equal(lab.Nodes.Count, health.GetProperty("nodes").GetArrayLength());

            // The share pickers list the domain's users and groups, from winbind on a live node.
            var users = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/principals?kind=users&search=ali");
            var groups = await api.SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/principals?kind=groups&search=sta");
            Assert.Contains($"{domain.Workgroup}\\alice", users.GetProperty("principals").EnumerateArray().Select(p => p.GetString()), StringComparer.OrdinalIgnoreCase);
            Assert.DoesNotContain($"{domain.Workgroup}\\bob", users.GetProperty("principals").EnumerateArray().Select(p => p.GetString()), StringComparer.OrdinalIgnoreCase);
            Assert.Contains($"@{domain.Workgroup}\\staff", groups.GetProperty("principals").EnumerateArray().Select(p => p.GetString()), StringComparer.OrdinalIgnoreCase);
            Log($"the pickers list the domain's own: {users.GetProperty("principals")} and {groups.GetProperty("principals")}");

            // A domain user writes through one VIP and reads it through every other; outsiders and wrong passwords are refused.
            var alice = domain.User("alice");
            var carol = domain.User("carol");
            var written = $"alice was here at {DateTimeOffset.UtcNow:O}";
            await LabClient.PutSmbAsync(lab, vips[0], Share, $"{domain.Workgroup}\\{alice.Name}", alice.Password, "alice.txt", written);
            foreach (var vip in vips)
                Assert.Equal(written, await LabClient.GetSmbAsync(lab, vip, Share, $"{domain.Workgroup}\\{alice.Name}", alice.Password, "alice.txt"));
            Assert.Equal(written, await LabClient.GetSmbAsync(lab, vips[1], Share, $"{domain.Workgroup}\\{carol.Name}", carol.Password, "alice.txt"));
            var outsider = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                LabClient.PutSmbAsync(lab, vips[1], Share, $"{domain.Workgroup}\\{carol.Name}", carol.Password, "carol.txt", "not in staff"));
            Assert.Contains("NT_STATUS_ACCESS_DENIED", outsider.Message);
            var guessed = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                LabClient.GetSmbAsync(lab, vips[1], Share, $"{domain.Workgroup}\\{alice.Name}", "Wrong-password-1", "alice.txt"));
            Assert.Contains("NT_STATUS_LOGON_FAILURE", guessed.Message);
            var uids = new List<string>();
            foreach (var node in lab.Nodes)
                uids.Add((await fixture.Lab.SshAsync(node.Name, $"id -u '{domain.Workgroup}\\{alice.Name}'")).Trim());
            Assert.Single(uids.Distinct());
            Log($"LAB\\alice (staff) wrote through {vips[0]}, read through every VIP; LAB\\carol reads but may not write; a wrong password refused; uid {uids[0]} on every node");

            // The VIP's node crashes: alice reads again through the same VIP once it moved.
            var holder = lab.Nodes.Select(n => n.Name).First(n => fixture.Lab.SshAsync(n, $"ip -o addr show | grep -qF ' {vips[0]}/' && echo yes || true").Result.Trim() == "yes");
            await fixture.Lab.RunCheckedAsync("crash", holder);
            var crashed = Stopwatch.StartNew();
            string? again = null;
            while (again is null && crashed.Elapsed < TimeSpan.FromSeconds(90))
            {
                try { again = await LabClient.GetSmbAsync(lab, vips[0], Share, $"{domain.Workgroup}\\{alice.Name}", alice.Password, "alice.txt"); }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException) { await Task.Delay(500); }
            }
            Assert.Equal(written, again);
            Log($"{holder} crashed: LAB\\alice read through {vips[0]} again {crashed.Elapsed.TotalSeconds:0.0} s later");
            await fixture.Lab.RunCheckedAsync("start", holder);

            // The administrator's password went to the node on stdin only: not in the database, the audit, a job or the logs.
            var audit = await api.SendAsync(HttpMethod.Get, "/api/audit?take=1000");
            foreach (var place in new[] { audit.ToString(), joined.ToString(), wrong.ToString(), console.Output, DatabaseText(console) })
                Assert.DoesNotContain(domain.Administrator.Password, place);

            // Teardown with the administrator: the machine account is deleted from the domain.
            var down = await api.RunJobAsync($"/api/clusters/{cluster}/teardown", new { domainAdministrator = administrator });
            ApiScript.AssertSucceeded(down);
            var leave = down.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "domain-leave");
            Log($"teardown's leave: {leave.GetProperty("runs")[0].GetProperty("output").GetString()}");
            var computers = await fixture.Lab.RunCheckedAsync("dc", "exec", "samba-tool", "computer", "list");
            Assert.DoesNotContain("ADNAS$", computers, StringComparison.OrdinalIgnoreCase);
            Log("teardown left the domain: ADNAS$ is gone from the DC");
        }
        catch
        {
            output.WriteLine($"Console output:\n{console.Output}");
            throw;
        }
        finally
        {
            await fixture.ResetAsync("--formed", "--ctdb");
        }
    }

    private static Task<JsonElement> ApplyAsync(ApiScript api, long cluster, object administrator) =>
        api.RunJobAsync($"/api/clusters/{cluster}/apply", new { domainAdministrator = administrator });

    private static string FailedStep(JsonElement job, string id)
    {
        var step = job.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        Assert.True(step.GetProperty("state").GetString() == "Failed", step.ToString());
        return string.Join(" | ", step.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("output").GetString()));
    }

    /// <summary>The console's SQLite files as text, to look for a secret in them.</summary>
    private static string DatabaseText(RunningConsole console) =>
        string.Concat(Directory.GetFiles(console.DataDirectory, "storageha.db*").Select(f =>
        {
            using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
            return reader.ReadToEnd();
        }));
}
