using System.Diagnostics;
using System.Text;

namespace StorageHa.Integration.Tests.Tickle;

/// <summary>A program run inside a named network namespace (<c>ip netns exec</c>, which execs it: the pid is the program's).</summary>
internal sealed class NamespaceCommand : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly List<(long At, string Line)> _lines = [];

    private NamespaceCommand(Process process) => _process = process;

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static NamespaceCommand Start(string? ns, string file, params string[] args)
    {
        var info = new ProcessStartInfo(ns is null ? file : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (ns is not null) foreach (var a in new[] { "netns", "exec", ns, file }) info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        var command = new NamespaceCommand(process);
        process.OutputDataReceived += (_, e) => command.Append(e.Data);
        process.ErrorDataReceived += (_, e) => command.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return command;
    }

    /// <summary>Runs to the end (killed after <paramref name="timeout"/>); throws with its output unless it exits 0.</summary>
    public static async Task<string> RunAsync(TimeSpan timeout, string? ns, string file, params string[] args)
    {
        using var command = Start(ns, file, args);
        var code = await command.WaitAsync(timeout);
        if (code != 0) throw new InvalidOperationException($"{(ns is null ? "" : $"[{ns}] ")}{file} {string.Join(' ', args)} exited {code}:\n{command.Output}");
        return command.Output;
    }

    public static Task<string> RunAsync(string? ns, string file, params string[] args) => RunAsync(TimeSpan.FromSeconds(20), ns, file, args);

    /// <summary>The exit code, or -1 after killing it when it did not end in time.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            return -1;
        }
        await _process.WaitForExitAsync(); // drain output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL, nothing graceful: how a crashed node's processes end.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>How long ago the first line containing <paramref name="text"/> was printed, or null if none was.</summary>
    public TimeSpan? Since(string text)
    {
        lock (_output)
            foreach (var (at, line) in _lines)
                if (line.Contains(text, StringComparison.Ordinal)) return Stopwatch.GetElapsedTime(at);
        return null;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            _lines.Add((Stopwatch.GetTimestamp(), line));
        }
    }
}
