using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.ClusterAccess;

/// <summary>The domain picker's question to the nodes: a node whose winbind fails passes it on, within the picker's limits.</summary>
public sealed class ClusterPrincipalsTests
{
    [Fact]
    public async Task ANodeWhoseWinbindFails_PassesTheQuestionOn_AndTheNextNodesGroupsAreTheAnswer()
    {
        var nodes = new ScriptedNodes();
        ClusterNodes cluster = new("nas", [
            nodes.Node("node1", _ => new CommandResult(1, "", "failed to call wbcListGroups: WBC_ERR_WINBIND_NOT_AVAILABLE", TimeSpan.FromMilliseconds(5))),
            nodes.Answering("node2", "LAB\\domain users\nLAB\\finance\n"),
        ]);

        var answer = await new LiveNodes(nodes, nodes.Clock).FindAsync(cluster, ClusterPrincipals.Query(PrincipalKind.Group, "a"),
            new Asker("alice", ClusterPrincipals.AuditAction), ClusterPrincipals.Policy, CancellationToken.None);

        Assert.Equal("node2", answer.Node.Name);
        Assert.Contains("WBC_ERR_WINBIND_NOT_AVAILABLE", Assert.Single(answer.Passed).Reason);
        Assert.Equal(["@\"LAB\\domain users\"", "@LAB\\finance"], PrincipalChoices.FromWbinfo(answer.Value, PrincipalKind.Group, "a").Principals.Select(p => p.ToString()));
        Assert.All(nodes.Asked, a => Assert.Equal(ClusterPrincipals.Policy.PerNode, a.Timeout));
    }

    [Fact]
    public void TheQuestion_CarriesTheSearchAsAnArgument_AndAsksOneLineMoreThanAPage()
    {
        var argv = ClusterPrincipals.Query(PrincipalKind.User, "joe smith;id").Argv;

        Assert.Equal(["users", "joe smith;id", "201"], argv.TakeLast(3));
        Assert.Equal("storageha-list-principals", argv[3]);
    }
}
