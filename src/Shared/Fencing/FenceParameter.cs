using System.Text.RegularExpressions;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Fencing;

/// <summary>One option of a fence agent, as its own metadata (<c>fence_… -o metadata</c>) describes it.</summary>
/// <param name="Type">The metadata's content type: string, boolean, integer, second or select.</param>
/// <param name="Choices">The values a select option takes; empty for the other types.</param>
/// <param name="Description">The metadata's shortdesc, which the rules below read as well as the name.</param>
/// <param name="ReplacedBy">For a deprecated option, the one that obsoletes it.</param>
/// <param name="Default">The value the agent uses when the option is not set, as the metadata says; null when it says none.</param>
public sealed partial record FenceParameter(string Name, string Type, IReadOnlyList<string> Choices, string Description, string? ReplacedBy = null,
    string? Default = null)
{
    /// <summary>
    /// An option an admin may set on a device: not one the console refuses (programs, files, secrets), not deprecated, and
    /// not one Pacemaker's fencer sets itself or that only makes sense on a command line (action, help, version).
    /// </summary>
    public bool IsSettable() =>
        !RunsPrograms() && !WritesFiles() && !IsSecret() && ReplacedBy is null && !NotForDevices.Contains(Name);

    private static readonly HashSet<string> NotForDevices = new(StringComparer.Ordinal) { "action", "help", "version" };

    /// <summary>
    /// The agent runs what the value names (a script, a binary, options handed to ssh): the fencer runs it as root on every node.
    /// Judged by rule from the name and the description, so an option a newer agent adds is caught too.
    /// </summary>
    public static bool RunsPrograms(string name, string description) =>
        ProgramName().IsMatch(name) || ProgramWords().IsMatch(description);

    /// <summary>The agent writes to the file the value names, as root: anywhere on every node.</summary>
    public static bool WritesFiles(string name, string description) =>
        LogFileName().IsMatch(name) || WriteWords().IsMatch(description);

    /// <summary>By its name alone a password, passphrase, key or token (also for an option no agent has).</summary>
    public static bool NamesASecret(string name) => SecretName().IsMatch(name);

    public bool RunsPrograms() => RunsPrograms(Name, Description);
    public bool WritesFiles() => WritesFiles(Name, Description);

    /// <summary>A secret: exported with the spec and shown on the pages, so never taken in it. Only text carries one (a boolean saying "no password" does not).</summary>
    public bool IsSecret() => NamesASecret(Name) || (Type == "string" && SecretWords().IsMatch(Description));

    /// <summary>Null when the value is one the metadata's type allows, whole (anchored at the true end: no trailing newline).</summary>
    public string? CheckValue(string? value)
    {
        if (value is null) return "needs a value";
        return Type switch
        {
            "boolean" => Boolean().IsMatch(value) ? null : "must be a boolean (1, 0, true, false, yes, no, on, off)",
            "integer" => Integer().IsMatch(value) ? null : "must be a whole number",
            "second" => Seconds().IsMatch(value) ? null : "must be a number of seconds (e.g. 5 or 2.5)",
            "select" => Choices.Contains(value, StringComparer.Ordinal) ? null : $"must be one of: {string.Join(", ", Choices)}",
            _ => InputRules.Text(value),
        };
    }

    [GeneratedRegex(@"_(script|path|cmd|command|exec|options)\z", RegexOptions.IgnoreCase)]
    private static partial Regex ProgramName();

    [GeneratedRegex(@"\b(scripts?|binary|executable|command to run|options to use)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ProgramWords();

    [GeneratedRegex(@"(debug|log|verbose|trace|output)_?file\z", RegexOptions.IgnoreCase)]
    private static partial Regex LogFileName();

    [GeneratedRegex(@"\bwrites?\b.*\bfile\b", RegexOptions.IgnoreCase)]
    private static partial Regex WriteWords();

    [GeneratedRegex(@"passw|secret|token|credential|(\A|_)(key|kg)(\z|_)|_key\z", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\b(password|passphrase|secret|kg key|api key|access key)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SecretWords();

    [GeneratedRegex(@"\A(0|1|true|false|yes|no|on|off)\z", RegexOptions.IgnoreCase)]
    private static partial Regex Boolean();

    [GeneratedRegex(@"\A-?[0-9]{1,9}\z")]
    private static partial Regex Integer();

    [GeneratedRegex(@"\A[0-9]{1,6}(\.[0-9]{1,3})?\z")]
    private static partial Regex Seconds();
}
