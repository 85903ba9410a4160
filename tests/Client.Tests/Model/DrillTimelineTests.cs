using StorageHa.Client.Model;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Drills;

namespace StorageHa.Client.Tests.Model;

public sealed class DrillTimelineTests
{
    private static readonly DateTimeOffset T0 = DrillReports.T0;

    [Fact]
    public void AFinishedDrill_SpansItsStartToItsEnd_WithTheStageTimesOfTheVipThatMoved()
    {
        var timeline = DrillTimeline.Of(DrillReports.Completed(), now: T0.AddHours(1));

        Assert.Equal((T0, T0.AddSeconds(8)), (timeline.Start, timeline.End));
        Assert.Equal(0.5, timeline.Position(T0.AddSeconds(4)));
        Assert.Equal(1, timeline.Position(T0.AddSeconds(60)));
        var away = timeline.Times.Single(t => t.Phase == DrillPhase.Away);
        Assert.Equal((DrillReports.Vip, 0.3, 0.5, 0.2, 2.6),
            (away.Vip, Math.Round(away.Stop!.Value.TotalSeconds, 1), Math.Round(away.Start!.Value.TotalSeconds, 1), Math.Round(away.Tickle!.Value.TotalSeconds, 1),
             Math.Round(away.FirstServed!.Value.TotalSeconds, 1)));
        // 10.99.0.101 stayed on node2: no stage times, no rows.
        Assert.DoesNotContain(timeline.Times, t => t.Vip == DrillReports.OtherVip);
        Assert.DoesNotContain(timeline.Rows, r => r.Vip == DrillReports.OtherVip);
        Assert.Equal(["+0 s", "+1 s", "+2 s", "+3 s", "+4 s", "+5 s", "+6 s", "+7 s", "+8 s"], timeline.Ticks().Select(t => t.Label));
    }

    [Fact]
    public void ARunningDrill_EndsNow_AndItsOpenPhaseRunsToThere()
    {
        var running = DrillReports.Running(1.0);

        var timeline = DrillTimeline.Of(running, now: T0.AddSeconds(2));

        Assert.Equal(T0.AddSeconds(2), timeline.End);
        var away = Assert.Single(timeline.Rows[0].Bars);
        // Only the VIP with stages so far has rows: the other's placement during the drill is not known yet.
        Assert.Equal(["Phases", "VIP 10.99.0.100"], timeline.Rows.Select(r => r.Label));
        Assert.Equal((DrillPhase.Away, T0.AddSeconds(0.1), (DateTimeOffset?)null), (away.Phase, away.From, away.To));
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(40, 5)]
    [InlineData(200, 30)]
    public void TheAxis_HasAtMostNineMarks_AtWholeSeconds(double seconds, int step)
    {
        var timeline = new DrillTimeline(T0, T0.AddSeconds(seconds), [], []);

        var ticks = timeline.Ticks();

        Assert.InRange(ticks.Count, 2, 9);
        Assert.Equal($"+{step} s", ticks[1].Label);
    }
}
