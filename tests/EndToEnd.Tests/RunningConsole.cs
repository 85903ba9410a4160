using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StorageHa.TestSupport.Lab;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// The real console as an admin runs it: `dotnet StorageHa.Server.dll --urls …` in its own process, with a fresh
/// data folder and no first admin, so the browser meets the first-run page. Killed and wiped on dispose.
/// Started <see cref="InNamespace"/>, it runs inside a network namespace (the lab's client namespace: the storage
/// network, where it reaches the nodes at their own addresses), listening on an address of that namespace.
/// </summary>
public sealed class RunningConsole : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly string? _namespace;

    private RunningConsole(Process process, Uri baseAddress, string dataDirectory, string? networkNamespace)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        _namespace = networkNamespace;
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    /// <summary>The console process's CPU time so far (user and system).</summary>
    public TimeSpan CpuTime { get { _process.Refresh(); return _process.TotalProcessorTime; } }

    /// <summary>What the console wrote to stdout and stderr, for failure messages.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static Task<RunningConsole> StartAsync() => StartCoreAsync(null, "127.0.0.1", adminPassword: null);

    /// <summary>
    /// The console on 127.0.0.1 with its first admin "admin" made from <paramref name="adminPassword"/>, the given
    /// settings as environment variables (StorageHa__BehindProxy…), started under <paramref name="umask"/> when given.
    /// </summary>
    public static Task<RunningConsole> StartAsync(string adminPassword, IReadOnlyDictionary<string, string>? settings = null, string? umask = null) =>
        StartCoreAsync(null, "127.0.0.1", adminPassword, settings, umask);

    /// <summary>
    /// The console inside network namespace <paramref name="networkNamespace"/>, on <paramref name="address"/>, with
    /// its first admin "admin" already made from <paramref name="adminPassword"/> (STORAGEHA_ADMIN_PASSWORD), or, with
    /// null, none yet: the browser meets the first-run page.
    /// </summary>
    public static Task<RunningConsole> InNamespace(string networkNamespace, string address, string? adminPassword,
        IReadOnlyDictionary<string, string>? settings = null) =>
        StartCoreAsync(networkNamespace, address, adminPassword, settings);

    private static async Task<RunningConsole> StartCoreAsync(string? networkNamespace, string address, string? adminPassword,
        IReadOnlyDictionary<string, string>? settings = null, string? umask = null)
    {
        var serverDll = typeof(Program).Assembly.Location;
        // A folder the console creates itself, as on a first start: its mode is the console's doing, not the test's.
        var dataDirectory = Path.Combine(Directory.CreateTempSubdirectory("storageha-e2e-").FullName, "data");
        var baseAddress = new Uri($"http://{address}:{FreePort()}");
        var info = new ProcessStartInfo(networkNamespace is null ? umask is null ? "dotnet" : "/bin/sh" : "ip")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // ip netns exec enters the namespace and execs dotnet: the process killed on dispose is the console itself.
        if (networkNamespace is not null)
            foreach (var arg in new[] { "netns", "exec", networkNamespace, "dotnet" }) info.ArgumentList.Add(arg);
        // sh sets the umask and execs dotnet: still one process, the console itself.
        if (umask is not null)
            foreach (var arg in new[] { "-c", $"umask {umask} && exec \"$0\" \"$@\"", "dotnet" }) info.ArgumentList.Add(arg);
        foreach (var arg in new[] { serverDll, "--urls", baseAddress.ToString().TrimEnd('/') }) info.ArgumentList.Add(arg);
        info.Environment["STORAGEHA_DATA_DIR"] = dataDirectory;
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // The first admin must come from the first-run page, and nothing from the caller's shell may redirect the console.
        foreach (var inherited in new[] { "STORAGEHA_ADMIN_PASSWORD", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "StorageHa__DataDir" })
            info.Environment.Remove(inherited);
        if (adminPassword is not null) info.Environment["STORAGEHA_ADMIN_PASSWORD"] = adminPassword;
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var console = new RunningConsole(process, baseAddress, dataDirectory, networkNamespace);
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
        try { Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>An HTTP client that reaches the console, from inside its namespace when it runs in one.</summary>
    public HttpClient NewHttpClient()
    {
        var handler = new SocketsHttpHandler();
        if (_namespace is { } ns)
            handler.ConnectCallback = (context, ct) => ValueTask.FromResult<Stream>(NetworkNamespace.Run(ns, () =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try { socket.Connect(context.DnsEndPoint.Host, context.DnsEndPoint.Port); }
                catch { socket.Dispose(); throw; }
                return new NetworkStream(socket, ownsSocket: true);
            }));
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
    }

    private async Task WaitUntilHealthyAsync(TimeSpan limit)
    {
        using var http = NewHttpClient();
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
