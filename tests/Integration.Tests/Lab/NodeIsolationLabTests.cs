using StorageHa.Shared.Commands;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>
/// What one node changes of its system stays in that node: its accounts and passwords, and the packages `lab.sh
/// uninstall` takes away from it. Each test builds a small throwaway lab of its own (prefix sha-iso, or
/// LAB_PREFIX-iso), in the lab collection so it never runs beside the other lab tests.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class NodeIsolationLabTests : IAsyncLifetime
{
    private const string FileIdPackage = "samba-vfs-modules";
    private readonly LabCommand _lab = LabCommand.Throwaway("iso");

    public async Task InitializeAsync()
    {
        await _lab.RunCheckedAsync("down");
        await _lab.RunCheckedAsync("up", "--nodes", "2");
    }

    public async Task DisposeAsync() => await _lab.RunCheckedAsync("down");

    [Fact]
    public async Task PasswordChangedAndUserAddedInOneNode_LeaveTheHostAndTheOtherNodeUnchanged()
    {
        var hostShadow = await File.ReadAllTextAsync("/etc/shadow");
        var hostPasswd = await File.ReadAllTextAsync("/etc/passwd");
        var user = $"iso{Guid.NewGuid():N}"[..12];

        // As pcs host auth's preparation and the console's share users do: chpasswd and useradd replace the files by rename.
        await InNodeAsync("node1", $"echo 'hacluster:{Guid.NewGuid():N}' | chpasswd");
        await InNodeAsync("node1", ShellCommand.Join(["useradd", "--no-create-home", "--uid", "4711", user]));

        Assert.Contains($"{user}:x:4711:", await InNodeAsync("node1", ShellCommand.Join(["getent", "passwd", user])));
        Assert.NotEqual(HaclusterHash(hostShadow), HaclusterHash(await InNodeAsync("node1", "cat /etc/shadow")));
        Assert.Equal(hostShadow, await File.ReadAllTextAsync("/etc/shadow"));
        Assert.Equal(hostPasswd, await File.ReadAllTextAsync("/etc/passwd"));
        Assert.Equal(HaclusterHash(hostShadow), HaclusterHash(await InNodeAsync("node2", "cat /etc/shadow")));
        Assert.DoesNotContain(user, await InNodeAsync("node2", "cat /etc/passwd"));
        // Each node makes the same user with the same uid on its own, as the console will on every node.
        await InNodeAsync("node2", ShellCommand.Join(["useradd", "--no-create-home", "--uid", "4711", user]));
        Assert.DoesNotContain(user, await File.ReadAllTextAsync("/etc/passwd"));
    }

    [Fact]
    public async Task UninstalledPackage_IsMissingInThatNodeOnly_AlsoAfterARestart_UntilReset()
    {
        RequiredTool.Require(RequiredTool.SambaFileId); // it must be installed here to be taken away in a node
        var module = RequiredTool.SambaFileId.Find()!;

        await _lab.RunCheckedAsync("uninstall", "node2", FileIdPackage);
        await _lab.RunCheckedAsync("uninstall", "node2", FileIdPackage); // idempotent

        Assert.Equal("not-installed", await PackageStatusAsync("node2"));
        Assert.False(await ExistsInNodeAsync("node2", module), $"{module} is still there in node2");
        Assert.Equal("installed", await PackageStatusAsync("node1"));
        Assert.True(await ExistsInNodeAsync("node1", module), $"{module} vanished from node1");
        Assert.True(File.Exists(module), $"{module} vanished from the host");

        await _lab.RunCheckedAsync("stop", "node2");
        await _lab.RunCheckedAsync("start", "node2");
        Assert.Equal("not-installed", await PackageStatusAsync("node2"));
        Assert.False(await ExistsInNodeAsync("node2", module), $"{module} came back in node2 after a restart");

        await _lab.RunCheckedAsync("reset");
        Assert.Equal("installed", await PackageStatusAsync("node2"));
        Assert.True(await ExistsInNodeAsync("node2", module), $"{module} is still missing in node2 after reset");
    }

    private Task<string> InNodeAsync(string node, string script) => _lab.RunCheckedAsync("exec", node, "sh", "-c", script);

    private async Task<string> PackageStatusAsync(string node) =>
        (await InNodeAsync(node, ShellCommand.Join(["dpkg-query", "-W", "-f=${db:Status-Status}", FileIdPackage]))).Trim();

    private async Task<bool> ExistsInNodeAsync(string node, string path) =>
        (await _lab.RunAsync("exec", node, "test", "-e", path)).Succeeded;

    private static string HaclusterHash(string shadow) =>
        shadow.Split('\n').Single(l => l.StartsWith("hacluster:", StringComparison.Ordinal)).Split(':')[1];
}
