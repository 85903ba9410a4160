using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.NodeHelper;

/// <summary>
/// <c>cluster-files</c>: the files the console gives the nodes of a new cluster (corosync.conf, the seed CIB, CTDB's node
/// list and tunables), rendered by the console's own code for the cluster the options describe and written under --root
/// at their paths on a node. The lab forms its cluster from these, so it cannot drift from what the console writes.
/// </summary>
internal static class ClusterFilesCommand
{
    public const string Usage = "storageha-node cluster-files --cluster NAME --node NAME=ADDRESS… [--token-ms MS] --root DIR\n" +
        "         (nodes numbered 1, 2, … in the order given; settings as for any new cluster)";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        string? name = null, root = null;
        int? token = null;
        var nodes = new List<NodeSpec>();
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            if (option is not ("--cluster" or "--node" or "--token-ms" or "--root")) return Refuse(error, $"unknown option '{option}'");
            if (i + 1 >= args.Length) return Refuse(error, $"{option} needs a value");
            var value = args[++i];
            switch (option)
            {
                case "--cluster": name = value; break;
                case "--root": root = value; break;
                case "--token-ms":
                    if (!int.TryParse(value, out var ms)) return Refuse(error, $"--token-ms: '{value}' is not a number of milliseconds");
                    token = ms;
                    break;
                default:
                    var eq = value.IndexOf('=');
                    if (eq <= 0 || eq == value.Length - 1) return Refuse(error, $"--node takes NAME=ADDRESS, got '{value}'");
                    nodes.Add(new NodeSpec { Name = value[..eq], Address = value[(eq + 1)..] });
                    break;
            }
        }
        if (name is null || root is null || nodes.Count == 0) return Refuse(error, "--cluster, --node and --root are required");
        if (!Path.IsPathRooted(root)) return Refuse(error, $"--root: '{root}' is not an absolute path");

        var spec = NewCluster(name, nodes, token);
        if (spec.Validate() is { Count: > 0 } errors)
        {
            foreach (var problem in errors) error.WriteLine($"storageha-node cluster-files: {problem.Field}: {problem.Message}");
            return 2;
        }
        foreach (var (path, text) in Files(spec))
        {
            var file = Path.Join(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
            output.WriteLine(file);
        }
        return 0;
    }

    /// <summary>The spec of a cluster the console makes from these nodes: every other setting as for any new cluster.</summary>
    private static ClusterSpec NewCluster(string name, IReadOnlyList<NodeSpec> nodes, int? tokenMs) =>
        ClusterSettings.ForNewCluster.ApplyTo(new ClusterSpec { Name = name, Nodes = nodes }) with { Corosync = new CorosyncSpec { TokenMs = tokenMs } };

    /// <summary>Each file by its path on a node, with the text the console writes there.</summary>
    internal static IReadOnlyList<(string Path, string Text)> Files(ClusterSpec spec) =>
    [
        (ConfigFiles.CorosyncConfPath, ConfigFiles.CorosyncConf(spec)),
        (ConfigFiles.CibPath, ConfigFiles.SeedCib),
        (ConfigFiles.CtdbNodesPath, ConfigFiles.CtdbNodes(spec)),
        (ConfigFiles.CtdbTunablesPath, ConfigFiles.CtdbTunables(spec)),
    ];

    private static int Refuse(TextWriter error, string message)
    {
        error.WriteLine($"storageha-node cluster-files: {message}");
        error.WriteLine($"usage: {Usage}");
        return 2;
    }
}
