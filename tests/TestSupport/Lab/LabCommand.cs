using System.Diagnostics;
using System.Text;

namespace StorageHa.TestSupport.Lab;

/// <summary>What one run of `lab.sh` printed (stdout and stderr interleaved) and how it ended.</summary>
public sealed record LabCommandResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>docker/lab/lab.sh for one lab (its LAB_DIR and LAB_PREFIX): brings it up and down, injects failures, runs commands in nodes.</summary>
public sealed class LabCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(4);

    public LabCommand(string script, string labDirectory, string prefix)
    {
        Script = script;
        LabDirectory = labDirectory;
        Prefix = prefix;
    }

    /// <summary>
    /// A test run's lab: <paramref name="prefix"/> and /tmp/storageha-lab-prefix unless LAB_PREFIX and LAB_DIR say
    /// otherwise (so one engineer's run never touches another's lab on the same machine).
    /// </summary>
    public static LabCommand ForTests(string prefix) =>
        new(LabScript(), Setting("LAB_DIR") ?? $"/tmp/storageha-lab-{Setting("LAB_PREFIX") ?? prefix}", Setting("LAB_PREFIX") ?? prefix);

    /// <summary>
    /// A small lab a test builds and removes itself, beside the run's lab: LAB_PREFIX-<paramref name="suffix"/> in
    /// LAB_DIR-<paramref name="suffix"/> (default sha-SUFFIX in /tmp/storageha-lab-sha-SUFFIX).
    /// </summary>
    public static LabCommand Throwaway(string suffix)
    {
        var prefix = $"{Setting("LAB_PREFIX") ?? "sha"}-{suffix}";
        return new(LabScript(), Setting("LAB_DIR") is { } dir ? $"{dir}-{suffix}" : $"/tmp/storageha-lab-{prefix}", prefix);
    }

    private static string LabScript() => Path.Combine(RepositoryRoot(), "docker", "lab", "lab.sh");

    private static string? Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    public string Script { get; }
    public string LabDirectory { get; }
    public string Prefix { get; }
    public string DescriptionPath => Path.Combine(LabDirectory, "lab.json");

    /// <summary>The directory holding StorageHa.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StorageHa.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No StorageHa.sln above {AppContext.BaseDirectory}");
    }

    public async Task<LabCommandResult> RunAsync(params string[] args) => await RunAsync(DefaultTimeout, args);

    public async Task<LabCommandResult> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var process = Start(args);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            lock (output) return new LabCommandResult(-1, $"lab.sh {string.Join(' ', args)} did not finish within {timeout}:\n{output}");
        }
        await process.WaitForExitAsync(); // drains the output streams
        lock (output) return new LabCommandResult(process.ExitCode, output.ToString());
    }

    /// <summary>Runs lab.sh and returns its output; throws with that output when it fails.</summary>
    public async Task<string> RunCheckedAsync(params string[] args)
    {
        var result = await RunAsync(args);
        if (!result.Succeeded)
            throw new InvalidOperationException($"lab.sh {string.Join(' ', args)} failed ({result.ExitCode}):\n{result.Output}");
        return result.Output;
    }

    /// <summary>Throws, naming the missing packages, unless the lab's domain controller (`up --ad`) can run here.</summary>
    public Task RequireDomainControllerAsync() => RequireAsync("--ad", "The lab's domain controller");

    /// <summary>Throws, naming the missing packages, unless the lab's GlusterFS volume (`up --gluster`) can run here.</summary>
    public Task RequireGlusterAsync() => RequireAsync("--gluster", "The lab's GlusterFS volume");

    /// <summary>Throws, naming the missing packages, unless the lab's BMCs (`up --bmc`) can run here.</summary>
    public Task RequireBmcAsync() => RequireAsync("--bmc", "The lab's BMCs");

    private async Task RequireAsync(string part, string what)
    {
        var check = await RunAsync("check", part);
        if (!check.Succeeded)
            throw new InvalidOperationException($"{what} cannot run here: {check.Output.Trim()} (see docker/lab/README.md)");
    }

    /// <summary>Runs a shell command line on a node over SSH from the client namespace, host key checked.</summary>
    public Task<string> SshAsync(string node, string commandLine) => RunCheckedAsync("ssh", node, commandLine);

    /// <summary>Starts lab.sh without waiting (its output is captured by the returned process).</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Script);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["LAB_DIR"] = LabDirectory;
        info.Environment["LAB_PREFIX"] = Prefix;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {Script}");
        process.StandardInput.Close();
        return process;
    }
}
