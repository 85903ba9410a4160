using System.Diagnostics;
using Xunit;

namespace StorageHa.TestSupport.Lab;

/// <summary>
/// One formed 3-node lab cluster (with CTDB prepared) for a whole test run: `down` first (a killed earlier run may
/// have left one), then `up --formed --ctdb`, and `down` at the end — also when the process exits without disposing.
/// The lab-level tests' own ("sha-it") also has the lab's GlusterFS volume (`--gluster`, a few seconds more) and a BMC
/// per node (`--bmc`, well under a second).
/// Tests that break a node must start it again before they finish: the next test expects a healthy cluster.
/// </summary>
public class LabFixture : IAsyncLifetime
{
    public LabFixture() : this("sha-it", gluster: true, bmc: true) { }

    private readonly bool _ad;
    private readonly bool _gluster;
    private readonly bool _formed;
    private readonly bool _bmc;

    /// <param name="prefix">Namespace prefix of this lab; LAB_PREFIX and LAB_DIR override it. Give each test project its own.</param>
    /// <param name="ad">With the lab's Active Directory domain controller (`up --ad`, <see cref="LabDescription.Ad"/>).</param>
    /// <param name="gluster">With the lab's GlusterFS volume (`up --gluster`, <see cref="LabDescription.Gluster"/>), set
    /// up while the cluster forms; `reset` makes it again.</param>
    /// <param name="formed">Formed with CTDB prepared (`--formed --ctdb`); without, nodes in no cluster, as the console
    /// finds new servers.</param>
    /// <param name="bmc">With a BMC per node (`up --bmc`, <see cref="LabNode.Bmc"/>) that fence_ipmilan powers the node
    /// off and on through.</param>
    protected LabFixture(string prefix, bool ad = false, bool gluster = false, bool formed = true, bool bmc = false)
    {
        Lab = LabCommand.ForTests(prefix);
        _ad = ad;
        _gluster = gluster;
        _formed = formed;
        _bmc = bmc;
    }

    public LabCommand Lab { get; }

    private LabDescription? _description;
    public LabDescription Description => _description ?? throw new InvalidOperationException("The lab is not up");

    /// <summary>How long `up` took; with --formed, from nothing to a quorate cluster with every node online.</summary>
    public TimeSpan FormedIn { get; private set; }

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsLinux())
            throw new InvalidOperationException("The lab runs Linux network namespaces: run these tests on Linux, as root.");
        // Exit 4: only what serving SMB/NFS needs is missing; the tests that serve require it themselves (RequiredTool).
        var check = await Lab.RunAsync("check", "--ctdb");
        if (check.ExitCode is not (0 or 4))
            throw new InvalidOperationException($"The lab cannot run here: {check.Output.Trim()} (see docker/lab/README.md)");
        if (_ad) await Lab.RequireDomainControllerAsync();
        if (_gluster) await Lab.RequireGlusterAsync();
        if (_bmc) await Lab.RequireBmcAsync();
        AppDomain.CurrentDomain.ProcessExit += TearDownAtExit;
        await Lab.RunCheckedAsync("down");
        var clock = Stopwatch.StartNew();
        try
        {
            await Lab.RunCheckedAsync(["up", "--nodes", "3", .. _formed ? new[] { "--formed", "--ctdb" } : [], .. _ad ? new[] { "--ad" } : [], .. _gluster ? new[] { "--gluster" } : [], .. _bmc ? new[] { "--bmc" } : []]);
            FormedIn = clock.Elapsed;
            _description = LabDescription.Load(Lab.DescriptionPath);
        }
        catch
        {
            await Lab.RunAsync("down");
            throw;
        }
    }

    /// <summary>
    /// Reinstalls every node in place (`lab.sh reset`: same namespaces and host keys, no cluster), then prepares it as
    /// <paramref name="options"/> say (--formed, --ctdb). Tests that reset must leave the lab formed with CTDB again.
    /// </summary>
    public async Task ResetAsync(params string[] options)
    {
        await Lab.RunCheckedAsync(["reset", .. options]);
        _description = LabDescription.Load(Lab.DescriptionPath);
    }

    public async Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= TearDownAtExit;
        if (KeepLab) return;
        await Lab.RunCheckedAsync("down");
    }

    /// <summary>STORAGEHA_KEEP_LAB=1 leaves the lab up after the run, to look into a failure (`lab.sh ssh NODE`); the next run takes it down.</summary>
    private static bool KeepLab => Environment.GetEnvironmentVariable("STORAGEHA_KEEP_LAB") == "1";

    private void TearDownAtExit(object? sender, EventArgs e)
    {
        if (!KeepLab) Lab.RunAsync(TimeSpan.FromSeconds(60), "down").GetAwaiter().GetResult();
    }
}
