using System.Reflection;

namespace StorageHa.NodeHelper;

/// <summary>storageha-node's command line: one verb, one job.</summary>
internal static class Cli
{
    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static int Run(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "version":
                Console.Out.WriteLine($"storageha-node {Version}");
                return 0;
            default:
                Console.Error.WriteLine("usage: storageha-node version");
                return 2;
        }
    }
}
