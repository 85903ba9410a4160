using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Server.Tests.Ssh;

namespace StorageHa.Server.Tests.ClusterAccess;

/// <summary>
/// Finding a node of a cluster that answers: the order, the one timeout policy, and errors that name every node and why.
/// Scripted nodes for the policy; a real sshd (frozen, or showing another host key) for what the SSH layer really throws.
/// </summary>
public sealed class LiveNodesTests(SshdFixture fixture) : IClassFixture<SshdFixture>
{
    private const string Cib = "<cib epoch=\"7\"/>";
    private static readonly Asker Alice = new("alice", "test.ask");
    private static readonly LiveNodePolicy Policy = new(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(45));

    [Fact]
    public async Task FirstNodeDead_TheNextAnswers_AndTheAnswerSaysWhichNodeAndWhyTheFirstWasPassed()
    {
        var nodes = new ScriptedNodes();
        ClusterNodes cluster = new("nas", [nodes.Refusing("node1"), nodes.Answering("node2", Cib), nodes.Answering("node3", Cib)]);

        var answer = await new LiveNodes(nodes, nodes.Clock).FindAsync(cluster, ClusterQueries.Cib, Alice, Policy, CancellationToken.None);

        Assert.Equal(("node2", Cib), (answer.Node.Name, answer.Value));
        var passed = Assert.Single(answer.Passed);
        Assert.Equal((NodeFailureKind.Unreachable, "node1"), (passed.Kind, passed.Node));
        Assert.Contains("refused the connection", passed.Reason);
        Assert.Equal(["node1", "node2"], nodes.Asked.Select(a => a.Node));
    }

    [Fact]
    public async Task AllNodesFail_TheErrorNamesEachNodeAndWhy_AndTheNodesThatCouldNotBeAsked()
    {
        var nodes = new ScriptedNodes();
        ClusterNodes cluster = new("nas", [
            nodes.Refusing("node1"),
            nodes.Node("node2", _ => throw new HostKeyMismatchException(ScriptedNodes.Display("node2"), "SHA256:pinned", "SHA256:other")),
            nodes.Node("node3", _ => throw new NodeLoginFailedException(ScriptedNodes.Display("node3"), "node3 refused the login of user 'root'.")),
            nodes.Node("node4", _ => new CommandResult(1, "", "Could not connect to the CIB: Transport endpoint is not connected", TimeSpan.Zero)),
        ], Problem: "node5 has no credential: choose how the console logs in to it.");

        var error = await Assert.ThrowsAsync<NoLiveNodeException>(() =>
            new LiveNodes(nodes, nodes.Clock).FindAsync(cluster, ClusterQueries.Cib, Alice, Policy, CancellationToken.None));

        Assert.Equal(
            [("node1", NodeFailureKind.Unreachable), ("node2", NodeFailureKind.HostKey), ("node3", NodeFailureKind.Credential), ("node4", NodeFailureKind.NoAnswer)],
            error.Failures.Select(f => (f.Node, f.Kind)));
        Assert.StartsWith("No node of nas answered cibadmin --query: node1: ", error.Message);
        Assert.Contains("node2: The host key of node2 (192.0.2.1:22) has changed", error.Message);
        Assert.Contains("node3: node3 refused the login", error.Message);
        Assert.Contains("node4: cibadmin --query exited 1 (Could not connect to the CIB", error.Message);
        Assert.EndsWith("node5 has no credential: choose how the console logs in to it.", error.Message);
    }

    [Fact]
    public async Task HangingNodes_EachGetTheirPerNodeTime_AndTheSearchEndsWhenItsTotalIsUsedUp()
    {
        var nodes = new ScriptedNodes();
        ClusterNodes cluster = new("nas", [nodes.Hanging("node1"), nodes.Hanging("node2"), nodes.Hanging("node3"), nodes.Answering("node4", Cib)]);

        var error = await Assert.ThrowsAsync<NoLiveNodeException>(() =>
            new LiveNodes(nodes, nodes.Clock).FindAsync(cluster, ClusterQueries.Cib, Alice, Policy, CancellationToken.None));

        // 20 s, 20 s, then the 5 s left of the 45 s: node4 is not asked, and the error says so.
        Assert.Equal([("node1", TimeSpan.FromSeconds(20)), ("node2", TimeSpan.FromSeconds(20)), ("node3", TimeSpan.FromSeconds(5))], nodes.Asked);
        Assert.Equal([NodeFailureKind.TimedOut, NodeFailureKind.TimedOut, NodeFailureKind.TimedOut, NodeFailureKind.NotAsked], error.Failures.Select(f => f.Kind));
        Assert.Contains("node1: node1 (192.0.2.1:22) did not answer within 20 s", error.Message);
        Assert.Contains("node4: not asked: the 45 s for the whole search were used up", error.Message);
    }

    [Fact]
    public async Task ANodeKnownToAnswer_IsGivenItsShorterTime()
    {
        var nodes = new ScriptedNodes();
        ClusterNodes cluster = new("nas", [nodes.Hanging("node1"), nodes.Answering("node2", Cib)]);
        var policy = Policy with { Known = n => n.Name == "node1" ? TimeSpan.FromSeconds(1.2) : null };

        var answer = await new LiveNodes(nodes, nodes.Clock).FindAsync(cluster, ClusterQueries.Cib, Alice, policy, CancellationToken.None);

        Assert.Equal("node2", answer.Node.Name);
        Assert.Equal([("node1", TimeSpan.FromSeconds(1.2)), ("node2", TimeSpan.FromSeconds(20))], nodes.Asked);
    }

    [Fact]
    public async Task AnOperationThatTimedOutWhileRunning_IsNotStartedOnAnotherNode()
    {
        var nodes = new ScriptedNodes();
        ClusterNodes cluster = new("nas", [
            nodes.Node("node1", o => throw new CommandTimedOutException(ScriptedNodes.Display("node1"), "pcs node standby node1", o.Timeout)),
            nodes.Answering("node2", ""),
        ]);

        await Assert.ThrowsAsync<CommandTimedOutException>(() => new LiveNodes(nodes, nodes.Clock)
            .FindAsync(cluster, ClusterQueries.Operation(["pcs", "node", "standby", "node1"]), Alice, Policy, CancellationToken.None));

        Assert.Equal(["node1"], nodes.Asked.Select(a => a.Node));
    }

    [Fact]
    public async Task AFrozenNode_IsLeftAfterThePerNodeTime_ConnectingIncluded_AndTheNextOneAnswers()
    {
        await using var frozen = await StorageHa.TestSupport.Sshd.TestSshd.StartAsync();
        using var ssh = new SshLayer(fixture.Sshd);
        var hung = new SshTarget("node1", frozen.Address, frozen.Port, frozen.User, SshAuth.WithPassword(frozen.Password), frozen.HostKeyFingerprint);
        var live = ssh.PasswordTarget() with { Name = "node2" };
        var hello = new ClusterQuery<string>(["echo", "hello"], r => r.StdOut.Trim());
        // node2's connection is open already, as a monitored node's is: a loaded test machine may take longer than 2 s to log in.
        await ssh.Runner.RunAsync(live, ["true"], SshLayer.As());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        NodeAnswer<string> answer;
        using (FrozenSshd.Freeze(frozen))
            answer = await new LiveNodes(ssh.Runner, TimeProvider.System).FindAsync(new ClusterNodes("nas", [hung, live]), hello, Alice,
                new LiveNodePolicy(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)), CancellationToken.None);

        Assert.Equal(("node2", "hello"), (answer.Node.Name, answer.Value));
        var passed = Assert.Single(answer.Passed);
        Assert.Equal(NodeFailureKind.TimedOut, passed.Kind);
        Assert.Contains("did not answer within 2 s", passed.Reason);
        // One limit, connecting included: not SSH.NET's 15 s connect timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task ANodeShowingAnotherHostKey_IsNamedAsSuch_NeverSilentlyPassedAsDead()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var impostor = ssh.PasswordTarget() with { PinnedFingerprint = "SHA256:" + new string('A', 43) };
        var live = ssh.PasswordTarget() with { Name = "node2" };
        var hello = new ClusterQuery<string>(["echo", "hello"], r => r.StdOut.Trim());

        var answer = await new LiveNodes(ssh.Runner, TimeProvider.System).FindAsync(new ClusterNodes("nas", [impostor, live]), hello, Alice, Policy, CancellationToken.None);

        Assert.Equal("node2", answer.Node.Name);
        var passed = Assert.Single(answer.Passed);
        Assert.Equal((NodeFailureKind.HostKey, "node1"), (passed.Kind, passed.Node));
        Assert.Contains("The host key of node1", passed.Reason);
        // Refused during key exchange: the credential never went to the impostor, and only node2's command is audited as run.
        Assert.Equal([("node1", (int?)null), ("node2", 0)], ssh.Audit.Entries.Select(e => (e.Target, e.ExitCode)));
    }

    [Fact]
    public async Task ANodeWhoseSudoWantsAPassword_IsPassedAsACredentialProblem_SayingTheFix_AndTheNextOneAnswers()
    {
        await using var strict = await StorageHa.TestSupport.Sshd.TestSshd.StartAsync(sudo: StorageHa.TestSupport.Sshd.TestSudo.PasswordRequired);
        using var ssh = new SshLayer(fixture.Sshd);
        var refusing = new SshTarget("node1", strict.Address, strict.Port, strict.User, SshAuth.WithPassword(strict.Password), strict.HostKeyFingerprint);
        var live = ssh.PasswordTarget() with { Name = "node2" };
        var whoAmI = new ClusterQuery<string>(["id", "-u"], r => r.StdOut.Trim());

        var answer = await new LiveNodes(ssh.Runner, TimeProvider.System).FindAsync(new ClusterNodes("nas", [refusing, live]), whoAmI, Alice, Policy, CancellationToken.None);

        Assert.Equal(("node2", "0"), (answer.Node.Name, answer.Value));
        var passed = Assert.Single(answer.Passed);
        Assert.Equal((NodeFailureKind.Credential, "node1"), (passed.Kind, passed.Node));
        Assert.Contains($"{strict.User} ALL=(ALL) NOPASSWD: ALL", passed.Reason);
    }
}
