using System.Diagnostics;
using System.Runtime.Versioning;
using StorageHa.Server.Deployment;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Tests.Ssh;
using StorageHa.Shared.State;

namespace StorageHa.Server.Tests.Monitoring;

/// <summary>
/// The console's watch over a real sshd, through the real streaming run, its audit and the monitor's parser. The node
/// side is a script standing in for storageha-node at the helper's path, so that each way a stream ends can be made
/// on purpose; the real watch-state on a real cluster is tested on the lab (Integration.Tests: MonitorEventsLabTests).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class StateWatchTests(SshdFixture fixture) : IClassFixture<SshdFixture>, IDisposable
{
    private static readonly string Healthy = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Monitoring", "live-3node-healthy.xml"));
    private readonly string _root = Directory.CreateTempSubdirectory("storageha-watch-").FullName;
    private readonly CancellationTokenSource _limit = new(TimeSpan.FromSeconds(60));

    private static readonly MonitorOptions Quick = new()
    {
        EventHeartbeat = TimeSpan.FromMilliseconds(100), ReadTimeout = TimeSpan.FromMilliseconds(900), FirstContactTimeout = TimeSpan.FromSeconds(10),
    };

    private NodeHelperLayout Layout => new(_root);
    private string PidFile => Path.Combine(_root, "watch.pid");

    public void Dispose()
    {
        _limit.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A node helper at the layout's path whose watch-state is the given shell text (its pid in <see cref="PidFile"/>).</summary>
    private void HelperDoes(string script)
    {
        var path = Layout.BinaryPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#!/bin/sh\necho $$ > '{PidFile}'\n{script}\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    private string StateOf(string xml)
    {
        var file = Path.Combine(_root, $"state-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, xml);
        return $"printf 'state %d\\n' $(wc -c < '{file}'); cat '{file}'; printf '\\n'";
    }

    private const string Hello = "printf 'storageha-watch-state 1\\n'";
    private const string Heartbeats = "while :; do printf 'heartbeat\\n'; sleep 0.1; done";

    [Fact]
    public async Task EachStateTheNodeSends_ReachesTheMonitorParsed_AndKillingTheWatchOnTheNode_EndsIt()
    {
        HelperDoes($"{Hello}\n{StateOf(Healthy)}\n{StateOf(Healthy.Replace("node3", "node9"))}\n{Heartbeats}");
        using var ssh = new SshLayer(fixture.Sshd);
        var watch = new StateWatch(ssh.Runner, Quick, Layout, TimeProvider.System);
        var states = new List<ClusterState>();
        var second = new TaskCompletionSource();

        var running = watch.RunAsync(ssh.PasswordTarget(), state =>
        {
            states.Add(state);
            if (states.Count == 2) second.SetResult();
            return Task.CompletedTask;
        }, _limit.Token);
        await second.Task.WaitAsync(_limit.Token);
        await Task.Delay(500); // heartbeats only: the watch goes on
        Assert.False(running.IsCompleted);
        Process.GetProcessById(int.Parse(File.ReadAllText(PidFile).Trim())).Kill();
        var end = await running.WaitAsync(_limit.Token);

        Assert.Equal(["node1", "node2", "node3"], states[0].Nodes.Select(n => n.Name));
        Assert.Equal(["node1", "node2", "node9"], states[1].Nodes.Select(n => n.Name));
        Assert.Equal(WatchEndKind.Ended, end.Kind);
        Assert.False(end.NodeFailed);
        Assert.Contains("the watch ended", end.Reason);
        Assert.True(end.Streamed > TimeSpan.FromMilliseconds(400), $"streamed {end.Streamed}");
        var audited = Assert.Single(ssh.Audit.Entries);
        Assert.Equal((StateWatch.AuditAction, "monitor"), (audited.Action, audited.Actor));
        Assert.Equal(string.Join(' ', watch.Command), audited.Command);
        Assert.EndsWith("watch-state --heartbeat 0.1 --reread 2", audited.Command);
        Assert.Contains("started, streaming", audited.Detail);
    }

    [Fact]
    public async Task ANodeWithoutTheHelper_NeverStarts_SayingWhereTheHelperShouldBe()
    {
        using var ssh = new SshLayer(fixture.Sshd);
        var watch = new StateWatch(ssh.Runner, Quick, Layout, TimeProvider.System);

        var end = await watch.RunAsync(ssh.PasswordTarget(), _ => Task.CompletedTask, _limit.Token);

        Assert.Equal(WatchEndKind.NotStarted, end.Kind);
        Assert.Contains($"{Layout.BinaryPath}", end.Reason);
        Assert.Equal(TimeSpan.Zero, end.Streamed);
    }

    [Fact]
    public async Task AnOlderHelperWithoutWatchState_NeverStarts_SayingToDeployTheCurrentOne()
    {
        HelperDoes("echo 'usage: storageha-node version' >&2\nexit 2");
        using var ssh = new SshLayer(fixture.Sshd);
        var watch = new StateWatch(ssh.Runner, Quick, Layout, TimeProvider.System);

        var end = await watch.RunAsync(ssh.PasswordTarget(), _ => Task.CompletedTask, _limit.Token);

        Assert.Equal(new WatchEnd(WatchEndKind.NotStarted, "the node helper there has no watch-state (an older version: deploy the current one)", TimeSpan.Zero), end);
    }

    [Fact]
    public async Task AHelperThatCannotWatchThere_NeverStarts_InItsOwnWords()
    {
        HelperDoes("echo 'storageha-node watch-state: cannot sign on to the CIB (error 107: Transport endpoint is not connected): is Pacemaker running here?' >&2\nexit 1");
        using var ssh = new SshLayer(fixture.Sshd);
        var watch = new StateWatch(ssh.Runner, Quick, Layout, TimeProvider.System);

        var end = await watch.RunAsync(ssh.PasswordTarget(), _ => Task.CompletedTask, _limit.Token);

        Assert.Equal(WatchEndKind.NotStarted, end.Kind);
        Assert.StartsWith("storageha-node watch-state: cannot sign on to the CIB", end.Reason);
        Assert.EndsWith("(exit 1)", end.Reason);
    }

    [Fact]
    public async Task AWatchThatFallsSilent_IsLeftAsSilent_AfterARead_sPatience()
    {
        HelperDoes($"{Hello}\n{StateOf(Healthy)}\nsleep 30");
        using var ssh = new SshLayer(fixture.Sshd);
        var watch = new StateWatch(ssh.Runner, Quick, Layout, TimeProvider.System);
        var seen = Stopwatch.StartNew();

        var end = await watch.RunAsync(ssh.PasswordTarget(), _ => { seen.Restart(); return Task.CompletedTask; }, _limit.Token);

        Assert.Equal(WatchEndKind.Silent, end.Kind);
        Assert.True(end.NodeFailed);
        Assert.Equal("the watch sent nothing for 0.9 s", end.Reason);
        Assert.InRange(seen.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OutputThatIsNotAStream_EndsTheWatch_QuotingIt()
    {
        HelperDoes($"{Hello}\n{StateOf(Healthy)}\necho '<html>Service Unavailable</html>'\n{Heartbeats}");
        using var ssh = new SshLayer(fixture.Sshd);
        var watch = new StateWatch(ssh.Runner, Quick, Layout, TimeProvider.System);

        var end = await watch.RunAsync(ssh.PasswordTarget(), _ => Task.CompletedTask, _limit.Token);

        Assert.Equal(WatchEndKind.Ended, end.Kind);
        Assert.Equal("not watch-state's output: '<html>Service Unavailable</html>' (expected heartbeat, problem TEXT or state N)", end.Reason);
    }

    [Fact]
    public async Task AProblemFromTheNode_OrAStateThatIsNotOne_EndsTheWatch_SoThatAnotherNodeIsAsked()
    {
        HelperDoes($"{Hello}\n{StateOf(Healthy)}\nprintf 'problem crm_mon exited 102: Not connected\\n'\n{Heartbeats}");
        using var ssh = new SshLayer(fixture.Sshd);
        var watch = new StateWatch(ssh.Runner, Quick, Layout, TimeProvider.System);

        var end = await watch.RunAsync(ssh.PasswordTarget(), _ => Task.CompletedTask, _limit.Token);

        Assert.Equal(WatchEndKind.NoAnswer, end.Kind);
        Assert.True(end.NodeFailed);
        Assert.Equal("crm_mon exited 102: Not connected", end.Reason);
    }
}
