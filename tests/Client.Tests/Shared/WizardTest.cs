using AngleSharp.Dom;
using Bunit;
using StorageHa.Client.Components.Pages;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using Node = StorageHa.Shared.Inventory.Node;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// A draft as the wizard leaves it in the inventory, step by step: the tests build it with the same doors the wizard uses,
/// then render the wizard and read what it shows.
/// </summary>
public abstract class WizardTest : ConsoleTest
{
    protected const long ClusterId = 1;
    protected const long KeyId = 7;

    /// <summary>The shared file system every probed node mounts, at the same place and of the same size.</summary>
    protected static readonly FilesystemSpace SharedFs = new("/srv/cluster-state", 50L << 30, 40L << 30);

    protected void AddCluster(ClusterPurpose purpose = ClusterPurpose.Both, string name = "nas1") =>
        Inventory.Clusters.Add(new Cluster { Id = ClusterId, Name = name, Purpose = purpose, Description = "file services" });

    protected void AddKey() =>
        CredentialStore.Credentials.Add(new Credential { Id = KeyId, Name = "nas1-key", Kind = CredentialKind.PrivateKey, PublicKey = "ssh-ed25519 AAAAC3Nz nas1" });

    /// <summary>Nodes node1…nodeN at 192.0.2.11…, logged in with the key, host keys accepted, probed ready (eth0 /24, the shared fs).</summary>
    protected async Task AddReadyNodesAsync(int count, Func<int, FilesystemSpace>? sharedFs = null, long clusterId = ClusterId)
    {
        AddKey();
        for (var i = 1; i <= count; i++)
        {
            var node = await Inventory.AddNodeAsync(new Node
            {
                ClusterId = clusterId, Name = $"node{i}", Address = $"192.0.2.{10 + i}", CredentialId = KeyId, HostKeyFingerprint = $"SHA256:node{i}key",
            });
            NodeAccess.ProbeResult.SetResult(Facts(i, sharedFs?.Invoke(i) ?? SharedFs));
            await NodeAccess.ProbeAsync(node.Id);
        }
    }

    protected static NodeFacts Facts(int i, FilesystemSpace shared, params ProbeFinding[] findings) => new()
    {
        ProbedAt = DateTimeOffset.UnixEpoch, Hostname = $"node{i}", OsName = "Debian GNU/Linux 12 (bookworm)", OsId = "debian",
        Interfaces = [new("lo", null, true, ["127.0.0.1/8"]), new("eth0", "52:54:00:00:00:0" + i, true, [$"192.0.2.{10 + i}/24"]),
                      new("eth1", "52:54:00:00:01:0" + i, true, [$"198.51.100.{10 + i}/24"])],
        Filesystems = [new("/", 20L << 30, 10L << 30), shared],
        TimeSynchronized = true,
        Findings = findings,
    };

    protected IRenderedComponent<NewClusterWizard> RenderWizard(long? clusterId = ClusterId) =>
        RenderPage<NewClusterWizard>(p => { if (clusterId is { } id) p.Add(x => x.ClusterId, id); });

    /// <summary>The title of the step the stepper shows as active.</summary>
    protected static string ActiveStep(IRenderedComponent<NewClusterWizard> page) =>
        page.Find(".mud-step.active .mud-step-label-content").TextContent.Trim();

    protected static void WaitForStep(IRenderedComponent<NewClusterWizard> page, string title) =>
        page.WaitForAssertion(() => Assert.Equal(title, ActiveStep(page)), Patience);

    protected static void Next(IRenderedComponent<NewClusterWizard> page) => Click(page, "Next");

    /// <summary>Next was refused: the reasons shown above the buttons.</summary>
    protected static string Blocked(IRenderedComponent<NewClusterWizard> page)
    {
        string text = "";
        page.WaitForAssertion(() => text = page.Find(".wizard-blocked").TextContent, Patience);
        return text;
    }

    protected static void Enter(IRenderedComponent<NewClusterWizard> page, string selector, string value) =>
        page.WaitForAssertion(() => page.Find(selector).Change(value), Patience);

    protected static IReadOnlyList<IElement> Inputs(IRenderedComponent<NewClusterWizard> page, string selector) => page.FindAll(selector);
}
