using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using StorageHa.Client.Components.Monitoring;
using StorageHa.Client.Components.Pages;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;

namespace StorageHa.Client.Tests.Components.Pages;

/// <summary>
/// The drills page: why a drill may not start (and start disabled), an operator's confirmed start, its stages live from the
/// cluster's stream to its report (timeline, the clients' outage per service, reset vs waited, the VIPs before, during and
/// after), the drills before it with their export, and a viewer who only looks.
/// </summary>
public sealed class DashboardDrillsTests : ConsoleTest
{
    private readonly ChannelClusterStream _stream = new();
    private readonly TestDrills _drills = new();

    public DashboardDrillsTests()
    {
        Ctx.Services.AddSingleton<IClusterStateStream>(_stream);
        Ctx.Services.AddSingleton<IDrills>(_drills);
    }

    private IRenderedComponent<DashboardDrills> Open(ClusterSnapshot snapshot)
    {
        _stream.Add(snapshot);
        var page = RenderPage<DashboardDrills>(p => p.Add(x => x.ClusterId, 1));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindComponent<MudSelect<DrillTarget>>().FindComponents<MudSelectItem<DrillTarget>>()), Patience);
        return page;
    }

    private static void Pick(IRenderedComponent<DashboardDrills> page, DrillTarget target) =>
        page.InvokeAsync(() => page.FindComponent<MudSelect<DrillTarget>>().Instance.ValueChanged.InvokeAsync(target)).GetAwaiter().GetResult();

    private static IElement StartButton(IRenderedComponent<DashboardDrills> page) => page.Find("button.start-drill");

    private static List<string> Reasons(IRenderedComponent<DashboardDrills> page) =>
        [.. page.FindAll(".drill-readiness li").Select(li => li.TextContent.Trim())];

    [Fact]
    public void ADegradedCluster_ShowsEveryReason_AndStartStaysDisabled()
    {
        var page = Open(DrillReports.Snapshot(DrillReports.State(offline: "node3"), serving: []));

        Assert.Equal(["VIP 10.99.0.100", "VIP 10.99.0.101", "node node1", "node node2", "node node3"],
            page.FindComponent<MudSelect<DrillTarget>>().FindComponents<MudSelectItem<DrillTarget>>().Select(i => i.Instance.Value!.Display));
        Pick(page, DrillTarget.Vip(DrillReports.Vip));

        page.WaitForAssertion(() => Assert.Contains("node3 is offline: a drill needs every node online.", Reasons(page)), Patience);
        Assert.Contains(Reasons(page), r => r.StartsWith("The console probes no VIP service of this cluster", StringComparison.Ordinal));
        Assert.True(StartButton(page).HasAttribute("disabled"));
        Assert.Contains("Move VIP 10.99.0.100 to another online node, move it back, then clear the move", page.Find(".drill-plan").TextContent);
    }

    [Fact]
    public void ATargetTheClusterCannotDrill_SaysWhy_EvenOnAHealthyCluster()
    {
        var page = Open(DrillReports.Snapshot(DrillReports.State()));
        Pick(page, DrillTarget.Node("node9"));

        page.WaitForAssertion(() => Assert.Equal(["'node9' is not a node of this cluster (its nodes: node1, node2, node3)"], Reasons(page)), Patience);
        Assert.True(StartButton(page).HasAttribute("disabled"));
    }

    [Fact]
    public void AViewer_SeesTheClusterReady_ButCannotStartADrill()
    {
        SignInAs("vera", "Viewer");
        var page = Open(DrillReports.Snapshot(DrillReports.State()));
        Pick(page, DrillTarget.Vip(DrillReports.Vip));

        page.WaitForAssertion(() => Assert.NotNull(page.Find(".drill-ready")), Patience);
        Assert.True(StartButton(page).HasAttribute("disabled"));
        Assert.Equal("Starting a drill needs the operator role.", page.Find(".needs-operator").TextContent.Trim());
        Assert.Empty(_drills.Started);
    }

    [Fact]
    public void AnOperator_ConfirmsTheStart_ThenWatchesEachStageAsItHappens_ToTheReport()
    {
        var page = Open(DrillReports.Snapshot(DrillReports.State()));
        Pick(page, DrillTarget.Vip(DrillReports.Vip));
        page.WaitForAssertion(() => Assert.False(StartButton(page).HasAttribute("disabled")), Patience);

        Click(page, "Start drill");
        Click(DialogHost, "Cancel");
        Assert.Empty(_drills.Started);
        Click(page, "Start drill");
        Click(DialogHost, "Start drill");
        page.WaitForAssertion(() => Assert.Equal(DrillTarget.Vip(DrillReports.Vip), Assert.Single(_drills.Started)), Patience);
        page.WaitForAssertion(() => Assert.Equal("running", page.Find(".drill-outcome").TextContent.Trim()), Patience);

        _stream.Publish(DashboardStates.Change(1, 1, null) with { Drill = DrillReports.Running(1.0) });
        page.WaitForAssertion(() => Assert.Equal(["Asked", "Stopped", "Started"], Stages(page)), Patience);
        Assert.Contains("+0.9 s", page.Find(".drill-stages").TextContent);
        Assert.True(StartButton(page).HasAttribute("disabled"));
        Assert.Contains(Reasons(page), r => r.StartsWith("Another drill is running (VIP 10.99.0.100, started by olga", StringComparison.Ordinal));

        _stream.Publish(DashboardStates.Change(1, 2, null) with { Drill = DrillReports.Running(5.5) });
        page.WaitForAssertion(() => Assert.Equal(9, Stages(page).Count), Patience);

        _stream.Publish(DashboardStates.Change(1, 3, null) with { Drill = DrillReports.Completed() });
        page.WaitForAssertion(() => Assert.Equal("completed", page.Find(".drill-outcome").TextContent.Trim()), Patience);
        Assert.Equal(14, Stages(page).Count);
        Assert.Equal("1.4 s without service", page.Find(".drill-outages tr[data-phase=Away][data-service=Smb] .outage").TextContent.Trim());
        Assert.NotNull(page.Find(".drill-no-leftovers"));
    }

    [Fact]
    public void ARefusedStart_ShowsEveryReasonTheRunnerGave()
    {
        _drills.Answer = target => new DrillReport
        {
            Id = 12, Target = target, StartedBy = "olga", StartedAt = DrillReports.T0, EndedAt = DrillReports.T0, Outcome = DrillOutcome.Refused,
            Refusals = [new DrillObstacle(DrillObstacleKind.Target, "VIP 10.99.0.100 has a move constraint already (cli-prefer-vip-10.99.0.100): clear it first, or the drill would remove it.")],
        };
        var page = Open(DrillReports.Snapshot(DrillReports.State()));
        Pick(page, DrillTarget.Vip(DrillReports.Vip));

        Click(page, "Start drill");
        Click(DialogHost, "Start drill");

        page.WaitForAssertion(() => Assert.Equal("refused", page.Find(".drill-outcome").TextContent.Trim()), Patience);
        Assert.Contains("has a move constraint already (cli-prefer-vip-10.99.0.100)", page.Find(".drill-refusals").TextContent);
        Assert.Empty(page.FindAll(".drill-report .drill-export"));
    }

    [Fact]
    public void History_ListsTheDrillsNewestFirst_WithTheirExports_AndPlotsTheSameVipsOutageOverTime()
    {
        _drills.Stored.AddRange([DrillReports.Completed(9, DrillReports.T0.AddDays(1), awaySmb: 2.0), DrillReports.Completed(7)]);
        var page = Open(DrillReports.Snapshot(DrillReports.State()));

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll(".drill-history-table tbody tr").Count), Patience);
        // The newest drill's report is shown on opening the page.
        Assert.Equal("9", page.Find(".drill-report").GetAttribute("data-drill"));
        var rows = page.FindAll(".drill-history-table tbody tr");
        Assert.Contains("2026-12-08 02:00:00 UTC", rows[0].TextContent);
        Assert.Contains("3.1 s (10.99.0.100 NFS, away)", rows[0].QuerySelector(".longest")!.TextContent);
        Assert.Equal(["api/clusters/1/drills/9/export?format=csv", "api/clusters/1/drills/9/export?format=json"],
            rows[0].QuerySelectorAll(".drill-export").Select(a => a.GetAttribute("href")));
        var smbAway = page.FindComponent<DrillHistory>().FindComponent<MudChart<double>>().Instance.ChartSeries.Single(s => s.Name == "10.99.0.100 SMB, away");
        Assert.Equal([1.4, 2.0], smbAway.Data.Values.Select(v => Math.Round(v, 1)));

        page.InvokeAsync(() => rows[1].QuerySelector("button.drill-view")!.Click());
        page.WaitForAssertion(() => Assert.Equal("7", page.Find(".drill-report").GetAttribute("data-drill")), Patience);
    }

    private static List<string> Stages(IRenderedComponent<DashboardDrills> page) =>
        [.. page.FindAll(".drill-stages tr").Select(tr => tr.GetAttribute("data-kind")!)];
}
