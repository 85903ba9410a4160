using System.Security.Cryptography;
using System.Text.RegularExpressions;
using StorageHa.Integration.Tests.Lab;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// Tier 2: a whole spec applied to reinstalled (unformed) lab nodes by the console's job machinery, then judged from the
/// outside — crm_mon, the CIB's epoch, and an SMB client in the lab's client namespace. The lab is formed again at the end.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class ApplyLabTests(LabFixture fixture, ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Secrets = new()
    {
        [PlanBuilder.HaclusterPassword] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) + "\n",
        [PlanBuilder.CorosyncAuthkey] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(192)),
    };

    [Fact]
    public async Task FullSpec_OnUnformedNodes_FormsTheCluster_ServesEachVip_ReappliesAsNoOp_AndAddsAVipWithConstraintsOnly()
    {
        await fixture.ResetAsync();
        try
        {
            var lab = fixture.Description;
            await using var apply = await ApplyLab.StartAsync(lab, "labnas");
            var spec = Spec(lab, vips: 2);
            Directory.CreateDirectory(Path.Combine(lab.SharedDirectory, "data"));
            await File.WriteAllTextAsync(Path.Combine(lab.SharedDirectory, "data", "hello.txt"), "served by every node\n");
            var facts = await apply.ProbeAsync(spec.Purpose);
            var plan = PlanBuilder.Build(spec, facts);
            Assert.Empty(plan.Blockers);

            // What the simulation predicts, from the same plan, offline.
            var predicted = await Simulator.RunAsync((await OfflineCib.ApplyAsync(plan, runChecks: false)).CibXml, lab.Nodes.Select(n => n.Name).ToArray(), maxFailures: 0);

            var (job, took) = await apply.ApplyAsync(plan, Secrets);
            output.WriteLine($"apply → every resource started: {took.TotalSeconds:0.0} s");
            Assert.True(job.State == JobState.Succeeded, Describe(job));
            Assert.All(job.Steps, s => Assert.Contains(s.State, new[] { StepState.Done, StepState.AlreadyDone }));

            var mon = await apply.RunAsync("node1", "crm_mon", "-1", "--output-as=xml");
            Assert.DoesNotContain("role=\"Stopped\"", mon, StringComparison.Ordinal);
            Assert.DoesNotContain("failed=\"true\"", mon, StringComparison.Ordinal);
            var running = ResourcePlacement.From(StorageHa.Shared.State.CrmMonParser.Parse(mon));
            foreach (var vip in spec.VirtualIps)
                Assert.Equal(predicted.AllUp.NodeOf(ResourceIds.Vip(vip.Address)), running.NodeOf(ResourceIds.Vip(vip.Address)));

            foreach (var vip in spec.VirtualIps)
                Assert.Contains("served by every node", await SmbGetAsync(lab, vip.Address, "public", "hello.txt"), StringComparison.Ordinal);

            // Re-apply the same spec: every step already done, and the CIB not even touched.
            var epoch = await EpochAsync(apply);
            var (again, againTook) = await apply.ApplyAsync(PlanBuilder.Build(spec, facts), Secrets);
            output.WriteLine($"re-apply of the same spec: {againTook.TotalSeconds:0.0} s");
            Assert.True(again.ChangedNothing, Describe(again));
            Assert.Equal(epoch, await EpochAsync(apply));

            // One more VIP: the new VIP resource, and constraints only — the VIP sets, and the placement scores, which are
            // recomputed for the new VIP count (balance is global, so an existing VIP may be re-placed). Nothing else runs.
            var grown = Spec(lab, vips: 3);
            var (added, addedTook) = await apply.ApplyAsync(PlanBuilder.Build(grown, facts), Secrets);
            output.WriteLine($"adding a VIP: {addedTook.TotalSeconds:0.0} s; steps that changed: {string.Join(", ", added.Steps.Where(s => s.State == StepState.Done).Select(s => s.Id))}");
            Assert.True(added.State == JobState.Succeeded, Describe(added));
            var newVip = ResourceIds.Vip(grown.VirtualIps[^1].Address);
            var changed = added.Steps.Where(s => s.State == StepState.Done).Select(s => s.Id).ToList();
            Assert.Contains($"cib-{newVip}", changed);
            Assert.All(changed, id => Assert.True(
                id is "cib-fetch" or "cib-push" or "settle" || id.StartsWith($"cib-{newVip}", StringComparison.Ordinal) ||
                id.EndsWith("-placement", StringComparison.Ordinal) || id.EndsWith("-placement-stale", StringComparison.Ordinal) ||
                id.StartsWith("cib-vips-with-services", StringComparison.Ordinal) || id.StartsWith("cib-services-then-vips", StringComparison.Ordinal),
                $"{id} changed, though adding a VIP should not touch it"));
            Assert.Contains("served by every node", await SmbGetAsync(lab, grown.VirtualIps[^1].Address, "public", "hello.txt"), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ResetAsync("--formed", "--ctdb");
        }
    }

    /// <summary>SMB only (the lab has no NFS-Ganesha packages), the lab's fast CTDB tunables, a guest share on the shared directory.</summary>
    private static ClusterSpec Spec(LabDescription lab, int vips) => new()
    {
        Name = "labnas",
        Purpose = ClusterPurpose.Smb,
        Nodes = lab.Nodes.Select(n => new NodeSpec { Name = n.Name, Address = n.Address }).ToList(),
        VirtualIps = lab.FreeAddresses.Take(vips).Select(a => new VirtualIpSpec { Address = a, Prefix = lab.PrefixLength }).ToList(),
        Shares = [new ShareSpec { Name = "public", Path = Path.Combine(lab.SharedDirectory, "data"), GuestOk = true, ReadOnly = true }],
        Nic = lab.Nic,
        SharedState = new SharedStateSpec { RecoveryLock = Path.Combine(lab.SharedDirectory, "ctdb", "reclock") },
        Fencing = new FencingSpec { NoFencingAcknowledged = true },
        CtdbTunables = new Dictionary<string, int> { ["KeepaliveInterval"] = 1, ["KeepaliveLimit"] = 3, ["MonitorInterval"] = 2, ["RerecoveryTimeout"] = 2 },
    };

    /// <summary>Reads a file through a VIP as a guest, with smbclient in the lab's client namespace.</summary>
    private static Task<string> SmbGetAsync(LabDescription lab, string vip, string share, string file) =>
        StorageHa.Integration.Tests.Tickle.NamespaceCommand.RunAsync(TimeSpan.FromSeconds(60), lab.ClientNamespace,
            "smbclient", $"//{vip}/{share}", "-N", "-c", $"get {file} /dev/stdout");

    private static async Task<string> EpochAsync(ApplyLab apply)
    {
        var cib = await apply.RunAsync("node1", "cibadmin", "--query", "--xpath", "/cib", "--no-children");
        return EpochAttributes().Match(cib).Value;
    }

    private static string Describe(ProvisioningJob job) =>
        $"{job.State}: {job.Failure}\n" + string.Join("\n", job.Steps.Select(s => $"  {s.Id}: {s.State} " +
            string.Join("; ", s.Runs.Where(r => r.Output.Length > 0).Select(r => $"{r.Node}: {r.Output[..Math.Min(300, r.Output.Length)]}"))));

    [GeneratedRegex("admin_epoch=\"\\d+\" epoch=\"\\d+\"|epoch=\"\\d+\"")]
    private static partial Regex EpochAttributes();
}
