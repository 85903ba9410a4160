using System.Globalization;

namespace StorageHa.Shared.State;

/// <summary>
/// Reads the times crm_mon prints: ctime ("Thu Nov 26 10:52:32 2026", also with a two-space day) and ISO
/// ("2026-11-26 10:52:28Z"). A time without a zone is taken as UTC: crm_mon prints none, and our nodes run UTC.
/// </summary>
public static class CrmTime
{
    private static readonly string[] Formats =
    [
        "ddd MMM d HH:mm:ss yyyy",
        "ddd MMM  d HH:mm:ss yyyy",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-ddTHH:mm:ssK",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
    ];

    public static DateTimeOffset? Parse(string? text) =>
        !string.IsNullOrWhiteSpace(text)
        && DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out var time)
            ? time
            : null;
}
