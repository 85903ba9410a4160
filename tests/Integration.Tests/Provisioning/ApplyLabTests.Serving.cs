using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// "Done" means served: the apply's last step asks smbd on every node for a real tree connect to each share. Each fault
/// here is one a real server has (a package installed without recommends, a folder missing on one node, a share only its
/// user may open) and the job must say which node and why, from the node's own answer.
/// </summary>
public sealed partial class ApplyLabTests
{
    /// <summary>
    /// A folder on each node's own disk: the lab gives every node a private /home, as a local disk is (the console refuses
    /// system directories such as /var/lib for shares).
    /// </summary>
    private const string NodeLocalRoot = "/home/storageha";

    [Fact]
    public async Task TheApply_EndsWithAServeCheck_ThatProvedEveryShareAndVip_OnEveryNode()
    {
        var cluster = await built.BuildAsync(fixture);

        var report = await cluster.Apply.ServeChecks.LastAsync(cluster.Apply.ClusterId);

        Assert.NotNull(report);
        var step = cluster.Built.Steps.Single(s => s.ChecksServing);
        output.WriteLine($"{report.Summary} The step took {step.Runs.Max(r => r.Seconds ?? 0):0.0} s (its slowest node).");
        Assert.True(report.Served, report.Summary);
        foreach (var node in cluster.Base.Nodes.Select(n => n.Name))
        {
            Assert.Contains(new ServeResult(node, ServeSubject.Share, "public", true), report.Results);
            Assert.Contains(new ServeResult(node, ServeSubject.Module, "fileid", true), report.Results);
            Assert.Contains(new ServeResult(node, ServeSubject.Config, "smb.conf", true), report.Results);
            foreach (var vip in cluster.Base.VirtualIps)
                Assert.Contains(new ServeResult(node, ServeSubject.VirtualIp, vip.Address, true), report.Results);
        }
    }

    [Fact]
    public async Task ANodeWithoutSambaVfsModules_IsABlockerOfTheProbeAndPlan_AndAfterPlanning_FailsTheApplysServeCheck_NamingNodeAndModule()
    {
        var cluster = await built.BuildAsync(fixture);
        var planned = cluster.PlanOf(cluster.Applied);
        try
        {
            await fixture.Lab.RunCheckedAsync("uninstall", "node2", "samba-vfs-modules");

            var facts = await cluster.Apply.ProbeAsync(cluster.Applied.Purpose);
            var finding = Assert.Single(facts["node2"].Findings, f => f.Message.StartsWith("samba-vfs-modules is not installed", StringComparison.Ordinal));
            Assert.Equal((FindingSeverity.Blocker, "apt-get install -y samba-vfs-modules"), (finding.Severity, finding.FixCommand));
            Assert.DoesNotContain(facts["node1"].Findings, f => f.Severity == FindingSeverity.Blocker);
            Assert.Contains("node2 lacks samba-vfs-modules: run `apt-get install -y samba-vfs-modules`", PlanBuilder.Build(cluster.Applied, facts).Blockers);

            // The plan made before the module went away: the apply changes nothing, and its serve check finds it.
            var (job, _) = await cluster.Apply.ApplyAsync(planned, ConsoleBuiltCluster.Secrets);

            output.WriteLine(job.Failure);
            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal(ServeCheck.StepId, job.Steps.Single(s => s.State == StepState.Failed).Id);
            Assert.Contains("node2: VFS module fileid: smbd has no VFS module fileid", job.Failure, StringComparison.Ordinal);
            Assert.Contains("node2: share public: smbd could not load vfs module fileid (install samba-vfs-modules)", job.Failure, StringComparison.Ordinal);
            Assert.DoesNotContain("node1", job.Failure, StringComparison.Ordinal);
            var kept = await cluster.Apply.ServeChecks.LastAsync(cluster.Apply.ClusterId);
            Assert.False(kept!.Served);
            Assert.Equal(["node2"], kept.Failures.Select(f => f.Node).Distinct());
        }
        finally
        {
            // Restarted, the node has the package again, as a server after apt-get install and a restart of its services.
            await fixture.Lab.RunCheckedAsync("reinstall", "node2", "samba-vfs-modules");
            await fixture.Lab.RunCheckedAsync("stop", "node2");
            await fixture.Lab.RunCheckedAsync("start", "node2");
            await AnswersAgainAsync(cluster, "node2");
            await cluster.Apply.RunAsync("node1", [.. NodeCommands.WaitForResources(300)]);
            await cluster.Apply.RunAsync("node1", [.. NodeCommands.WaitForCtdb(180)]);
        }
        var (again, _) = await cluster.Apply.ApplyAsync(planned, ConsoleBuiltCluster.Secrets);
        Assert.True(again.State == JobState.Succeeded, ConsoleBuiltCluster.Describe(again));
    }

    [Fact]
    public async Task AShareWhoseFolderIsMissingOnOneNode_FailsTheApply_NamingTheNodeAndThePath()
    {
        var cluster = await built.BuildAsync(fixture);
        var folder = $"{NodeLocalRoot}/served-here";
        var original = cluster.Applied;
        var spec = original with { Shares = [.. cluster.Applied.Shares, new ShareSpec { Name = "local", Path = folder, GuestOk = true, ReadOnly = true }] };
        try
        {
            foreach (var node in new[] { "node1", "node3" }) await cluster.Apply.RunAsync(node, "install", "-d", "-m", "755", folder);

            var (job, _) = await cluster.Apply.ApplyAsync(cluster.PlanOf(spec), ConsoleBuiltCluster.Secrets);

            output.WriteLine(job.Failure);
            Assert.Equal(JobState.Failed, job.State);
            Assert.Equal($"Not served: node2: share local: its folder {folder} does not exist on this node", job.Failure);
        }
        finally
        {
            await cluster.ConvergeAsync(original);
            foreach (var node in new[] { "node1", "node3" }) await cluster.Apply.RunAsync(node, "rm", "-rf", folder);
        }
    }

    [Fact]
    public async Task AShareOnlyItsUserMayOpen_IsStillProvenServed_AsThatUser_OnEveryNode()
    {
        var cluster = await built.BuildAsync(fixture);
        var folder = $"{NodeLocalRoot}/team";
        var original = cluster.Applied;
        var spec = original with { Shares = [.. cluster.Applied.Shares, new ShareSpec { Name = "team", Path = folder, ValidUsers = [SmbPrincipal.User("alice")] }] };
        var nodes = original.Nodes.Select(n => n.Name).ToArray();
        try
        {
            foreach (var node in nodes)
                await cluster.Apply.RunAsync(node, "sh", "-c", "id -u alice >/dev/null 2>&1 || useradd -M -u 4242 -s /usr/sbin/nologin alice; " +
                    "install -d -m 700 -o alice -g alice \"$0\"", folder);
            // One SMB account for the whole cluster: passdb lives in CTDB. Its password is never known to the check.
            await cluster.Apply.RunAsync("node1", "sh", "-c", "printf 'Secret-4242\\nSecret-4242\\n' | smbpasswd -s -a alice");

            var (job, _) = await cluster.ConvergeAsync(spec);

            var report = ServeReport.FromRuns(DateTimeOffset.UtcNow, job.Steps.Single(s => s.ChecksServing).Runs);
            output.WriteLine(report.Summary);
            Assert.All(nodes, node => Assert.Contains(new ServeResult(node, ServeSubject.Share, "team", true), report.Results));
            var nobody = await cluster.Apply.RunAsync("node2", "sh", "-c", "smbclient -N //127.0.0.1/team -c 'cd /' 2>&1 || true");
            Assert.Contains("NT_STATUS_", nobody, StringComparison.Ordinal);
        }
        finally
        {
            await cluster.ConvergeAsync(original);
            await cluster.Apply.RunAsync("node1", "sh", "-c", "pdbedit -x alice >/dev/null 2>&1; true");
            foreach (var node in nodes)
                await cluster.Apply.RunAsync(node, "sh", "-c", "rm -rf \"$0\"; userdel alice 2>/dev/null; true", folder);
        }
    }
}
