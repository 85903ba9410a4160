using System.Text;

namespace StorageHa.Shared.Commands;

/// <summary>The one place that turns an argument list into a POSIX shell command line.</summary>
public static class ShellCommand
{
    /// <summary>Joins arguments so that a POSIX shell sees exactly these words, byte for byte.</summary>
    public static string Join(IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));

    /// <summary>Quotes one word: safe characters pass as they are, anything else goes in single quotes.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(IsSafe)) return word;
        var quoted = new StringBuilder(word.Length + 2).Append('\'');
        // Inside single quotes nothing is special except the quote itself: close, escape it, reopen.
        foreach (var c in word) quoted.Append(c == '\'' ? "'\\''" : c.ToString());
        return quoted.Append('\'').ToString();
    }

    private static bool IsSafe(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.' or '/' or ':' or '=' or ',' or '@' or '+' or '%';
}
