using System.Text.RegularExpressions;

namespace StorageHa.Shared.Tests.State;

/// <summary>The copied Pacemaker corpus: files, and the test blocks of the regression .exp files.</summary>
internal static partial class Corpus
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Corpus");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Folder, relativePath));

    public static readonly string[] ExpFiles = ["pacemaker-2.1.5/regression.crm_mon.exp", "pacemaker-3.0/regression.crm_mon.exp"];

    /// <summary>Every "=#=#=#= Begin test: NAME =#=#=#=" block of an .exp file, by name, in file order.</summary>
    public static IReadOnlyList<(string Name, string Body)> Blocks(string expFile)
    {
        var blocks = new List<(string, string)>();
        foreach (Match match in BlockPattern().Matches(Read(expFile)))
            blocks.Add((match.Groups[1].Value, match.Groups[2].Value));
        return blocks;
    }

    public static string Block(string expFile, string name) =>
        Blocks(expFile).Single(block => block.Name == name).Body;

    /// <summary>The XML documents of an .exp file: each pacemaker-result from its start tag to its end tag.</summary>
    public static IReadOnlyList<(string Test, string Xml)> XmlDocuments(string expFile) =>
        Blocks(expFile)
            .SelectMany(block => DocumentPattern().Matches(block.Body).Select(m => (block.Name, m.Value)))
            .ToArray();

    public static string XmlOf(string expFile, string test) =>
        DocumentPattern().Match(Block(expFile, test)).Value;

    [GeneratedRegex(@"=#=#=#= Begin test: (.*?) =#=#=#=\n(.*?)=#=#=#= End test", RegexOptions.Singleline)]
    private static partial Regex BlockPattern();

    [GeneratedRegex(@"<pacemaker-result .*?</pacemaker-result>", RegexOptions.Singleline)]
    private static partial Regex DocumentPattern();
}
