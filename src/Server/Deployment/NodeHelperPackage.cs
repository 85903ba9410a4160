using System.Security.Cryptography;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Deployment;

public enum BundledFileKind { Binary, OcfAgent }

/// <summary>One file the console installs on nodes: where it lies here, its size and SHA-256 (lowercase hex, as sha256sum prints it).</summary>
public sealed record BundledFile(string Name, BundledFileKind Kind, string LocalPath, long Bytes, string Sha256);

/// <summary>
/// The storageha-node build and OCF agents that ship inside the console (bin/…/nodehelper/, made by the Server build),
/// read and hashed once per load so a deploy compares and verifies against exactly these bytes.
/// </summary>
public sealed class NodeHelperPackage
{
    public const string BinaryName = "storageha-node";
    private const string AgentFolder = "ocf";
    private const string BuildNote = "BUILD";

    private NodeHelperPackage(string directory, string version, string kind, string? note, BundledFile binary, IReadOnlyList<BundledFile> agents)
    {
        Directory = directory;
        Version = version;
        Kind = kind;
        Note = note;
        Binary = binary;
        Agents = agents;
    }

    /// <summary>Where the Server build puts the bundle: beside the console's own assemblies.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "nodehelper");

    public string Directory { get; }
    /// <summary>"0.1.0", as `storageha-node version` prints it after the program name; "unknown" when the build could not run it.</summary>
    public string Version { get; }
    /// <summary>"aot" (NativeAOT, ~4 MB) or "single-file" (self-contained, when the build machine had no C toolchain).</summary>
    public string Kind { get; }
    /// <summary>Why the build chose a fallback, in words for the admin; null for the normal NativeAOT build.</summary>
    public string? Note { get; }
    public BundledFile Binary { get; }
    /// <summary>Every file under nodehelper/ocf/ (at any depth), installed as an OCF resource agent of provider storageha; none is fine.</summary>
    public IReadOnlyList<BundledFile> Agents { get; }
    public IEnumerable<BundledFile> Files => [Binary, .. Agents];

    /// <summary>Reads the bundle; refuses, saying how to get one, when the console was built without it.</summary>
    public static NodeHelperPackage Load(string directory)
    {
        var binaryPath = Path.Combine(directory, BinaryName);
        if (!File.Exists(binaryPath))
            throw new ConflictException("nodeHelper",
                $"storageha-node is not bundled with this console ({binaryPath} is missing). Rebuild the console with `dotnet build src/Server` " +
                "and read its 'storageha-node:' lines: it needs the .NET SDK, and clang or gcc for the small NativeAOT build " +
                "(apt-get install -y clang lld); without them it bundles a self-contained build instead.");
        var agents = FindAgents(Path.Combine(directory, AgentFolder));
        var build = ReadBuildNote(Path.Combine(directory, BuildNote));
        var version = ParseVersion(build.GetValueOrDefault("version")) ?? "unknown";
        var note = build.GetValueOrDefault("note") is { Length: > 0 } n ? n : null;
        return new NodeHelperPackage(directory, version, build.GetValueOrDefault("kind") ?? "unknown", note, Hash(binaryPath, BundledFileKind.Binary), agents);
    }

    /// <summary>"storageha-node 0.1.0" → "0.1.0"; null for anything else.</summary>
    public static string? ParseVersion(string? versionLine)
    {
        var words = versionLine?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words is [BinaryName, var version] ? version : null;
    }

    // Files may sit in a provider folder (ocf/storageha/tickle) or directly in ocf/; either way they are storageha's agents.
    private static List<BundledFile> FindAgents(string folder)
    {
        if (!System.IO.Directory.Exists(folder)) return [];
        var agents = System.IO.Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(p => Hash(p, BundledFileKind.OcfAgent)).ToList();
        if (agents.GroupBy(a => a.Name).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ConflictException("nodeHelper", $"The bundle holds two OCF agents named '{twice.Key}': {string.Join(", ", twice.Select(a => a.LocalPath))}.");
        return agents;
    }

    private static BundledFile Hash(string path, BundledFileKind kind)
    {
        using var stream = File.OpenRead(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new BundledFile(Path.GetFileName(path), kind, path, stream.Length, sha);
    }

    // "kind: aot", "version: storageha-node 0.1.0", "note: …": written by the Server build beside the binary.
    private static Dictionary<string, string> ReadBuildNote(string path) =>
        !File.Exists(path) ? [] : File.ReadLines(path)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0].Trim())
            .ToDictionary(g => g.Key, g => g.First()[1].Trim());
}
