using System.Text.Json;
using System.Text.Json.Serialization;
using StorageHa.Shared.Placement;
using StorageHa.Shared.Validation;

namespace StorageHa.NodeHelper;

/// <summary><c>place</c>: prints every VIP's node preference and the location scores that make Pacemaker follow it.</summary>
internal static class PlaceCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string[]? nodes = null, vips = null;
        var only = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (json, joinOrder) = (false, false);
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            if (option == "--json") { json = true; continue; }
            if (option == "--join-order") { joinOrder = true; continue; }
            if (option is not ("--nodes" or "--vips" or "--only")) return Refuse(error, $"unknown option '{option}'");
            if (i + 1 >= args.Length) return Refuse(error, $"{option} needs a value");
            var value = args[++i];
            switch (option)
            {
                case "--nodes": nodes = List(value); break;
                case "--vips": vips = List(value); break;
                default:
                    var eq = value.IndexOf('=');
                    if (eq <= 0) return Refuse(error, $"--only takes IP=NODE+NODE…, got '{value}'");
                    only[value[..eq]] = value[(eq + 1)..].Split('+', StringSplitOptions.RemoveEmptyEntries);
                    break;
            }
        }
        if (nodes is null || vips is null) return Refuse(error, "--nodes and --vips are required");
        foreach (var ip in only.Keys.Where(ip => !vips.Contains(ip, StringComparer.Ordinal)))
            return Refuse(error, $"--only names '{ip}', which is not one of --vips");

        // Without --join-order the names' natural order stands in for the join order (node1, node2, … joined in turn).
        var typed = Enumerable.Range(0, nodes.Length);
        var joined = (joinOrder ? typed : typed.OrderBy(i => nodes[i], NaturalOrder.Instance)).ToArray();
        PlacementPlan plan;
        try
        {
            plan = VipPlacement.Plan(joined.Select(i => nodes[i]).ToArray(), vips.Select(v => new PlacementVip(v, only.GetValueOrDefault(v))));
        }
        catch (InvalidInputException e)
        {
            foreach (var problem in e.Errors) error.WriteLine($"storageha-node place: {AsTyped(problem.Field, joined)}: {problem.Message}");
            return 2;
        }

        if (json) output.WriteLine(JsonSerializer.Serialize(Document(plan), PlacementJson.Default.PlacementDocument));
        else WriteText(plan, output);
        return 0;
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.TrimEntries);

    /// <summary>"nodes[k]" of the joined list as the position in --nodes as typed, so the admin finds the bad name.</summary>
    private static string AsTyped(string field, int[] joined) =>
        field.StartsWith("nodes[", StringComparison.Ordinal) && field.EndsWith(']') && int.TryParse(field.AsSpan(6, field.Length - 7), out var k)
            ? $"nodes[{joined[k]}]"
            : field;

    private static int Refuse(TextWriter error, string message)
    {
        error.WriteLine($"storageha-node place: {message}");
        error.WriteLine(Cli.Usage);
        return 2;
    }

    /// <summary>One line per VIP: "VIP  NODE=SCORE … [NODE=-INFINITY …]", best node first.</summary>
    private static void WriteText(PlacementPlan plan, TextWriter output)
    {
        var width = plan.Vips.Count == 0 ? 0 : plan.Vips.Max(v => v.Vip.Length);
        foreach (var vip in plan.Vips)
        {
            var scores = vip.Scores.Select(s => $"{s.Node}={s.Score}").Concat(vip.Avoided.Select(n => $"{n}=-INFINITY"));
            output.WriteLine($"{vip.Vip.PadRight(width)}  {string.Join(' ', scores)}");
        }
    }

    private static PlacementDocument Document(PlacementPlan plan) => new(plan.Vips.Select(vip => new PlacementEntry(
        vip.Vip,
        vip.Nodes,
        vip.Scores.ToDictionary(s => s.Node, s => s.Score),
        vip.Avoided.Count == 0 ? null : vip.Avoided)).ToArray());
}

internal sealed record PlacementDocument(IReadOnlyList<PlacementEntry> Placements);

internal sealed record PlacementEntry(
    string Vip,
    IReadOnlyList<string> Preference,
    Dictionary<string, int> Scores,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Avoids);

/// <summary>Source-generated JSON: no reflection, so the NativeAOT binary stays small and trim-safe.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PlacementDocument))]
internal sealed partial class PlacementJson : JsonSerializerContext;
