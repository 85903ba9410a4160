using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Tickle;

/// <summary>
/// After a crash, the VIP's new owner wakes the old owner's clients with tickle ACKs: the client that is sending and the one
/// only waiting to read both get a reset and reconnect within 1 s of the takeover; without the tickle the idle one stays hung.
/// Runs as root, in namespaces the test creates; each trial is bounded (about 10 s) and cleans up even when it fails.
/// </summary>
[Collection(TickleCollection.Name)]
public class TakeoverTests(ITestOutputHelper log)
{
    private const int Trials = 3;
    private static readonly TimeSpan CrashToTakeover = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WithinTakeover = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithTickle_SendingAndIdleClients_AreResetAndReconnectWithinOneSecondOfTheTakeover(bool ipv6)
    {
        log.WriteLine($"{(ipv6 ? "IPv6" : "IPv4")}, crash → takeover {CrashToTakeover.TotalSeconds} s, helper: {TakeoverLab.HelperKind}; times from the takeover (VIP added on the new owner)");
        log.WriteLine("| trial | first tickle round done | sending client reset | reconnected | idle client reset | reconnected | tickle send exit |");
        log.WriteLine("|---|---|---|---|---|---|---|");
        for (var trial = 1; trial <= Trials; trial++)
        {
            await using var lab = await TakeoverLab.StartAsync(ipv6);
            var (sending, idle, takeover) = await CrashAndTakeOverAsync(lab);

            var send = lab.StartHelper(lab.NewOwner, "tickle", "send", "--vip", lab.Vip.ToString(), "--dir", lab.TickleDirectory);
            var bothOutcomes = Task.WhenAll(sending.Outcome, idle.Outcome);
            await Task.WhenAny(bothOutcomes, Task.Delay(TimeSpan.FromSeconds(5)));
            var sendExit = await send.WaitAsync(TimeSpan.FromSeconds(15));
            var firstRound = lab.Clock.Elapsed - send.Since("round 1/") - takeover;

            Assert.True(bothOutcomes.IsCompletedSuccessfully, $"trial {trial}: a client was not reset within 5 s of the takeover " +
                $"(sending: {Describe(sending)}, idle: {Describe(idle)}); tickle send said:\n{send.Output}");
            var (sendingLearned, sendingHow, sendingBack) = await sending.Outcome;
            var (idleLearned, idleHow, idleBack) = await idle.Outcome;
            log.WriteLine($"| {trial} | {(firstRound is { } r ? S(r) : "–")} | {S(sendingLearned - takeover)} ({sendingHow}) | {S(sendingBack - takeover)} | {S(idleLearned - takeover)} ({idleHow}) | {S(idleBack - takeover)} | {sendExit} |");
            Assert.Equal(0, sendExit);
            Assert.InRange(sendingBack - takeover, TimeSpan.Zero, WithinTakeover);
            Assert.InRange(idleBack - takeover, TimeSpan.Zero, WithinTakeover);
            Assert.Contains(idleHow, new[] { "ConnectionReset", "EOF" });
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WithoutTickle_TheIdleClient_IsStillHungTenSecondsAfterTheTakeover(bool ipv6)
    {
        await using var lab = await TakeoverLab.StartAsync(ipv6);
        var (sending, idle, takeover) = await CrashAndTakeOverAsync(lab);

        await Task.Delay(TimeSpan.FromSeconds(10));

        log.WriteLine($"{(ipv6 ? "IPv6" : "IPv4")}, no tickle: sending client {Describe(sending, takeover)}; idle client {Describe(idle, takeover)} 10 s after the takeover");
        Assert.False(idle.Outcome.IsCompleted, $"the idle client learned without a tickle: {Describe(idle, takeover)}");
    }

    /// <summary>
    /// The old owner serves VIP:445 and records its connections every second; a sending client connects, then 1.5 s before the
    /// crash an idle one; the old owner's link goes down (its recorder killed), and after <see cref="CrashToTakeover"/> the new
    /// owner takes and announces the VIP. Returns the clients and the takeover time; the list must hold both connections.
    /// </summary>
    private async Task<(VipClient Sending, VipClient Idle, TimeSpan Takeover)> CrashAndTakeOverAsync(TakeoverLab lab)
    {
        await WarmAsync(lab);
        var clock = lab.Clock;
        lab.Serve(lab.OldOwner);
        var record = lab.StartHelper(lab.OldOwner, "tickle", "record", "--vip", lab.Vip.ToString(), "--ports", $"{TakeoverLab.Port},2049",
            "--dir", lab.TickleDirectory, "--interval", "1");
        await WaitForAsync("the recorder's first list", TimeSpan.FromSeconds(20), () => File.Exists(lab.ListFile), record);

        var sending = lab.Connect(sending: true, clock);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var idle = lab.Connect(sending: false, clock);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        record.Kill();
        await lab.CrashOldOwnerAsync();

        var list = File.ReadAllText(lab.ListFile);
        Assert.Contains($":{sending.LocalPort}\n", list);
        Assert.Contains($":{idle.LocalPort}\n", list); // opened 1.5 s before the crash, and recorded

        await Task.Delay(CrashToTakeover);
        var takeover = clock.Elapsed;
        await lab.TakeVipAsync();
        lab.Serve(lab.NewOwner);
        return (sending, idle, takeover);
    }

    /// <summary>Runs the helper once before the clock matters, as a node has its binary in the page cache (cold: ~0.5 s more).</summary>
    private static async Task WarmAsync(TakeoverLab lab)
    {
        var version = lab.StartHelper(lab.NewOwner, "version");
        Assert.Equal(0, await version.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task WaitForAsync(string what, TimeSpan timeout, Func<bool> condition, NamespaceCommand process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (process.HasExited || clock.Elapsed > timeout) throw new TimeoutException($"{what}: not there after {clock.Elapsed.TotalSeconds:F1} s:\n{process.Output}");
            await Task.Delay(50);
        }
    }

    private static string Describe(VipClient client, TimeSpan takeover = default) => client.Outcome.Status switch
    {
        TaskStatus.RanToCompletion => $"learned at {S(client.Outcome.Result.LearnedAt - takeover)} ({client.Outcome.Result.How}), reconnected at {S(client.Outcome.Result.ReconnectedAt - takeover)}",
        TaskStatus.Faulted => $"failed: {client.Outcome.Exception!.InnerException!.Message}",
        _ => "still waiting (hung)",
    };

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture) + " s";
}

/// <summary>The takeover tests run one at a time, never beside each other (timing) — but beside other collections is fine.</summary>
[CollectionDefinition(Name)]
public sealed class TickleCollection
{
    public const string Name = "tickle takeover";
}
