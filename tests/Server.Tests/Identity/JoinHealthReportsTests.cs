using Microsoft.Extensions.Time.Testing;
using StorageHa.Server.Identity;
using StorageHa.Shared.Identity;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Identity;

/// <summary>Many dashboards and scripts asking at once cost the nodes (and the DC) one check: a report is reused for 15 s, a running check is shared.</summary>
public sealed class JoinHealthReportsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));
    private int _checks;

    private Func<Task<JoinHealthReport>> Check(Task? until = null) => async () =>
    {
        Interlocked.Increment(ref _checks);
        if (until is not null) await until;
        return new JoinHealthReport(_time.GetUtcNow(), IdentityMode.ActiveDirectory, "LAB.TEST", []);
    };

    [Fact]
    public async Task AReportYoungerThan15s_IsAnsweredAgain_AnOlderOneIsCheckedAnew()
    {
        var reports = new JoinHealthReports(_time);

        var first = await reports.GetOrCheckAsync(1, Check());
        _time.Advance(TimeSpan.FromSeconds(14));
        var again = await reports.GetOrCheckAsync(1, Check());
        _time.Advance(TimeSpan.FromSeconds(1));
        var anew = await reports.GetOrCheckAsync(1, Check());

        Assert.Same(first, again);
        Assert.NotSame(first, anew);
        Assert.Equal(2, _checks);
        Assert.Equal(TimeSpan.FromSeconds(15), JoinHealthReports.Reuse);
    }

    [Fact]
    public async Task CallersDuringACheck_ShareIt_AndOtherClustersHaveTheirOwn()
    {
        var reports = new JoinHealthReports(_time);
        var release = new TaskCompletionSource();

        var a = reports.GetOrCheckAsync(1, Check(release.Task));
        var b = reports.GetOrCheckAsync(1, Check(release.Task));
        var other = reports.GetOrCheckAsync(2, Check(release.Task));
        release.SetResult();

        Assert.Same(await a, await b);
        await other;
        Assert.Equal(2, _checks);
    }

    [Fact]
    public async Task AFailedCheck_IsNotReused()
    {
        var reports = new JoinHealthReports(_time);

        await Assert.ThrowsAsync<InvalidOperationException>(() => reports.GetOrCheckAsync(1, () => Task.FromException<JoinHealthReport>(new InvalidOperationException("inventory gone"))));
        var next = await reports.GetOrCheckAsync(1, Check());

        Assert.Equal("LAB.TEST", next.Realm);
        Assert.Equal(1, _checks);
    }
}
