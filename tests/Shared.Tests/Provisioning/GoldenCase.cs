using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>A golden case: a spec as the API imports it, the probe facts of its nodes, and the plan it must give (NAME.plan.txt).</summary>
public sealed record GoldenCase(string Name, ClusterSpec Spec, IReadOnlyDictionary<string, NodeFacts> Facts)
{
    /// <summary>Set to 1 to rewrite the golden plans from the current builder (then review the diff).</summary>
    public const string RegenerateVariable = "STORAGEHA_REGENERATE_GOLDEN";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
    };

    public static string Directory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory(), "*.case.json").Select(f => Path.GetFileName(f)[..^".case.json".Length]).Order(StringComparer.Ordinal);

    public static GoldenCase Load(string name)
    {
        var file = JsonSerializer.Deserialize<CaseFile>(File.ReadAllText(Path.Combine(Directory(), name + ".case.json")), Json)!;
        return new(name, file.Spec, file.Facts);
    }

    public string PlanPath => Path.Combine(Directory(), Name + ".plan.txt");

    public Plan Build() => PlanBuilder.Build(Spec, Facts);

    /// <summary>The plan's text must be the golden file's, byte for byte (rewritten instead with <see cref="RegenerateVariable"/>=1).</summary>
    public static void AssertGolden(string path, Plan plan)
    {
        var text = PlanText.Render(plan);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1") File.WriteAllText(path, text);
        Assert.True(File.Exists(path), $"{path} is missing: run the tests with {RegenerateVariable}=1 and review it");
        Assert.Equal(File.ReadAllText(path), text);
    }

    private sealed record CaseFile(ClusterSpec Spec, Dictionary<string, NodeFacts> Facts);
}
