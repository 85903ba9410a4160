namespace StorageHa.NodeHelper.Tests.Cluster;

/// <summary>watch-state's command line: its pacing options, their defaults and limits, and the refusal of anything else.</summary>
public sealed class WatchStateCommandTests
{
    [Fact]
    public void WithoutOptions_ItHeartbeatsEveryHalfSecond_RereadsEveryTwoSeconds_AndReadsAtMostTwentyTimesASecond()
    {
        var options = WatchStateOptions.Parse([], out var problem);

        Assert.Equal("", problem);
        Assert.Equal(new WatchStateOptions(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50)), options);
    }

    [Fact]
    public void EachOption_TakesSecondsWithADecimalPoint()
    {
        var options = WatchStateOptions.Parse(["--heartbeat", "1", "--reread", "7.5", "--min-gap", "0"], out _);

        Assert.Equal(new WatchStateOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(7.5), TimeSpan.Zero), options);
    }

    [Theory]
    [InlineData("--heartbeat", "0", "--heartbeat: '0' is not a number of seconds from 0.1 to 3600")]
    [InlineData("--reread", "3601", "--reread: '3601' is not a number of seconds from 0.1 to 3600")]
    [InlineData("--reread", "-1", "--reread: '-1' is not a number of seconds from 0.1 to 3600")]
    [InlineData("--min-gap", "11", "--min-gap: '11' is not a number of seconds from 0 to 10")]
    [InlineData("--heartbeat", "1,5", "--heartbeat: '1,5' is not a number of seconds from 0.1 to 3600")]
    [InlineData("--heartbeat", "1e3", "--heartbeat: '1e3' is not a number of seconds from 0.1 to 3600")]
    public void AValueOutOfRangeOrNotANumber_IsRefusedWithExit2_NamingTheOptionAndTheRange(string option, string value, string said)
    {
        var run = CliRun.Of("watch-state", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.StartsWith($"storageha-node watch-state: {said}\nusage: storageha-node watch-state [--heartbeat SECONDS]", run.Error);
    }

    [Theory]
    [InlineData(new[] { "--interval", "1" }, "unknown option '--interval'")]
    [InlineData(new[] { "--heartbeat" }, "--heartbeat needs a value")]
    [InlineData(new[] { "--reread", "2", "node1" }, "unknown option 'node1'")]
    public void AnUnknownOptionOrAMissingValue_IsRefusedWithExit2(string[] args, string said)
    {
        var run = CliRun.Of(["watch-state", .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"storageha-node watch-state: {said}\n", run.Error);
    }

    [Fact]
    public void TheHelpersUsage_ListsWatchState()
    {
        var run = CliRun.Of("no-such-verb");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("storageha-node watch-state [--heartbeat SECONDS] [--reread SECONDS] [--min-gap SECONDS]", run.Error);
    }
}
