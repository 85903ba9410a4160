using System.Xml.Linq;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Fencing;

/// <summary>
/// A fence agent the console supports, with the options its real metadata lists (snapshots of <c>fence_… -o metadata</c>
/// from fence-agents, embedded beside this file). A fence device may set only those options, and not the ones that run
/// programs, write files or carry secrets.
/// </summary>
public sealed record FenceAgent(string Name, IReadOnlyList<FenceParameter> Parameters)
{
    /// <summary>The agents whose metadata the console carries; fence_ipmilan is the one issue 18 stores a password for.</summary>
    public static IReadOnlyList<string> SupportedNames { get; } = ["fence_ipmilan", "fence_sbd", "fence_virsh"];

    private static readonly Lazy<IReadOnlyDictionary<string, FenceAgent>> Catalog =
        new(() => SupportedNames.ToDictionary(n => n, n => Parse(n, Metadata(n)), StringComparer.Ordinal));

    /// <summary>The options a device of this agent may set, in the metadata's order: what the console's form offers.</summary>
    public IEnumerable<FenceParameter> Settable => Parameters.Where(p => p.IsSettable());

    public static FenceAgent? Find(string? name) => name is null ? null : Catalog.Value.GetValueOrDefault(name);

    /// <summary>The embedded metadata snapshot of a supported agent, exactly as the agent printed it.</summary>
    public static string Metadata(string agent)
    {
        using var stream = typeof(FenceAgent).Assembly.GetManifestResourceStream($"StorageHa.Shared.Fencing.Metadata.{agent}.xml")
            ?? throw new ArgumentException($"{agent} is not a fence agent the console carries metadata for.", nameof(agent));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Every option a device of <paramref name="agent"/> may not have, each named by its field ("…options.password_script").
    /// For an agent the console does not support (null) only the rules by name apply: its device is refused anyway.
    /// </summary>
    public static IEnumerable<ValidationError> CheckOptions(FenceAgent? agent, IReadOnlyDictionary<string, string> options, string prefix)
    {
        var byName = (agent?.Parameters ?? []).ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (key, value) in options)
        {
            var field = $"{prefix}options.{key}";
            var known = byName.GetValueOrDefault(key);
            if (FenceParameter.RunsPrograms(key, known?.Description ?? ""))
                yield return new(field, $"'{key}' makes the fence agent run a program as root on every node; the console does not set it");
            else if (FenceParameter.WritesFiles(key, known?.Description ?? ""))
                yield return new(field, $"'{key}' makes the fence agent write a file as root on every node; the console does not set it");
            else if (FenceParameter.NamesASecret(key) || known?.IsSecret() == true)
                yield return new(field, $"'{key}' is a fence secret and does not belong in the spec (it is exported and shown); " +
                    "set the device's password in the console instead: it is kept encrypted and reaches the nodes on standard input (docs/fencing.md)");
            else if (agent is null) continue;
            else if (known is null)
                yield return new(field, $"'{key}' is not an option of {agent.Name} (see {agent.Name} -o metadata)");
            else if (known.ReplacedBy is { } replacement)
                yield return new(field, $"'{key}' is deprecated in {agent.Name}: use '{replacement}'");
            else if (known.CheckValue(value) is { } wrong)
                yield return new(field, $"'{key}' {wrong}");
        }
    }

    internal static FenceAgent Parse(string name, string metadata)
    {
        var parameters = XDocument.Parse(metadata).Root!.Element("parameters")!.Elements("parameter").ToList();
        string? ReplacementOf(string deprecated) =>
            parameters.FirstOrDefault(p => (string?)p.Attribute("obsoletes") == deprecated)?.Attribute("name")?.Value;
        return new FenceAgent(name, parameters.Select(p =>
        {
            var content = p.Element("content");
            var parameterName = p.Attribute("name")!.Value;
            return new FenceParameter(
                parameterName,
                content?.Attribute("type")?.Value ?? "string",
                content?.Elements("option").Select(o => o.Attribute("value")!.Value).ToList() ?? [],
                p.Element("shortdesc")?.Value ?? "",
                (string?)p.Attribute("deprecated") == "1" ? ReplacementOf(parameterName) : null,
                content?.Attribute("default")?.Value);
        }).ToList());
    }
}
