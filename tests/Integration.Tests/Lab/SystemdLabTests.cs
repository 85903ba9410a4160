using System.Net.Sockets;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>The lab-level tests' systemd lab: two nodes and the domain controller (prefix sha-sdl, or LAB_PREFIX).</summary>
public sealed class SystemdLabTestsFixture() : SystemdLabFixture("sha-sdl", nodes: 2, ad: true);

/// <summary>The systemd lab's tests share one two-node lab and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SystemdLabCollection : ICollectionFixture<SystemdLabTestsFixture>
{
    public const string Name = "systemd lab";
}

/// <summary>
/// `lab.sh up --systemd` boots servers as a customer has them right after `apt install` of the cluster packages:
/// systemd as PID 1, Debian's one-node cluster running, pcsd listening, the file services enabled; and its failure
/// injection (crash, start, reset) and `down` behave as for namespace nodes. A test that breaks a node brings it back.
/// </summary>
[Collection(SystemdLabCollection.Name)]
public sealed class SystemdLabTests(SystemdLabTestsFixture lab)
{
    [Fact]
    public async Task ABootedNode_RunsSystemdAsPid1_AndOnlyTheKnownRpcPipefsMountFails()
    {
        Assert.True(lab.Description.Systemd, "lab.json does not say the nodes run systemd");
        Assert.Equal("systemd", (await lab.RunAsRootAsync("node1", "cat /proc/1/comm")).Trim());
        // This kernel has no sunrpc: run-rpc_pipefs.mount fails on every node, and makes the state "degraded".
        var state = (await lab.Lab.RunAsync("exec", "node1", "systemctl", "is-system-running")).Output.Trim();
        Assert.Contains(state, new[] { "running", "degraded" });
        var failed = await lab.RunAsRootAsync("node1", "systemctl list-units --failed --plain --no-legend | cut -d' ' -f1");
        Assert.All(failed.Split('\n', StringSplitOptions.RemoveEmptyEntries), unit => Assert.Equal("run-rpc_pipefs.mount", unit));
    }

    [Fact]
    public async Task AFreshNode_RunsDebiansDefaultOneNodeClusterNamedDebian()
    {
        // Right after a boot Pacemaker waits its dc-deadtime (20 s) before electing itself.
        CrmMonView cluster = null!;
        await LabCluster.WaitUntilAsync("Debian's default cluster electing a DC", TimeSpan.FromSeconds(60), async () =>
        {
            cluster = CrmMonView.Parse(await lab.RunAsRootAsync("node2", "crm_mon -1 --output-as=xml"));
            return cluster.Quorate;
        });
        // Debian's example corosync.conf: the node calls itself node1 whatever its hostname.
        Assert.Equal(["node1"], cluster.OnlineNodes);
        Assert.Equal("debian", (await lab.RunAsRootAsync("node2", "crm_attribute --type crm_config --name cluster-name --query --quiet")).Trim());
    }

    [Fact]
    public async Task AFreshNode_HasPcsdListeningAndTheFileServicesEnabled()
    {
        var node = lab.Description.Node("node1");
        NetworkNamespace.Run(lab.Description.ClientNamespace, () =>
        {
            using var pcsd = new TcpClient();
            Assert.True(pcsd.ConnectAsync(node.Address, 2224).Wait(TimeSpan.FromSeconds(10)), "pcsd does not answer on 2224");
            return true;
        });
        var enabled = await lab.RunAsRootAsync("node1", "systemctl is-enabled smbd nmbd nfs-ganesha corosync pacemaker pcsd");
        Assert.Equal(Enumerable.Repeat("enabled", 6), enabled.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Admin_HasPasswordlessSudo_AndClerksSudoAsksForAPassword()
    {
        Assert.Equal("nopasswd", lab.Description.User("admin").Sudo);
        Assert.Equal("password", lab.Description.User("clerk").Sudo);

        var admin = await lab.SshAsync("node1", "id -un && sudo -n id -un", user: "admin");
        Assert.True(admin.Succeeded, admin.Output);
        Assert.Equal("admin\nroot", admin.Output.Trim().ReplaceLineEndings("\n"));

        var clerk = await lab.SshAsync("node1", "id -un && sudo -n true", user: "clerk");
        Assert.False(clerk.Succeeded, $"clerk's sudo -n succeeded: {clerk.Output}");
        Assert.StartsWith("clerk", clerk.Output.Trim());
        Assert.Contains("a password is required", clerk.Output);
    }

    [Fact]
    public async Task Crash_EndsEveryProcessAndTheNetwork_AndStartBootsTheSameServerWithItsDisk()
    {
        await lab.Lab.SshAsync("node2", "echo before-the-crash > /root/disk-check");
        var init = int.Parse(await File.ReadAllTextAsync(Path.Combine(lab.Description.Node("node2").Directory, "init.pid")));
        var pidNamespace = new FileInfo($"/proc/{init}/ns/pid").LinkTarget!;

        await lab.CrashAsync("node2");

        Assert.Empty(ProcessesIn(pidNamespace));
        Assert.False(File.Exists($"/run/netns/{lab.Description.Node("node2").Namespace}"), "the crashed node's network namespace is still there");

        await lab.StartAsync("node2");
        // lab.sh ssh checks the host key against the lab's known_hosts: the same server answers.
        Assert.Equal("before-the-crash", (await lab.Lab.SshAsync("node2", "cat /root/disk-check")).Trim());
        Assert.Equal(lab.Description.Node("node2").HostKeyFingerprint, await FingerprintOnTheNodeAsync("node2"));
        await lab.RunAsRootAsync("node2", "rm /root/disk-check");
    }

    [Fact]
    public async Task Reset_ReinstallsTheNode_FreshDiskSameHostKey_DebiansClusterRunningAgain()
    {
        var fingerprint = lab.Description.Node("node2").HostKeyFingerprint;
        // (disable without --now: stopping pcsd while it is still starting can wait out its stop timeout)
        await lab.Lab.SshAsync("node2", "echo before-the-reinstall > /root/disk-check && systemctl disable pcsd");

        await lab.ResetAsync("node2");

        var gone = await lab.Lab.SshAsync("node2", "test -e /root/disk-check && echo kept || echo gone");
        Assert.Equal("gone", gone.Trim());
        Assert.Equal(fingerprint, lab.Description.Node("node2").HostKeyFingerprint);
        Assert.Equal(fingerprint, await FingerprintOnTheNodeAsync("node2"));
        Assert.Equal("enabled", (await lab.RunAsRootAsync("node2", "systemctl is-enabled pcsd")).Trim());
        Assert.Equal("active\nactive\nactive", (await lab.RunAsRootAsync("node2", "systemctl is-active corosync pacemaker pcsd")).Trim());
    }

    [Fact]
    public async Task Down_LeavesNoProcessNamespaceMountCgroupOrDirectoryBehind()
    {
        var throwaway = LabCommand.Throwaway("sdt");
        await throwaway.RunCheckedAsync("down");
        var up = await throwaway.RunAsync(TimeSpan.FromMinutes(12), "up", "--systemd", "--nodes", "1");
        Assert.True(up.Succeeded, up.Output);
        var traces = LabTraces.Of(throwaway);
        Assert.NotEmpty(traces.NamespaceIds);

        await throwaway.RunCheckedAsync("down");

        Assert.Empty(traces.Leftovers());
    }

    [Fact]
    public async Task Down_AfterAnUpKilledWhileBooting_LeavesNothingBehind()
    {
        var throwaway = LabCommand.Throwaway("sdt");
        await throwaway.RunCheckedAsync("down");
        using (var up = throwaway.Start("up", "--systemd", "--nodes", "2"))
        {
            var firstNode = Path.Combine(throwaway.LabDirectory, "nodes", "node1", "nspawn.pid");
            await LabCluster.WaitUntilAsync("the first node launching", TimeSpan.FromMinutes(12),
                () => Task.FromResult(File.Exists(firstNode) || up.HasExited));
            up.Kill(entireProcessTree: true); // like a run stopped mid-way: the nodes already launched stay up
            await up.WaitForExitAsync();
        }
        Assert.False(File.Exists(throwaway.DescriptionPath), "up finished before it could be killed");
        var traces = LabTraces.Of(throwaway);

        await throwaway.RunCheckedAsync("down");

        Assert.Empty(traces.Leftovers());
    }

    private async Task<string> FingerprintOnTheNodeAsync(string node) =>
        (await lab.RunAsRootAsync(node, "ssh-keygen -l -E sha256 -f /etc/ssh/ssh_host_ed25519_key.pub")).Split(' ')[1];

    private static List<int> ProcessesIn(string pidNamespace) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && PidNamespaceOf(pid) == pidNamespace)
            .ToList();

    private static string? PidNamespaceOf(int pid)
    {
        try { return new FileInfo($"/proc/{pid}/ns/pid").LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
