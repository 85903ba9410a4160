using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using StorageHa.Server.Provisioning;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Integration.Tests.Provisioning;

/// <summary>
/// The golden specs of the plan builder's tests (tests/Shared.Tests/Provisioning/Golden), each plan's CIB batch applied
/// once with the real pcs -f to an empty CIB. pcs takes seconds per call, so the batches run side by side, once per class.
/// </summary>
public sealed class GoldenBatches : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(allowIntegerValues: false) } };

    public ConcurrentDictionary<string, (ClusterSpec Spec, Plan Plan, CibBatchResult Result, TimeSpan Took)> Applied { get; } = new();

    public static string Directory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Shared.Tests", "Provisioning", "Golden"));

    public static (ClusterSpec Spec, IReadOnlyDictionary<string, NodeFacts> Facts) Load(string name)
    {
        var file = JsonSerializer.Deserialize<CaseFile>(File.ReadAllText(Path.Combine(Directory(), name + ".case.json")), Json)!;
        return (file.Spec, file.Facts);
    }

    public static IReadOnlyList<string> Names() =>
        System.IO.Directory.GetFiles(Directory(), "*.case.json").Select(f => Path.GetFileName(f)[..^".case.json".Length]).Order(StringComparer.Ordinal).ToArray();

    public async Task InitializeAsync()
    {
        foreach (var tool in new[] { "pcs", "cibadmin", "crm_verify", "crm_simulate", "crm_mon" })
            if (!File.Exists(Path.Combine("/usr/sbin", tool)) && !File.Exists(Path.Combine("/usr/bin", tool)))
                throw new InvalidOperationException($"{tool} is missing: apt-get install -y pcs pacemaker pacemaker-cli-utils resource-agents fence-agents samba");
        await Task.WhenAll(Names().Select(async name =>
        {
            var (spec, facts) = Load(name);
            var plan = PlanBuilder.Build(spec, facts);
            var clock = Stopwatch.StartNew();
            // An empty CIB has nothing done yet: checking each command first would only add a cibadmin call per command.
            var result = await OfflineCib.ApplyAsync(plan, runChecks: false);
            Applied[name] = (spec, plan, result, clock.Elapsed);
        }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record CaseFile(ClusterSpec Spec, Dictionary<string, NodeFacts> Facts);
}
