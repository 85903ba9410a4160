using System.Diagnostics;
using StorageHa.TestSupport.Lab;

namespace StorageHa.EndToEnd.Tests;

/// <summary>A real SMB client on the lab's storage network: smbclient in the client namespace, as a guest.</summary>
public static class LabSmbClient
{
    /// <summary>Reads <paramref name="file"/> from //<paramref name="vip"/>/<paramref name="share"/>; throws with smbclient's words when it cannot.</summary>
    public static async Task<string> GetAsync(LabDescription lab, string vip, string share, string file)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", lab.ClientNamespace, "smbclient", $"//{vip}/{share}", "-N", "-c", $"get {file} /dev/stdout" })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ip did not start");
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { process.Kill(); throw new TimeoutException($"smbclient //{vip}/{share} did not finish within 60 s"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"smbclient //{vip}/{share} exited {process.ExitCode}: {await stdout}{await stderr}");
        return await stdout;
    }
}
