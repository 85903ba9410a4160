using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using StorageHa.Server.Monitoring;

namespace StorageHa.Server.Tests.Monitoring;

/// <summary>When the monitor watches a node's events and when it polls that node instead.</summary>
public sealed class WatchFallbackTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));
    private static readonly MonitorOptions Options = new() { EventRetry = TimeSpan.FromSeconds(60) };

    private static WatchEnd NotStarted => new(WatchEndKind.NotStarted, "the node helper there has no watch-state", TimeSpan.Zero);
    private static WatchEnd EndedAfter(double seconds, WatchEndKind kind = WatchEndKind.Ended) => new(kind, "killed", TimeSpan.FromSeconds(seconds));

    [Fact]
    public void WithEventsOn_EveryNodeIsWatched_UntilAWatchEnds()
    {
        var fallback = new WatchFallback(Options, _clock);

        Assert.True(fallback.MayWatch("node1"));
        Assert.True(fallback.MayWatch("node2"));
    }

    [Fact]
    public void WithEventsOff_NoNodeIsEverWatched()
    {
        var fallback = new WatchFallback(Options with { Events = false }, _clock);

        Assert.False(fallback.MayWatch("node1"));
    }

    [Fact]
    public void AWatchThatCouldNotStart_PollsThatNodeForTheRetryTime_ThenTriesAgain_OtherNodesUnaffected()
    {
        var fallback = new WatchFallback(Options, _clock);

        Assert.Equal(TimeSpan.FromSeconds(60), fallback.Ended("node1", NotStarted));

        Assert.False(fallback.MayWatch("node1"));
        Assert.True(fallback.MayWatch("node2"));
        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.False(fallback.MayWatch("node1"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(fallback.MayWatch("node1"));
    }

    [Fact]
    public void APollerWaitsNoLongerThanUntilTheNextWatch_AndForeverWithEventsOff()
    {
        var fallback = new WatchFallback(Options, _clock);
        fallback.Ended("node1", NotStarted);
        _clock.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal(TimeSpan.FromSeconds(15), fallback.UntilWatch("node1"));
        Assert.Equal(TimeSpan.Zero, fallback.UntilWatch("node2"));
        Assert.Equal(TimeSpan.MaxValue, new WatchFallback(Options with { Events = false }, _clock).UntilWatch("node1"));
    }

    [Fact]
    public void AWatchThatRanWellThenEnded_IsStartedAgainAfterOnePoll()
    {
        var fallback = new WatchFallback(Options, _clock);

        Assert.Equal(TimeSpan.Zero, fallback.Ended("node1", EndedAfter(600)));
        Assert.True(fallback.MayWatch("node1"));
    }

    [Fact]
    public void WatchesThatKeepEndingQuickly_ArePausedLongerEachTime_UpToTheRetryTime_AndAGoodWatchResetsThePause()
    {
        var fallback = new WatchFallback(Options, _clock);

        var pauses = Enumerable.Range(0, 8).Select(_ => fallback.Ended("node1", EndedAfter(0.5))).ToList();
        fallback.Ended("node1", EndedAfter(30));
        var afterAGoodOne = fallback.Ended("node1", EndedAfter(0.5, WatchEndKind.Silent));

        Assert.Equal(new[] { 1, 2, 4, 8, 16, 32, 60, 60 }.Select(s => TimeSpan.FromSeconds(s)), pauses);
        Assert.Equal(TimeSpan.FromSeconds(1), afterAGoodOne);
    }

    [Fact]
    public void SettingsFromStorageHaMonitor_TurnEventsOffAndSetThePollInterval_KeepingTheRestAtTheirDefaults()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["StorageHa:Monitor:Events"] = "false",
            ["StorageHa:Monitor:PollInterval"] = "00:00:01.5",
        }).Build();

        var options = MonitorOptions.From(config);

        Assert.Equal(new MonitorOptions { Events = false, PollInterval = TimeSpan.FromSeconds(1.5) }, options);
        Assert.Equal(new MonitorOptions(), MonitorOptions.From(null));
    }

    [Theory]
    [InlineData("PollInterval", "00:00:00", "StorageHa:Monitor:PollInterval must be longer than zero, not 00:00:00.")]
    [InlineData("EventHeartbeat", "00:00:00.05", "StorageHa:Monitor:EventHeartbeat and EventReread must be at least 0.1 s.")]
    public void SettingsOutOfRange_StopTheConsoleAtStart_NamingTheSetting(string name, string value, string said)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"StorageHa:Monitor:{name}"] = value }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => MonitorOptions.From(config));

        Assert.Equal(said, refused.Message);
    }
}
