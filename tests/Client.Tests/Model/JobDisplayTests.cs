using MudBlazor;
using StorageHa.Client.Model;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Tests.Model;

/// <summary>How jobs and steps read everywhere: one word and one colour per state, durations in seconds or minutes.</summary>
public sealed class JobDisplayTests
{
    private static JobStep Step(StepState state, bool checksServing = false) => new("s", "a step", "node1", "true", state, [], null, checksServing);

    [Theory]
    [InlineData(StepState.Pending, "pending")]
    [InlineData(StepState.Running, "running")]
    [InlineData(StepState.Done, "done")]
    [InlineData(StepState.AlreadyDone, "already done")]
    [InlineData(StepState.Failed, "failed")]
    [InlineData(StepState.Cancelled, "cancelled")]
    public void AStepState_ReadsAsOneLowerCaseWord_AlreadyDoneAsTwo(StepState state, string text) => Assert.Equal(text, JobDisplay.TextOf(state));

    [Fact]
    public void TheServeCheck_SaysWhatItFound_RatherThanDone()
    {
        Assert.Equal("served", JobDisplay.TextOf(Step(StepState.Done, checksServing: true)));
        Assert.Equal("not served", JobDisplay.TextOf(Step(StepState.Failed, checksServing: true)));
        Assert.Equal("running", JobDisplay.TextOf(Step(StepState.Running, checksServing: true)));
        Assert.Equal("done", JobDisplay.TextOf(Step(StepState.Done)));
    }

    [Fact]
    public void EachStateHasItsColour()
    {
        Assert.Equal(Color.Success, JobDisplay.ColorOf(StepState.Done));
        Assert.Equal(Color.Tertiary, JobDisplay.ColorOf(StepState.AlreadyDone));
        Assert.Equal(Color.Error, JobDisplay.ColorOf(StepState.Failed));
        Assert.Equal(Color.Warning, JobDisplay.ColorOf(StepState.Cancelled));
        Assert.Equal(Color.Default, JobDisplay.ColorOf(StepState.Pending));
        Assert.Equal(Color.Info, JobDisplay.ColorOf(JobState.Running));
        Assert.Equal(Color.Success, JobDisplay.ColorOf(JobState.Succeeded));
        Assert.Equal(Color.Error, JobDisplay.ColorOf(JobState.Failed));
    }

    [Fact]
    public void JobKinds_ReadInTheAdminsWords()
    {
        Assert.Equal(["Apply", "Add node", "Remove node", "Teardown"],
            new[] { JobKind.Apply, JobKind.AddNode, JobKind.RemoveNode, JobKind.Teardown }.Select(JobDisplay.KindOf));
    }

    [Theory]
    [InlineData(0, "0.0 s")]
    [InlineData(12.34, "12.3 s")]
    [InlineData(59.9, "59.9 s")]
    [InlineData(60, "1 min 00 s")]
    [InlineData(65.7, "1 min 05 s")]
    [InlineData(3725, "62 min 05 s")]
    [InlineData(-3, "0.0 s")] // clocks that disagree never show a negative time
    public void Seconds_UnderAMinute_HaveOneDecimal_LongerOnesMinutesAndSeconds(double seconds, string text) =>
        Assert.Equal(text, JobDisplay.Seconds(seconds));

    [Fact]
    public void AJobStillRunning_IsMeasuredToNow_AFinishedOneToItsEnd()
    {
        var start = DateTimeOffset.UnixEpoch;
        Assert.Equal("4.0 s", JobDisplay.Duration(start, null, start.AddSeconds(4)));
        Assert.Equal("2.5 s", JobDisplay.Duration(start, start.AddSeconds(2.5), start.AddSeconds(4)));
    }
}
