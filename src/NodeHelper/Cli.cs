namespace StorageHa.NodeHelper;

/// <summary>storageha-node's command line: one verb, one job. Exit codes: 0 done, 1 failed, 2 bad usage or input.</summary>
internal static class Cli
{
    public const string Usage = """
        usage: storageha-node version
               storageha-node place --nodes N1,N2,… [--join-order] --vips IP1,IP2,… [--only IP=N1+N2]… [--json]
                 (--join-order: --nodes lists the nodes in the order they joined the cluster; without it, by name)
        """ + "\n       " + ClusterFilesCommand.Usage + "\n       " + ClusterStateCommand.Usage + "\n       " + WatchStateCommand.Usage + "\n" + Tickle.TickleCommand.Usage;

    public static int Run(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        switch (args.FirstOrDefault())
        {
            case "version":
                output.WriteLine($"storageha-node {HelperVersion.Value}");
                return 0;
            case "place":
                return PlaceCommand.Run(args[1..], output, error);
            case "probe": return ProbeCommand.Run(args[1..], output, error);
            case "tickle": return Tickle.TickleCommand.Run(args[1..], output, error);
            case "cluster-files": return ClusterFilesCommand.Run(args[1..], output, error);
            case "cluster-state": return ClusterStateCommand.Run(args[1..], output, error);
            // Frames count bytes: the real stdout, not a text writer (tests give one only with bad arguments).
            case "watch-state": return WatchStateCommand.Run(args[1..], ReferenceEquals(output, Console.Out) ? null : Stream.Null, error);
            default:
                error.WriteLine(Usage);
                return 2;
        }
    }
}
