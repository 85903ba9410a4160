using StorageHa.Client.Model;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Client.Tests.Model;

/// <summary>The storage step's check: each shared state path sits on one file system that every node mounts at the same place.</summary>
public sealed class WizardSharedStorageTests
{
    private const long Gib = 1L << 30;
    private static readonly SharedStateSpec State = new() { RecoveryLock = "/srv/state/ctdb/reclock", GaneshaState = "/srv/state/ganesha" };
    private static readonly string[] Nodes = ["node1", "node2"];

    private static NodeFacts Mounts(params FilesystemSpace[] filesystems) => new() { Filesystems = filesystems };

    private static Dictionary<string, NodeFacts> Both(NodeFacts node1, NodeFacts node2) => new() { ["node1"] = node1, ["node2"] = node2 };

    [Fact]
    public void BothPaths_OnTheSameMountOfTheSameSize_OnEveryNode_PassWithTheirPlaces()
    {
        var shared = Mounts(new FilesystemSpace("/", 20 * Gib, 5 * Gib), new("/srv/state", 100 * Gib, 90 * Gib));

        var check = WizardSharedStorage.Check(State, Nodes, Both(shared, shared));

        Assert.Empty(check.Problems);
        Assert.Empty(check.Warnings);
        Assert.Equal(4, check.Places.Count);
        Assert.All(check.Places, p => Assert.Equal("/srv/state", p.Filesystem!.MountPoint));
        Assert.Equal(["node1", "node2"], check.Places.Where(p => p.Path == State.RecoveryLock).Select(p => p.Node));
    }

    [Fact]
    public void NoSharedState_OrRelativePaths_HaveNothingToCheck()
    {
        Assert.Empty(WizardSharedStorage.Check(null, Nodes, Both(Mounts(), Mounts())).Places);
        var relative = WizardSharedStorage.Check(new SharedStateSpec { RecoveryLock = "state/reclock" }, Nodes, Both(Mounts(), Mounts()));
        Assert.Empty(relative.Places);
        Assert.Empty(relative.Problems);
    }

    [Fact]
    public void ANodeWithoutAProbe_IsAProblem_NamingTheNode()
    {
        var facts = new Dictionary<string, NodeFacts> { ["node1"] = Mounts(new FilesystemSpace("/srv/state", 100 * Gib, 1)) };

        var check = WizardSharedStorage.Check(State with { GaneshaState = null }, Nodes, facts);

        var problem = Assert.Single(check.Problems);
        Assert.Equal("/srv/state/ctdb/reclock: node2 has no probe showing its file systems; probe it again.", problem);
    }

    [Fact]
    public void DifferentMountPoints_AreAProblem_ListingWhereEachNodeHasIt()
    {
        var check = WizardSharedStorage.Check(State with { GaneshaState = null }, Nodes,
            Both(Mounts(new FilesystemSpace("/srv/state", 100 * Gib, 1)), Mounts(new FilesystemSpace("/srv", 100 * Gib, 1))));

        var problem = Assert.Single(check.Problems);
        Assert.Contains("different file systems (node1: /srv/state, node2: /srv)", problem);
    }

    [Fact]
    public void TheSameMountPoint_WithDifferentSizes_IsNotOneSharedFileSystem()
    {
        var check = WizardSharedStorage.Check(State with { GaneshaState = null }, Nodes,
            Both(Mounts(new FilesystemSpace("/srv/state", 100 * Gib, 1)), Mounts(new FilesystemSpace("/srv/state", 50 * Gib, 1))));

        Assert.Contains("its size differs between nodes", Assert.Single(check.Problems));
    }

    [Fact]
    public void APathOnTheRootFileSystem_IsOnlyAWarning_AsTheConsoleCannotTellWhetherItIsShared()
    {
        var root = Mounts(new FilesystemSpace("/", 20 * Gib, 5 * Gib));

        var check = WizardSharedStorage.Check(State with { GaneshaState = null }, Nodes, Both(root, root));

        Assert.Empty(check.Problems);
        Assert.Contains("root file system (/)", Assert.Single(check.Warnings));
    }

    [Theory]
    [InlineData("/srv/state/ganesha", "/srv/state")]
    [InlineData("/srv/state", "/srv/state")]
    [InlineData("/srv/statefile", "/srv")] // a mount point is a whole path component, not a text prefix
    [InlineData("/var/lib/x", "/")]
    public void ThePathIsHeld_ByTheLongestMountPointAboveIt(string path, string mountPoint)
    {
        var facts = Mounts(new FilesystemSpace("/", 20 * Gib, 1), new("/srv", 50 * Gib, 1), new("/srv/state", 100 * Gib, 1));
        Assert.Equal(mountPoint, WizardSharedStorage.Holding(facts, path)?.MountPoint);
    }
}
