using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using StorageHa.Shared.Serving;

namespace StorageHa.Shared.Drills;

/// <summary>A drill report as a file an admin keeps or compares: JSON (the whole report) or CSV (one row per VIP, phase and service).</summary>
public static class DrillExport
{
    public static string ToJson(DrillReport report) => JsonSerializer.Serialize(report, DrillJson.Default.DrillReport);

    /// <summary>The report back from <see cref="ToJson"/> (as the store keeps it).</summary>
    public static DrillReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, DrillJson.Default.DrillReport) ?? throw new JsonException("a drill report is not null");

    public static readonly string[] CsvColumns =
    [
        "drill", "cluster", "target", "started_by", "started_at", "outcome", "vip", "phase", "service", "node_before", "node_during", "node_after",
        "clients_view", "not_served_at", "served_at", "outage_s", "tickle", "tickle_detail", "stopped_at", "started_at_new_node", "tickle_started_at",
    ];

    /// <summary>One row per VIP, phase and service (RFC 4180; times in UTC ISO 8601, outages in seconds with a dot).</summary>
    public static string ToCsv(DrillReport report)
    {
        var csv = new StringBuilder();
        Row(csv, CsvColumns);
        foreach (var vip in report.Vips)
            foreach (var s in vip.Services)
            {
                DateTimeOffset? StageAt(DrillStageKind kind) =>
                    report.Stages.FirstOrDefault(st => st.Phase == s.Phase && st.Kind == kind && st.Vip == vip.Vip)?.At;
                Row(csv,
                [
                    report.Id.ToString(CultureInfo.InvariantCulture), report.ClusterName, report.Target.Display, report.StartedBy, Time(report.StartedAt),
                    report.Outcome.ToString(), vip.Vip, s.Phase.ToString(), s.Service.ToString(), vip.Before ?? "", vip.During ?? "", vip.After ?? "",
                    s.Outage?.View.ToString() ?? "NotMeasured", Time(s.Outage?.NotServedAt), Time(s.Outage?.ServedAt),
                    s.Outage?.Outage is { } o ? o.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) : "",
                    s.Tickle.ToString(), s.TickleDetail ?? "",
                    Time(StageAt(DrillStageKind.Stopped)), Time(StageAt(DrillStageKind.Started)), Time(StageAt(DrillStageKind.TickleStarted)),
                ]);
            }
        return csv.ToString();
    }

    /// <summary>A download's file name: "drill-7-sdnas.csv".</summary>
    public static string FileName(DrillReport report, string extension) =>
        $"drill-{report.Id.ToString(CultureInfo.InvariantCulture)}-{new string([.. report.ClusterName.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_')])}.{extension}";

    // Rounded to the millisecond, not cut: 12.0999999 s is 12.100.
    private static string Time(DateTimeOffset? at) => at is { } t
        ? new DateTime((t.UtcTicks + TimeSpan.TicksPerMillisecond / 2) / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc)
            .ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)
        : "";

    private static void Row(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(Field));
        csv.Append("\r\n");
    }

    // Quoted when it must be; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    /// <summary>The VIP services whose outage the drill measured, in the order of <see cref="DrillReport.Vips"/>.</summary>
    public static IEnumerable<(string Vip, DrillPhase Phase, FileService Service, TimeSpan Outage)> Outages(DrillReport report) =>
        report.Vips.SelectMany(v => v.Services.Where(s => s.Outage?.Outage is not null).Select(s => (v.Vip, s.Phase, s.Service, s.Outage!.Outage!.Value)));
}

/// <summary>The report's JSON: camelCase, enums by name (source-generated: Shared is trimmed into the node helper).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DrillReport))]
public sealed partial class DrillJson : JsonSerializerContext;
