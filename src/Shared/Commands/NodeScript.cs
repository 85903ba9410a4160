using System.Collections.Frozen;

namespace StorageHa.Shared.Commands;

/// <summary>
/// A shell script the console runs on a node, kept as a named file (<c>Scripts/NAME.sh</c> beside the code that uses it,
/// embedded in this assembly) so it can be read, linted and run by tests as it is. Its values are positional arguments,
/// never spliced into its text; contents and secrets go to its standard input.
/// </summary>
public sealed class NodeScript
{
    private const string ResourcePrefix = "StorageHa.Shared.Scripts.";
    private static readonly FrozenDictionary<string, NodeScript> All = LoadAll();

    private NodeScript(string name, string text)
    {
        Name = name;
        Text = text;
        Shell = text.StartsWith("#!/bin/bash\n", StringComparison.Ordinal) ? "bash" : "sh";
        Body = string.Join('\n', text.Split('\n').Where(l => l.Trim() is { Length: > 0 } t && t[0] != '#'));
    }

    /// <summary>The file's name without ".sh", e.g. "write-file".</summary>
    public string Name { get; }

    /// <summary>The file as written, its header comment included.</summary>
    public string Text { get; }

    /// <summary>"bash" for a script whose first line is <c>#!/bin/bash</c>; otherwise "sh" (dash on Debian: POSIX only).</summary>
    public string Shell { get; }

    /// <summary>
    /// What runs: the text without its comment and blank lines. The argv carries this, so a plan shows exactly what runs
    /// and stays readable (a write step is five lines, not fifteen), and every SSH command line stays short; the
    /// explanation is one name away, in the file that <c>$0</c> (storageha-NAME) names. Scripts therefore put a '#'
    /// first on a line only for a comment, never inside a multi-line string.
    /// </summary>
    public string Body { get; }

    /// <summary>Every embedded script, by name.</summary>
    public static IEnumerable<NodeScript> Scripts => All.Values.OrderBy(s => s.Name, StringComparer.Ordinal);

    public static NodeScript Named(string name) =>
        All.TryGetValue(name, out var script) ? script : throw new InvalidOperationException($"{name}.sh is not embedded in StorageHa.Shared");

    /// <summary>The argv that runs the script with these arguments: [shell, "-c", body, "storageha-NAME", arguments…].</summary>
    public IReadOnlyList<string> Command(params IEnumerable<string> arguments) => [Shell, "-c", Body, "storageha-" + Name, .. arguments];

    private static FrozenDictionary<string, NodeScript> LoadAll()
    {
        var assembly = typeof(NodeScript).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sh", StringComparison.Ordinal))
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return new NodeScript(n[ResourcePrefix.Length..^".sh".Length], reader.ReadToEnd().ReplaceLineEndings("\n"));
            })
            .ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
    }
}
