using System.Diagnostics;
using StorageHa.Shared.Commands;

namespace StorageHa.Server.Provisioning;

/// <summary>What a local Pacemaker tool printed and how it exited.</summary>
public sealed record ToolResult(IReadOnlyList<string> Argv, int ExitCode, string Output, string Error, TimeSpan Took)
{
    public bool Succeeded => ExitCode == 0;
    public string CommandLine => ShellCommand.Join(Argv);
}

/// <summary>Runs a Pacemaker command-line tool on the console machine (tier 1: files only, no cluster, no SSH).</summary>
public static class LocalTool
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static async Task<ToolResult> RunAsync(IReadOnlyList<string> argv, string workingDirectory, string? cibFile = null,
        TimeSpan? timeout = null, CancellationToken ct = default, string? input = null)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1)) start.ArgumentList.Add(arg);
        // Pacemaker's tools read this file instead of asking a running cluster.
        if (cibFile is not null) start.Environment["CIB_file"] = cibFile;
        start.Environment["LC_ALL"] = "C";
        var clock = Stopwatch.StartNew();
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{argv[0]} could not be started ({e.Message}): the console machine needs Pacemaker's tools " +
                "(apt-get install -y pacemaker pacemaker-cli-utils pcs resource-agents)", e);
        }
        using (process)
        {
            // A command may finish without reading its input (a seed for a file that exists): the pipe it leaves broken
            // fails the write and the close, and its result still counts.
            try
            {
                if (input is not null) await process.StandardInput.BaseStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(input), ct);
                process.StandardInput.Close();
            }
            catch (IOException) { /* it did not want the input */ }
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout ?? DefaultTimeout);
            try { await process.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                ct.ThrowIfCancellationRequested();
                throw new TimeoutException($"{ShellCommand.Join(argv)} did not finish in {(timeout ?? DefaultTimeout).TotalSeconds:0} s");
            }
            return new ToolResult(argv, process.ExitCode, await stdout, await stderr, clock.Elapsed);
        }
    }
}
