using System.Text.Json;
using System.Text.Json.Serialization;

namespace StorageHa.Shared.Probe;

/// <summary>NodeFacts as JSON without reflection: the node helper (NativeAOT) prints it, the console can read it back.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(NodeFacts))]
public sealed partial class NodeFactsJson : JsonSerializerContext;
