using System.Diagnostics;
using System.Text;

namespace StorageHa.TestSupport;

/// <summary>
/// A client program kept running in the lab's client namespace (<c>ip netns exec NS sh -c COMMAND</c>) with its standard
/// input open: an smbclient session that reads its commands as the test writes them, or an NFS read held open. Killed
/// (with its children) when disposed.
/// </summary>
public sealed class KeptClient : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private KeptClient(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static KeptClient Start(string ns, string command)
    {
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", ns, "sh", "-c", command }) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command}");
        var client = new KeptClient(process);
        process.OutputDataReceived += (_, e) => client.Append(e.Data);
        process.ErrorDataReceived += (_, e) => client.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>smbclient as a guest on the public share through ADDRESS, reading its commands as the test sends them; it lists the share first.</summary>
    public static KeptClient SmbSession(string ns, string address)
    {
        // Line-buffered, so that each answer is seen as it comes (smbclient buffers a pipe otherwise).
        var client = Start(ns, $"exec stdbuf -oL -eL smbclient //{address}/public -N");
        client.Send("ls");
        return client;
    }

    /// <summary>
    /// The client connecting again, as Windows does after its server went away: a new session through <paramref name="vip"/>
    /// once it lists <paramref name="file"/>, tried every second until <paramref name="within"/> has passed.
    /// </summary>
    public static async Task<KeptClient> SmbSessionAgainAsync(string ns, string vip, string file, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (true)
        {
            var client = SmbSession(ns, vip);
            if (await client.PrintedAsync(file, TimeSpan.FromSeconds(10))) return client;
            var said = client.Output;
            client.Dispose();
            if (DateTime.UtcNow > until) throw new TimeoutException($"no SMB through {vip} within {within.TotalSeconds:0} s: {said}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Writes one line to the program's standard input (an smbclient command); false when it can no longer read.</summary>
    public bool Send(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            return true;
        }
        catch (IOException) { return false; }
    }

    /// <summary>Waits until the output holds <paramref name="text"/> (true), or the program ended or the time passed (false).</summary>
    public async Task<bool> PrintedAsync(string text, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (HasExited) return Output.Contains(text, StringComparison.Ordinal);
            await Task.Delay(200);
        }
        return false;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { /* already gone */ }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
