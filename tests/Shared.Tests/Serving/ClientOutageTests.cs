using StorageHa.Shared.Serving;

namespace StorageHa.Shared.Tests.Serving;

/// <summary>The clients' outage of a failover, from the probes' series of one VIP service.</summary>
public sealed class ClientOutageTests
{
    private const string Vip = "10.99.0.100";
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    private static IReadOnlyList<ServiceTransition> Series(params (double At, ServingState State)[] changes)
    {
        var availability = new ServiceAvailability();
        foreach (var (at, state) in changes) availability.Record(Vip, FileService.Smb, state, At(at), state == ServingState.Served ? null : "no answer within 1.0 s");
        return availability.Series(Vip, FileService.Smb);
    }

    [Fact]
    public void ACrashSeenByTheProbesBeforeTheCluster_CountsFromTheFirstFailedProbe_ToTheFirstServedAnswer()
    {
        // Crash at 10.0: the probe sent at 10.1 goes unanswered; the cluster sees the node leave at 13.2 and starts the VIP at
        // 14.0 (its failover), clients are answered again at 18.7 (CTDB's recovery).
        var series = Series((0, ServingState.Served), (10.1, ServingState.NotServed), (18.7, ServingState.Served));
        var outage = ClientOutage.From(series, At(13.2), At(15.25));
        Assert.Equal(new ClientOutage(Vip, FileService.Smb, ClientView.Outage, At(10.1), At(18.7), "no answer within 1.0 s"), outage);
        Assert.Equal(8.6, outage!.Outage!.Value.TotalSeconds, 3);
    }

    [Fact]
    public void ClientsNotServedAgainYet_IsAnOpenOutage()
    {
        var outage = ClientOutage.From(Series((0, ServingState.Served), (10.1, ServingState.NotServed)), At(13.2), At(15.25))!;
        Assert.True(outage.Open);
        Assert.Null(outage.Outage);
    }

    [Fact]
    public void AMoveThatStopsServiceAfterTheClusterNoticed_CountsFromItsFirstFailedProbe()
    {
        var series = Series((0, ServingState.Served), (20.3, ServingState.NotServed), (21.0, ServingState.Served));
        var outage = ClientOutage.From(series, At(20.0), At(21.5))!;
        Assert.Equal((At(20.3), At(21.0)), (outage.NotServedAt!.Value, outage.ServedAt!.Value));
    }

    [Fact]
    public void ProbesAnsweredThroughout_SayServedThroughout_AndAnOutageLongBefore_OrAfter_IsNotThisFailovers()
    {
        var series = Series((0, ServingState.Served), (2, ServingState.NotServed), (3, ServingState.Served), (40, ServingState.NotServed));
        Assert.Equal(ClientView.ServedThroughout, ClientOutage.From(series, At(20), At(25))!.View);
    }

    [Fact]
    public void AServiceNeverProbedByTheEnd_HasNoClientOutage()
    {
        Assert.Null(ClientOutage.From(Series((30, ServingState.Served)), At(20), At(25)));
        Assert.Null(ClientOutage.From([], At(20), At(25)));
    }

    [Fact]
    public void AVipNotServedSinceItWasFirstProbed_IsBeingBuilt_NotAClientsOutage()
    {
        // The console probes a VIP from the moment it is in the spec; the apply's own failovers come before it serves.
        Assert.Null(ClientOutage.From(Series((0, ServingState.NotServed), (90, ServingState.Served)), At(30), At(31)));
    }

    [Fact]
    public void AVipTheConsoleCannotReach_SaysSo_RatherThanAnOutage()
    {
        var availability = new ServiceAvailability();
        availability.Record(Vip, FileService.Nfs, ServingState.Unreachable, At(0), "the console has no route to its network");
        var outage = ClientOutage.From(availability.Series(Vip, FileService.Nfs), At(20), At(25))!;
        Assert.Equal(ClientView.CannotReach, outage.View);
        Assert.Equal("the console has no route to its network", outage.Reason);
        Assert.Null(outage.Outage);
    }

    [Fact]
    public void TheSeries_KeepsOnlyChanges_AndDropsAResultOlderThanTheLatestChange()
    {
        var availability = new ServiceAvailability();
        Assert.NotNull(availability.Record(Vip, FileService.Smb, ServingState.Served, At(0)));
        Assert.Null(availability.Record(Vip, FileService.Smb, ServingState.Served, At(0.25)));
        Assert.NotNull(availability.Record(Vip, FileService.Smb, ServingState.NotServed, At(1.0)));
        Assert.NotNull(availability.Record(Vip, FileService.Smb, ServingState.Served, At(1.6)));
        // A connect sent at 1.5 that timed out after the one sent at 1.25 was answered at 1.6: service was back already.
        Assert.Null(availability.Record(Vip, FileService.Smb, ServingState.NotServed, At(1.5)));
        Assert.Equal([ServingState.Served, ServingState.NotServed, ServingState.Served], availability.Series(Vip, FileService.Smb).Select(t => t.State));
        Assert.Equal(ServingState.Served, Assert.Single(availability.Current).State);
    }

    [Fact]
    public void AFailedProbe_SentBeforeTheLatestServedAnswer_IsNoOutage_ButOneSentAfterItIs()
    {
        var availability = new ServiceAvailability();
        Assert.NotNull(availability.Record(Vip, FileService.Smb, ServingState.Served, At(0)));
        // A reconnect sent at 1.0 hangs on the node giving up the VIP; the one sent at 1.25 is answered by its new node at 1.3.
        Assert.Null(availability.Record(Vip, FileService.Smb, ServingState.Served, At(1.3)));
        Assert.Null(availability.Record(Vip, FileService.Smb, ServingState.NotServed, At(1.0), "no answer within 1.0 s"));
        // A probe sent after that answer and not answered is an outage.
        Assert.NotNull(availability.Record(Vip, FileService.Smb, ServingState.NotServed, At(1.5), "no answer within 1.0 s"));
        Assert.Equal([ServingState.Served, ServingState.NotServed], availability.Series(Vip, FileService.Smb).Select(t => t.State));
    }
}
