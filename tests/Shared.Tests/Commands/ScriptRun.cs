using System.Diagnostics;

namespace StorageHa.Shared.Tests.Commands;

/// <summary>
/// A temporary directory to run node scripts in for real, with /bin/sh (dash on Debian) or bash: stub commands put first
/// on the PATH stand in for cluster tools and record how they were called, one line per call in <see cref="Calls"/>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // /bin/sh, dash and Unix file modes
public sealed class ScriptRun : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("storageha-script-").FullName;
    private string Bin => Path.Combine(Directory, "bin");
    private string CallLog => Path.Combine(Directory, "calls");
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public string PathOf(params string[] parts) => Path.Combine([Directory, .. parts]);

    public void Environment(string name, string value) => _environment[name] = value;

    /// <summary>A command NAME that logs "NAME ARGS…" (and its standard input, when <paramref name="logInput"/>), then runs BODY (sh).</summary>
    public void Stub(string name, string body = "exit 0", bool logInput = false)
    {
        System.IO.Directory.CreateDirectory(Bin);
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path,
            $"#!/bin/sh\nprintf '%s\\n' \"{name} $*\" >> '{CallLog}'\n" + (logInput ? $"cat >> '{CallLog}'\n" : "") + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Every stub call so far, in order.</summary>
    public IReadOnlyList<string> Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>Runs ARGV (a program and its arguments, e.g. a NodeScript command) here, with the stubs first on the PATH.</summary>
    public Result Run(IReadOnlyList<string> argv, string? input = null)
    {
        // A stub just written may not be executable at once: a process that another test forks at that moment holds
        // its write descriptor until it execs, and sh's exec of the stub fails with ETXTBSY (exit 126). Run again.
        for (var attempt = 1; ; attempt++)
        {
            var result = RunOnce(argv, input);
            if (result.ExitCode != 126 || !result.Error.Contains("Text file busy", StringComparison.Ordinal) || attempt == 5) return result;
            Thread.Sleep(50 * attempt);
        }
    }

    private Result RunOnce(IReadOnlyList<string> argv, string? input)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in argv.Skip(1)) info.ArgumentList.Add(arg);
        info.Environment["PATH"] = $"{Bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var (name, value) in _environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (input is not null) process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The script ended without reading all of its input (a check that already knows its answer).
        }
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', argv.Skip(3))} did not end within 30 s");
        }
        return new(process.ExitCode, output.Result, error.Result);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public bool Succeeded => ExitCode == 0;
    }
}
