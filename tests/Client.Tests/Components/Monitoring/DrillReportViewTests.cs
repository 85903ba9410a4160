using Bunit;
using StorageHa.Client.Components.Monitoring;
using StorageHa.Client.Tests.Shared;

namespace StorageHa.Client.Tests.Components.Monitoring;

/// <summary>A drill's report: its timeline, what the clients saw per VIP, phase and service, the stages' times, the VIPs before, during and after, its export.</summary>
public sealed class DrillReportViewTests : ConsoleTest
{
    private IRenderedComponent<DrillReportView> Render() => RenderPage<DrillReportView>(p => p
        .Add(x => x.Report, DrillReports.Completed())
        .Add(x => x.ClusterId, 1)
        .Add(x => x.Nodes, ["node1", "node2", "node3"]));

    [Fact]
    public void Timeline_HasThePhases_TheMovedVipsStages_AndEachServicesOutageBars_ResetOrWaited()
    {
        var view = Render();

        Assert.Equal(["Phases", "VIP 10.99.0.100", "SMB clients", "NFS clients"], view.FindAll(".drill-timeline .row .label").Select(l => l.TextContent));
        Assert.Equal(["away", "back"], view.FindAll(".drill-timeline .bar.phase").Select(b => b.TextContent));
        var smb = view.FindAll(".drill-timeline .row[data-service=Smb] .bar");
        Assert.Equal(["1.4 s, reset", "1.2 s, reset"], smb.Select(b => b.TextContent));
        // 0.2 s → 1.6 s of an 8 s drill.
        Assert.Equal("left:2.5%;width:17.5%", smb[0].GetAttribute("style"));
        Assert.Equal(["3.1 s, waited", "1.2 s, closed"], view.FindAll(".drill-timeline .row[data-service=Nfs] .bar").Select(b => b.TextContent));
        Assert.Equal(["Stopped", "Started", "TickleStarted", "Stopped", "Started", "TickleStarted"],
            view.FindAll(".drill-timeline .row[data-vip='10.99.0.100']:not([data-service]) .mark").Select(m => m.GetAttribute("data-stage")));
        Assert.Equal("+8 s", view.FindAll(".drill-timeline .axis span").Last().TextContent);
    }

    [Fact]
    public void Outages_ArePerVipPhaseAndService_WithTheTicklesEffect_AndHowLongEachStageTook()
    {
        var view = Render();

        var away = view.Find(".drill-outages tr[data-phase=Away][data-service=Nfs]");
        Assert.Equal(["10.99.0.100", "away", "NFS", "3.1 s without service", "hung until the timeout: clients wait", "0.3 s", "0.5 s", "0.2 s", "2.6 s"],
            away.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal("reset: clients reconnect at once", view.Find(".drill-outages tr[data-phase=Away][data-service=Smb] .tickle").TextContent);
        Assert.Equal("closed by the server: clients reconnect at once", view.Find(".drill-outages tr[data-phase=Back][data-service=Nfs] .tickle").TextContent);
        // The VIP the drill did not move, served throughout, is not listed among the outages.
        Assert.Empty(view.FindAll(".drill-outages tr[data-vip='10.99.0.101']"));
    }

    [Fact]
    public void Distribution_ShowsWhereEachVipWasBeforeDuringAndAfter_AndTheExportLinksAreOffered()
    {
        var view = Render();

        string Cell(string node, string moment) => view.Find($".vip-distribution-table tr[data-node={node}] td[data-moment={moment}]").TextContent.Trim();
        Assert.Equal("10.99.0.100", Cell("node1", "before"));
        Assert.Equal("none", Cell("node1", "during"));
        Assert.Equal("10.99.0.100", Cell("node3", "during"));
        Assert.Equal("10.99.0.100", Cell("node1", "after"));
        Assert.Equal("10.99.0.101", Cell("node2", "during"));
        Assert.Equal(["api/clusters/1/drills/7/export?format=csv", "api/clusters/1/drills/7/export?format=json"],
            view.FindAll(".drill-export").Select(a => a.GetAttribute("href")));
        Assert.All(view.FindAll(".drill-export"), a => Assert.True(a.HasAttribute("download")));
    }
}
