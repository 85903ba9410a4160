using System.Diagnostics;

namespace StorageHa.NodeHelper.Tests.Tickle;

/// <summary>tickle send's answers when there is nothing to send or it cannot send; the real wake-up is in Integration.Tests/Tickle.</summary>
public class SendCommandTests
{
    [Fact]
    public void MissingList_MeansNothingToDo_AndSaysSo()
    {
        using var dir = new TickleDirectory();

        var run = CliRun.Of("tickle", "send", "--vip", "192.0.2.100", "--dir", dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{dir.ListOf("192.0.2.100")} does not exist: no connections recorded for 192.0.2.100, nothing to do", run.Output);
    }

    [Fact]
    public void MalformedLines_AreReportedWithTheirLineNumbers_AndSkipped()
    {
        using var dir = new TickleDirectory();
        File.WriteAllText(dir.ListOf("192.0.2.100"), "192.0.2.100:445\n192.0.2.100:445\t192.0.2.1:0\n192.0.2.55:445\t192.0.2.1:50000\n");

        var run = CliRun.Of("tickle", "send", "--vip", "192.0.2.100", "--dir", dir.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"{dir.ListOf("192.0.2.100")}:1: expected 'VIP:PORT<TAB>CLIENT:PORT', got '192.0.2.100:445' (skipped)", run.Error);
        Assert.Contains($"{dir.ListOf("192.0.2.100")}:2: '192.0.2.1:0' has no TCP port (1–65535) after its last ':' (skipped)", run.Error);
        Assert.Contains("192.0.2.55:445 is not on 192.0.2.100 (skipped)", run.Error);
        Assert.Contains("no connections to tickle for 192.0.2.100, nothing to do", run.Output);
    }

    [Fact]
    public void AVipThatIsNotUpOnThisNode_IsRefused_BeforeAnythingIsSent()
    {
        using var dir = new TickleDirectory();
        File.WriteAllText(dir.ListOf("192.0.2.123"), "192.0.2.123:445\t192.0.2.1:50000\n");

        var run = CliRun.Of("tickle", "send", "--vip", "192.0.2.123", "--dir", dir.Path, "--rounds", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("192.0.2.123 is not configured on this node: bring the VIP up (and announce it) before sending tickles", run.Error);
    }

    [Fact]
    public async Task WithoutCapNetRaw_SendFailsWithExit1_NamingSetcapAndRoot()
    {
        using var dir = new TickleDirectory();
        File.WriteAllText(dir.ListOf("127.0.0.1"), "127.0.0.1:445\t127.0.0.1:50000\n");
        // The real binary in a process whose capability bounding set lacks CAP_NET_RAW (as a non-root user would).
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--bounding-set=-net_raw", "--inh-caps=-net_raw", "--", "dotnet", Path.Combine(AppContext.BaseDirectory, "storageha-node.dll"),
                     "tickle", "send", "--vip", "127.0.0.1", "--dir", dir.Path, "--rounds", "1" })
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var errorText = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        var error = await errorText;

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("CAP_NET_RAW", error);
        Assert.Contains("run as root, or give the binary the capability with `setcap cap_net_raw+ep ", error);
    }

    [Fact]
    public void Send_OverLoopback_ReportsEveryRound()
    {
        using var dir = new TickleDirectory();
        // Loopback only: the tickle goes from 127.0.0.1:9 to a port nobody listens on and draws a harmless RST.
        File.WriteAllText(dir.ListOf("127.0.0.1"), "127.0.0.1:9\t127.0.0.1:9\n");

        var run = CliRun.Of("tickle", "send", "--vip", "127.0.0.1", "--dir", dir.Path, "--rounds", "2", "--interval", "0.05");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("round 1/2: 1 of 1 tickle(s) sent from 127.0.0.1", run.Output);
        Assert.Contains("round 2/2: 1 of 1 tickle(s) sent from 127.0.0.1", run.Output);
    }
}
