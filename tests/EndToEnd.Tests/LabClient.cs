using System.Diagnostics;
using StorageHa.TestSupport.Lab;

namespace StorageHa.EndToEnd.Tests;

/// <summary>Real file clients on the lab's storage network, in its client namespace: smbclient as a guest, libnfs's nfs-cat over NFSv4.</summary>
public static class LabClient
{
    /// <summary>Reads <paramref name="file"/> from //<paramref name="vip"/>/<paramref name="share"/>; throws with smbclient's words when it cannot.</summary>
    public static Task<string> GetSmbAsync(LabDescription lab, string vip, string share, string file) =>
        RunAsync(lab, $"smbclient //{vip}/{share}", "smbclient", $"//{vip}/{share}", "-N", "-c", $"get {file} /dev/stdout");

    /// <summary>Writes <paramref name="content"/> as <paramref name="file"/> to //<paramref name="vip"/>/<paramref name="share"/> as a guest.</summary>
    public static Task PutSmbAsync(LabDescription lab, string vip, string share, string file, string content) =>
        RunAsUserAsync(lab, $"smbclient //{vip}/{share}", null, content, "smbclient", $"//{vip}/{share}", "-N", "-c", $"put /dev/stdin {file}");

    /// <summary>Reads <paramref name="file"/> from //<paramref name="vip"/>/<paramref name="share"/> logged in as <paramref name="user"/> (DOMAIN\user); throws with smbclient's words when refused.</summary>
    public static Task<string> GetSmbAsync(LabDescription lab, string vip, string share, string user, string password, string file) =>
        RunAsUserAsync(lab, $"smbclient //{vip}/{share} -U {user}", password, null, "smbclient", $"//{vip}/{share}", "-U", user, "-c", $"get {file} /dev/stdout");

    /// <summary>Writes <paramref name="content"/> as <paramref name="file"/> to //<paramref name="vip"/>/<paramref name="share"/> logged in as <paramref name="user"/>.</summary>
    public static Task PutSmbAsync(LabDescription lab, string vip, string share, string user, string password, string file, string content) =>
        RunAsUserAsync(lab, $"smbclient //{vip}/{share} -U {user}", password, content, "smbclient", $"//{vip}/{share}", "-U", user, "-c", $"put /dev/stdin {file}");

    /// <summary>Reads the file at <paramref name="path"/> over NFSv4 through <paramref name="vip"/>; throws with nfs-cat's words when it cannot.</summary>
    public static Task<string> GetNfsAsync(LabDescription lab, string vip, string path) =>
        RunAsync(lab, $"nfs-cat nfs://{vip}{path}", "nfs-cat", $"nfs://{vip}{path}?version=4");

    private static Task<string> RunAsync(LabDescription lab, string what, params string[] command) => RunAsUserAsync(lab, what, null, null, command);

    /// <param name="password">Given to smbclient in PASSWD (its documented variable), so it is in no argv.</param>
    private static async Task<string> RunAsUserAsync(LabDescription lab, string what, string? password, string? input, params string[] command)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false };
        if (password is not null) info.Environment["PASSWD"] = password;
        foreach (var arg in new[] { "netns", "exec", lab.ClientNamespace }.Concat(command))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ip did not start");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException) { process.Kill(); throw new TimeoutException($"{what} did not finish within 60 s"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"{what} exited {process.ExitCode}: {await stdout}{await stderr}");
        return await stdout;
    }
}
