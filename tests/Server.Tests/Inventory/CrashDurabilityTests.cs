using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Dapper;
using StorageHa.Server.Inventory;

namespace StorageHa.Server.Tests.Inventory;

/// <summary>The real console process, killed with SIGKILL in the middle of writes, loses nothing it acknowledged.</summary>
public sealed class CrashDurabilityTests
{
    [Fact]
    public async Task KilledMidWrite_KeepsEveryCommittedRow_AndLeavesAReadableDatabase()
    {
        var dataDir = Directory.CreateTempSubdirectory("storageha-crash-").FullName;
        try
        {
            var port = FreePort();
            using var console = StartConsole(dataDir, port);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilHealthy(http);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await CreateTokenThroughTheDatabase(dataDir));

            var cluster = await (await http.PostAsJsonAsync("/api/clusters", new { name = "crash" })).Content.ReadFromJsonAsync<IdOnly>();
            var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested && i < 5000; i++)
                {
                    var name = $"s{w}x{i}";
                    try
                    {
                        var response = await http.PostAsJsonAsync($"/api/clusters/{cluster!.Id}/shares", new { name, path = $"/srv/{name}" });
                        if (response.StatusCode == HttpStatusCode.Created) acknowledged.Add(name);
                    }
                    catch (HttpRequestException) { return; } // the process is gone
                }
            })).ToList();

            // Killed once writes are flowing, however slow the machine: a fixed delay measured the machine, not the console.
            for (var waited = 0; acknowledged.Count < 50 && waited < 600; waited++) await Task.Delay(100);
            await Task.Delay(200);
            console.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await console.WaitForExitAsync();
            stop.Cancel();
            await Task.WhenAll(writers);

            Assert.True(acknowledged.Count >= 50, $"only {acknowledged.Count} writes were acknowledged before the kill");
            var db = new Database(Path.Combine(dataDir, "storageha.db"));
            await using var c = await db.OpenAsync();
            Assert.Equal("ok", await c.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            var stored = (await c.QueryAsync<string>("SELECT name FROM shares")).ToHashSet();
            var lost = acknowledged.Except(stored).ToList();
            Assert.Empty(lost);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private sealed record IdOnly(long Id);

    private static Process StartConsole(string dataDir, int port)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
        };
        start.Environment["STORAGEHA_DATA_DIR"] = dataDir;
        start.Environment["STORAGEHA_ADMIN_PASSWORD"] = "correct horse battery";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilHealthy(HttpClient http)
    {
        for (var i = 0; i < 300; i++)
        {
            try { if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The console did not start within 30 s.");
    }

    // The admin exists (STORAGEHA_ADMIN_PASSWORD); a token is added the way the console stores it: a SHA-256 hash.
    private static async Task<string> CreateTokenThroughTheDatabase(string dataDir)
    {
        var token = "sha_crashtest" + Guid.NewGuid().ToString("N");
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));
        var db = new Database(Path.Combine(dataDir, "storageha.db"));
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("INSERT INTO api_tokens (user_id, name, token_hash, created_at) SELECT id, 'crash', @hash, '2026-01-01T00:00:00Z' FROM users WHERE user_name = 'admin'", new { hash });
        return token;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
