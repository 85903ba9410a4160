using System.Text;

namespace StorageHa.Shared.Clients;

/// <summary>A value of a D-Bus reply as <c>dbus-send --print-reply</c> prints it: a basic value, or a container of values.</summary>
public abstract record DbusValue;

/// <summary>A basic value: its type as dbus-send names it ("string", "boolean", "uint64"…) and its text (a string unquoted).</summary>
public sealed record DbusLeaf(string Type, string Text) : DbusValue;

/// <summary>A struct, array, variant or dict entry, with its values in order.</summary>
public sealed record DbusContainer(string Kind, IReadOnlyList<DbusValue> Children) : DbusValue;

/// <summary>
/// Reads dbus-send's printed reply ("method return …" then one value per line, containers opened by "struct {",
/// "array [", "dict entry(" and closed by "}", "]", ")") into its top-level values. Pure; what it cannot read is skipped.
/// </summary>
public static class DbusReply
{
    public static IReadOnlyList<DbusValue> Parse(string text)
    {
        var top = new List<DbusValue>();
        var open = new Stack<(string Kind, List<DbusValue> Children)>();
        List<DbusValue> Current() => open.Count > 0 ? open.Peek().Children : top;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("method return", StringComparison.Ordinal)) continue;
            if (line is "struct {" or "array [" or "dict entry(" || line.StartsWith("variant", StringComparison.Ordinal) && line.EndsWith('{'))
                open.Push((line.Split(' ')[0].TrimEnd('('), []));
            else if (line is "}" or "]" or ")")
            {
                if (open.Count == 0) continue;
                var (kind, children) = open.Pop();
                Current().Add(new DbusContainer(kind, children));
            }
            else if (Leaf(line) is { } leaf)
                Current().Add(leaf);
        }
        return top;
    }

    /// <summary>"string \"192.0.2.5\"", "boolean true", "uint64 1733526000", "variant       int32 3".</summary>
    private static DbusLeaf? Leaf(string line)
    {
        if (line.StartsWith("variant ", StringComparison.Ordinal)) line = line[8..].TrimStart();
        var space = line.IndexOf(' ');
        if (space <= 0) return null;
        var type = line[..space];
        var value = line[(space + 1)..].Trim();
        return type is "string" or "object" ? new DbusLeaf(type, Unquote(value)) : new DbusLeaf(type, value);
    }

    /// <summary>dbus-send prints a string in double quotes, a quote inside it as \".</summary>
    private static string Unquote(string value)
    {
        if (value.StartsWith("path ", StringComparison.Ordinal)) value = value[5..];
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"') return value;
        var text = new StringBuilder();
        for (var i = 1; i < value.Length - 1; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length - 1) i++;
            text.Append(value[i]);
        }
        return text.ToString();
    }
}
