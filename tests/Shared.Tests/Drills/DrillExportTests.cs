using StorageHa.Shared.Drills;
using StorageHa.Shared.Serving;
using static StorageHa.Shared.Tests.Drills.DrillFixtures;

namespace StorageHa.Shared.Tests.Drills;

/// <summary>A drill report as a file: JSON that reads back as the same report, CSV with one row per VIP, phase and service.</summary>
public sealed class DrillExportTests
{
    private static DrillReport Report(string cluster = "sdnas") => new()
    {
        Id = 7, ClusterId = 1, ClusterName = cluster, Target = DrillTarget.Vip(Vip1), StartedBy = "olga", StartedAt = At(9.9), EndedAt = At(17),
        Outcome = DrillOutcome.Completed, AwayNode = "node3", LeftoversChecked = true,
        Stages = [new DrillStage(DrillPhase.Away, DrillStageKind.Stopped, At(11.2), Vip1, "node1"), new DrillStage(DrillPhase.Away, DrillStageKind.Started, At(11.2), Vip1, "node3")],
        Vips =
        [
            new DrillVipResult(Vip1, "node1", "node3", "node1",
            [
                new DrillServiceResult(DrillPhase.Away, FileService.Smb, new ClientOutage(Vip1, FileService.Smb, ClientView.Outage, At(10.3), At(12.1), "no answer within 1.0 s"),
                    TickleEffect.Waited, "no answer within 1.0 s"),
                new DrillServiceResult(DrillPhase.Away, FileService.Nfs, new ClientOutage(Vip1, FileService.Nfs, ClientView.ServedThroughout), TickleEffect.NotSeen),
            ]),
        ],
    };

    [Fact]
    public void Json_ReadsBackAsTheSameReport()
    {
        var json = DrillExport.ToJson(Report());
        var back = DrillExport.FromJson(json);
        Assert.Equal(json, DrillExport.ToJson(back));
        Assert.Contains("\"outcome\": \"Completed\"", json, StringComparison.Ordinal);
        Assert.Equal(1.8, back.OutageOf(Vip1, FileService.Smb, DrillPhase.Away)!.Outage!.Value.TotalSeconds, 3);
    }

    [Fact]
    public void Csv_HasOneRowPerVipPhaseAndService_WithTheOutageInSecondsAndTheStagesTimes()
    {
        var lines = DrillExport.ToCsv(Report()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', DrillExport.CsvColumns), lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Equal("7,sdnas,VIP 10.99.0.100,olga,2026-12-07T04:00:09.900Z,Completed,10.99.0.100,Away,Smb,node1,node3,node1,Outage," +
            "2026-12-07T04:00:10.300Z,2026-12-07T04:00:12.100Z,1.800,Waited,no answer within 1.0 s,2026-12-07T04:00:11.200Z,2026-12-07T04:00:11.200Z,", lines[1]);
        Assert.Contains(",Nfs,node1,node3,node1,ServedThroughout,,,,NotSeen,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_QuotesWhatMustBe_AndNeverHandsASpreadsheetAFormula()
    {
        var line = DrillExport.ToCsv(Report("=HYPERLINK(\"x\",\"y\")")).Split("\r\n")[1];
        Assert.StartsWith("7,\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\",", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDownloadsName_IsTheDrillAndTheCluster_WithNothingAPathCouldUse()
    {
        Assert.Equal("drill-7-a_b____c.csv", DrillExport.FileName(Report("a/b ..\\c"), "csv"));
    }
}
