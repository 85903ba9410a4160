using System.Globalization;
using MudBlazor;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Model;

/// <summary>How a job and its steps read everywhere: one colour and one word per state, durations in seconds.</summary>
public static class JobDisplay
{
    public static Color ColorOf(StepState state) => state switch
    {
        StepState.Running => Color.Info,
        StepState.Done => Color.Success,
        StepState.AlreadyDone => Color.Tertiary,
        StepState.Failed => Color.Error,
        StepState.Cancelled => Color.Warning,
        _ => Color.Default,
    };

    public static Color ColorOf(JobState state) => state switch
    {
        JobState.Running => Color.Info,
        JobState.Succeeded => Color.Success,
        JobState.Failed => Color.Error,
        _ => Color.Warning,
    };

    public static string TextOf(StepState state) => state == StepState.AlreadyDone ? "already done" : state.ToString().ToLowerInvariant();

    /// <summary>A step's word: the serve check changes nothing, so it says what it found ("served", "not served") rather than "done".</summary>
    public static string TextOf(JobStep step) => step switch
    {
        { ChecksServing: true, State: StepState.Done } => "served",
        { ChecksServing: true, State: StepState.Failed } => "not served",
        _ => TextOf(step.State),
    };

    public static string TextOf(JobState state) => state.ToString().ToLowerInvariant();

    public static string KindOf(JobKind kind) => kind switch
    {
        JobKind.Apply => "Apply",
        JobKind.AddNode => "Add node",
        JobKind.RemoveNode => "Remove node",
        _ => "Teardown",
    };

    /// <summary>"12.3 s", or "1 min 05 s" for longer runs; <paramref name="now"/> measures a job still running.</summary>
    public static string Duration(DateTimeOffset start, DateTimeOffset? end, DateTimeOffset now) => Seconds(((end ?? now) - start).TotalSeconds);

    public static string Seconds(double seconds) => seconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, seconds):0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)(seconds / 60)} min {(int)(seconds % 60):00} s");
}
