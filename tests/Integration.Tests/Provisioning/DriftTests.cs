using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>The three-node lab spec's batch applied once with the real pcs -f: the CIB the drift tests change with pcs.</summary>
public sealed class LabCib : IAsyncLifetime
{
    public (ClusterSpec Spec, IReadOnlyDictionary<string, NodeFacts> Facts) Lab { get; } = GoldenBatches.Load("three-node-lab");
    public Plan Plan { get; private set; } = null!;
    public string Xml { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Plan = PlanBuilder.Build(Lab.Spec, Lab.Facts);
        var result = await OfflineCib.ApplyAsync(Plan, runChecks: false);
        if (!result.Succeeded) throw new InvalidOperationException($"{result.Failed?.Result?.CommandLine}: {result.Failed?.Result?.Error}");
        Xml = result.CibXml;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The CIB after these pcs commands (arguments after <c>pcs -f FILE</c>), as an admin would have run them.</summary>
    public async Task<string> ChangedWithPcs(params string[][] commands)
    {
        var directory = Directory.CreateTempSubdirectory("storageha-drift-").FullName;
        try
        {
            var file = Path.Combine(directory, "cib.xml");
            await File.WriteAllTextAsync(file, Xml);
            foreach (var command in commands)
            {
                var result = await LocalTool.RunAsync(["pcs", "-f", file, .. command], directory);
                if (!result.Succeeded) throw new InvalidOperationException($"{result.CommandLine}: {result.Error}");
            }
            return await File.ReadAllTextAsync(file);
        }
        finally { Directory.Delete(directory, recursive: true); }
    }
}

/// <summary>Tier 1: what someone changed with pcs, found by comparing the CIB with the spec's plan, then fixed by re-applying.</summary>
public sealed class DriftTests(LabCib lab, ITestOutputHelper output) : IClassFixture<LabCib>
{
    [Fact]
    public void TheCibTheSpecBuilt_HasNoDrift()
    {
        Assert.True(Drift.Find(lab.Plan, lab.Xml).InSync);
    }

    [Fact]
    public async Task AVipChangedWithPcs_IsReported_WithTheClustersVersionToImport()
    {
        var cib = await lab.ChangedWithPcs(["resource", "update", "vip-192.0.2.102", "cidr_netmask=16", "nic=eth1"]);

        var item = Assert.Single(Report(cib).Items);

        Assert.Equal((DriftKind.Changed, "vip-192.0.2.102", true), (item.Kind, item.Resource, item.ReapplyFixes));
        Assert.Equal("Virtual IP 192.0.2.102 was changed in the cluster: cidr_netmask is 16, the spec says 24; nic is eth1, the spec says eth0.", item.What);
        Assert.Equal(new VirtualIpSpec { Address = "192.0.2.102", Prefix = 16, Nic = "eth1" }, item.Import);
    }

    [Fact]
    public async Task EveryKindOfChange_IsListed_AndReapplyingLeavesOnlyWhatTheConsoleDoesNotOwn()
    {
        var cib = await lab.ChangedWithPcs(
            ["resource", "delete", "vip-192.0.2.104"],
            ["constraint", "location", "vip-192.0.2.101", "prefers", "node3=500"],
            ["property", "set", "no-quorum-policy=ignore"],
            ["resource", "create", "vip-192.0.2.150", "ocf:heartbeat:IPaddr2", "ip=192.0.2.150", "cidr_netmask=24"],
            ["resource", "create", "office-ip", "ocf:heartbeat:IPaddr2", "ip=192.0.2.160", "cidr_netmask=24", "nic=eth0"],
            ["resource", "create", "backup-job", "ocf:heartbeat:Dummy"]);

        var report = Report(cib);

        Assert.Equal(
        [
            (DriftKind.Changed, "cluster properties", true, false),
            (DriftKind.Changed, "vip-192.0.2.101", true, false),
            (DriftKind.Missing, "vip-192.0.2.104", true, false),
            (DriftKind.Extra, "vip-192.0.2.150", true, true),
            (DriftKind.Extra, "office-ip", false, true),
            (DriftKind.Extra, "backup-job", false, false),
        ], report.Items.Select(i => (i.Kind, i.Resource, i.ReapplyFixes, i.Importable)));
        Assert.Equal("Cluster properties: no-quorum-policy is ignore, the spec wants stop.", report.Items[0].What);
        Assert.Contains("node3=500, the spec gives", report.Items[1].What, StringComparison.Ordinal);
        Assert.Equal(new VirtualIpSpec { Address = "192.0.2.160", Prefix = 24, Nic = "eth0" }, report.Items[4].Import);

        var reapplied = await OfflineCib.ApplyAsync(lab.Plan, cib);
        Assert.True(reapplied.Succeeded, $"{reapplied.Failed?.Step.Id}: {reapplied.Failed?.Result?.Error}");
        Assert.Equal(["office-ip", "backup-job"], Report(reapplied.CibXml).Items.Select(i => i.Resource));
    }

    [Fact]
    public async Task StepIdsAreOnlyLabels_RenamingEveryStep_FindsTheSameDrift_AndTheRenamedBatchFixesIt()
    {
        var cib = await lab.ChangedWithPcs(
            ["resource", "delete", "vip-192.0.2.104"],
            ["constraint", "location", "vip-192.0.2.101", "prefers", "node3=500"],
            ["resource", "update", "vip-192.0.2.102", "cidr_netmask=16"],
            ["property", "set", "no-quorum-policy=ignore"],
            ["resource", "create", "backup-job", "ocf:heartbeat:Dummy"]);
        var renamed = lab.Plan with { Steps = lab.Plan.Steps.Select((s, i) => s with { Id = $"step-{i}" }).ToArray() };

        Assert.Equal(Report(cib).Items, Drift.Find(renamed, cib).Items);
        var reapplied = await OfflineCib.ApplyAsync(renamed, cib);
        Assert.True(reapplied.Succeeded, $"{reapplied.Failed?.Step.Id}: {reapplied.Failed?.Result?.Error}");
        Assert.Equal(["backup-job"], Drift.Find(renamed, reapplied.CibXml).Items.Select(i => i.Resource));
    }

    private DriftReport Report(string cib)
    {
        var report = Drift.Find(lab.Plan, cib);
        foreach (var item in report.Items) output.WriteLine($"{item.Kind} {item.Resource}: {item.What} (re-apply fixes: {item.ReapplyFixes}, importable: {item.Importable})");
        return report;
    }
}
