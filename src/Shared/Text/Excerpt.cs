namespace StorageHa.Shared.Text;

/// <summary>
/// Text cut to fit a message, a card or a log line, the one way the console cuts it: "…" marks where something was left
/// out, so a reader knows the whole is longer (and where it is kept: the audit, a tooltip, the job's log).
/// </summary>
public static class Excerpt
{
    /// <summary>The text, or its first <paramref name="max"/> characters and "…".</summary>
    public static string Of(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>The text, or "…" and its last <paramref name="max"/> characters (a command's output, whose end says how it ended).</summary>
    public static string Tail(string text, int max) => text.Length <= max ? text : "…" + text[^max..];

    /// <summary>
    /// The first line, cut at <paramref name="max"/> characters (at the last space before it, with <paramref name="atWord"/>),
    /// and "…" when anything was left out: the rest of the line, or the lines after it.
    /// </summary>
    public static string FirstLine(string text, int max, bool atWord = false)
    {
        var line = text.Split('\n', 2)[0].TrimEnd();
        if (line.Length <= max && line.Length == text.TrimEnd().Length) return line;
        var cut = line.Length <= max ? line.Length
            : atWord && line.LastIndexOf(' ', max) is > 0 and var space ? space
            : max;
        return line[..cut].TrimEnd() + "…";
    }
}
