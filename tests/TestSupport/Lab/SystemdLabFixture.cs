using System.Diagnostics;
using Xunit;

namespace StorageHa.TestSupport.Lab;

/// <summary>
/// A lab of systemd nodes (`lab.sh up --systemd`): Debian 12 servers with systemd as PID 1, exactly as `apt install`
/// of the cluster packages leaves them (Debian's one-node cluster "debian" running, pcsd, smbd/nmbd/nfs-ganesha
/// enabled), logins root, admin (passwordless sudo) and clerk (sudo asks a password). `down` first (a killed run may
/// have left one), `up`, and `down` at the end — also when the process exits without disposing. The first `up` on a
/// machine builds the cached root filesystem (a few minutes); later ones boot in seconds.
/// </summary>
public class SystemdLabFixture : IAsyncLifetime
{
    // Building the root filesystem once (debootstrap + apt) takes 2-3 minutes on a loaded 2-core machine.
    private static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(12);

    private readonly int _nodes;
    private readonly bool _ad;
    private readonly bool _gluster;
    private readonly bool _bmc;

    /// <param name="prefix">Namespace prefix of this lab; LAB_PREFIX and LAB_DIR override it.</param>
    /// <param name="nodes">How many nodes (node1…nodeN, 192.0.2.11…).</param>
    /// <param name="ad">With the lab's Active Directory domain controller (`up --ad`, <see cref="LabDescription.Ad"/>),
    /// booted beside the nodes: it adds seconds, not minutes.</param>
    /// <param name="gluster">With the lab's GlusterFS volume (`up --gluster`, <see cref="LabDescription.Gluster"/>):
    /// Debian's glusterd.service enabled and started in every node. Such a lab resets every node or none.</param>
    /// <param name="bmc">With a BMC per node (`up --bmc`, <see cref="LabNode.Bmc"/>); fence_ipmilan in the nodes needs
    /// fence-agents and ipmitool in their root filesystem (docker/node-systemd/packages).</param>
    public SystemdLabFixture(string prefix, int nodes, bool ad = false, bool gluster = false, bool bmc = false)
    {
        Lab = LabCommand.ForTests(prefix);
        _nodes = nodes;
        _ad = ad;
        _gluster = gluster;
        _bmc = bmc;
    }

    public LabCommand Lab { get; }

    private LabDescription? _description;
    public LabDescription Description => _description ?? throw new InvalidOperationException("The lab is not up");

    /// <summary>How long `up --systemd` took, from nothing to every node's systemd done booting (sshd answering).</summary>
    public TimeSpan BootedIn { get; private set; }

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
            throw new InvalidOperationException("The lab runs Linux network namespaces: run these tests on Linux, as root.");
        var check = await Lab.RunAsync("check", "--systemd");
        if (!check.Succeeded)
            throw new InvalidOperationException($"The systemd lab cannot run here: {check.Output.Trim()} (see docker/lab/README.md)");
        if (_ad) await Lab.RequireDomainControllerAsync();
        if (_gluster) await Lab.RequireGlusterAsync();
        if (_bmc) await Lab.RequireBmcAsync();
        AppDomain.CurrentDomain.ProcessExit += TearDownAtExit;
        await Lab.RunCheckedAsync("down");
        var clock = Stopwatch.StartNew();
        try
        {
            string[] up = ["up", "--systemd", "--nodes", _nodes.ToString(), .. _ad ? new[] { "--ad" } : [], .. _gluster ? new[] { "--gluster" } : [], .. _bmc ? new[] { "--bmc" } : []];
            var result = await Lab.RunAsync(UpTimeout, up);
            if (!result.Succeeded) throw new InvalidOperationException($"lab.sh {string.Join(' ', up)} failed ({result.ExitCode}):\n{result.Output}");
            BootedIn = clock.Elapsed;
            _description = LabDescription.Load(Lab.DescriptionPath);
        }
        catch
        {
            await Lab.RunAsync("down");
            throw;
        }
    }

    /// <summary>Power loss: the node's NIC and every process go at once (SIGKILL of its PID 1); its disk stays.</summary>
    public Task CrashAsync(string node) => Lab.RunCheckedAsync("crash", node);

    /// <summary>Graceful shutdown: systemd stops every unit and powers the node off.</summary>
    public Task StopAsync(string node) => Lab.RunCheckedAsync("stop", node);

    /// <summary>Boots a stopped or crashed node with its disk; returns when its systemd has finished booting.</summary>
    public Task StartAsync(string node) => Lab.RunCheckedAsync("start", node);

    /// <summary>
    /// Reinstalls the node: a fresh disk (the package state `apt install` left, Debian's default cluster running
    /// again), the same address and host keys; returns when it has booted.
    /// </summary>
    public async Task ResetAsync(string node)
    {
        await Lab.RunCheckedAsync("reset", node);
        _description = LabDescription.Load(Lab.DescriptionPath);
    }

    /// <summary>Reinstalls every node at once (as <see cref="ResetAsync"/>): servers as `apt install` left them.</summary>
    public async Task ResetAllAsync()
    {
        await Lab.RunCheckedAsync("reset");
        _description = LabDescription.Load(Lab.DescriptionPath);
    }

    /// <summary>Runs a shell command line as root inside the node (its console, not SSH) and returns its output;
    /// throws with the output when it fails.</summary>
    public Task<string> RunAsRootAsync(string node, string commandLine) =>
        Lab.RunCheckedAsync("exec", node, "sh", "-c", commandLine);

    /// <summary>Runs a shell command line over SSH from the client namespace as <paramref name="user"/> (root, admin,
    /// clerk) with the lab's client key, host key checked.</summary>
    public Task<LabCommandResult> SshAsync(string node, string commandLine, string user = "root") =>
        Lab.RunAsync("ssh", "--user", user, node, commandLine);

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= TearDownAtExit;
        // STORAGEHA_KEEP_LAB=1 leaves the lab up after the run, to look at its nodes (`lab.sh down` with the same LAB_* then).
        if (Environment.GetEnvironmentVariable("STORAGEHA_KEEP_LAB") != "1") await Lab.RunCheckedAsync("down");
    }

    private void TearDownAtExit(object? sender, EventArgs e)
    {
        if (Environment.GetEnvironmentVariable("STORAGEHA_KEEP_LAB") != "1") Lab.RunAsync(TimeSpan.FromSeconds(60), "down").GetAwaiter().GetResult();
    }
}
