namespace StorageHa.NodeHelper.Tests;

/// <summary>Runs storageha-node's command line in process, capturing what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var exit = Cli.Run(args, output, error);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
