using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// The real console as an admin runs it: `dotnet StorageHa.Server.dll --urls …` in its own process, with a fresh
/// data folder and no first admin, so the browser meets the first-run page. Killed and wiped on dispose.
/// </summary>
public sealed class RunningConsole : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningConsole(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }

    /// <summary>What the console wrote to stdout and stderr, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<RunningConsole> StartAsync()
    {
        var serverDll = typeof(Program).Assembly.Location;
        var dataDirectory = Directory.CreateTempSubdirectory("storageha-e2e-").FullName;
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { serverDll, "--urls", baseAddress.ToString().TrimEnd('/') }) info.ArgumentList.Add(arg);
        info.Environment["STORAGEHA_DATA_DIR"] = dataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // The first admin must come from the first-run page, and nothing from the caller's shell may redirect the console.
        foreach (var inherited in new[] { "STORAGEHA_ADMIN_PASSWORD", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "StorageHa__DataDir" })
            info.Environment.Remove(inherited);

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var console = new RunningConsole(process, baseAddress, dataDirectory);
        process.OutputDataReceived += (_, e) => console.Append(e.Data);
        process.ErrorDataReceived += (_, e) => console.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await console.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
            return console;
        }
        catch
        {
            await console.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(limit.Token);
            }
        }
        catch (InvalidOperationException) { }
        catch (OperationCanceledException) { }
        _process.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The console exited with code {_process.ExitCode} on start:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The console did not answer /healthz on {BaseAddress} within {limit.TotalSeconds:0} s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
