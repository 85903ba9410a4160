using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using StorageHa.Shared.Console;
using StorageHa.Server;
using StorageHa.Server.Auth;
using StorageHa.Server.Hubs;
using StorageHa.Server.Monitoring;
using StorageHa.Shared.State;

namespace StorageHa.Benchmarks;

/// <summary>
/// One console server, 200 SignalR clients on 20 clusters (10 each), for a set time (10 minutes unless --minutes):
/// how long a change takes to reach every client of its cluster, and the server's memory.
/// Real: the console (ConsoleHost, Kestrel on loopback, auth by API token, /hubs/clusters, ClusterFeeds → ClusterHubRelay),
/// the crm_mon parser and diff making each change, and the SignalR clients (another process, over TCP).
/// Not real: no cluster and no SSH — the changes are published into the server's own ClusterFeeds in-process, where its
/// monitors publish theirs.
/// </summary>
internal static class FanoutSpeed
{
    private const string ClientsCommand = "fanout-clients";
    private const long FirstClusterId = 1001;

    public static int Print(TextWriter output, string[] args)
    {
        var minutes = Option(args, "--minutes", 10.0);
        var clusters = (int)Option(args, "--clusters", 20);
        var perCluster = (int)Option(args, "--clients", 200) / clusters;
        var interval = TimeSpan.FromSeconds(Option(args, "--every", 2.0));
        return RunAsync(output, TimeSpan.FromMinutes(minutes), clusters, perCluster, interval).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(TextWriter output, TimeSpan duration, int clusters, int perCluster, TimeSpan interval)
    {
        var dataDir = Directory.CreateTempSubdirectory("storageha-fanout-").FullName;
        var url = $"http://127.0.0.1:{FreePort()}";
        // The server's name, not bench's: its static assets manifest (StorageHa.Server.staticwebassets.*) is found by it.
        var app = ConsoleHost.Build(["--applicationName=StorageHa.Server", "--urls", url, $"--STORAGEHA_DATA_DIR={dataDir}", "--STORAGEHA_ADMIN_PASSWORD=Fanout-admin-1",
            "--Logging:LogLevel:Default=Warning"]);
        await ConsoleHost.PrepareAsync(app);
        await app.StartAsync();
        try
        {
            var token = await TokenAsync(app);
            var feeds = app.Services.GetRequiredService<ClusterFeeds>();
            var states = new[] { CrmMonParser.Parse(SmallCluster(0)), CrmMonParser.Parse(SmallCluster(1)) };
            var ids = Enumerable.Range(0, clusters).Select(i => FirstClusterId + i).ToList();
            foreach (var id in ids) feeds.Track(id, $"fanout{id}");
            foreach (var id in ids) Publish(feeds, id, null, states[0]);

            var memory = new List<(TimeSpan At, long WorkingSet, long Heap)>();
            var clock = Stopwatch.StartNew();
            memory.Add((clock.Elapsed, Environment.WorkingSet, GC.GetTotalMemory(false)));
            using var client = StartClients(url, token, ids, perCluster);
            var received = new ConcurrentQueue<(long Cluster, long Sequence, long At)>();
            var ready = new TaskCompletionSource();
            client.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line) return;
                if (line == "ready") { ready.TrySetResult(); return; }
                var parts = line.Split(' ');
                if (parts is ["R", var c, var s, var t])
                    received.Enqueue((long.Parse(c, CultureInfo.InvariantCulture), long.Parse(s, CultureInfo.InvariantCulture), long.Parse(t, CultureInfo.InvariantCulture)));
            };
            var errors = new StringBuilder();
            client.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
            client.BeginOutputReadLine();
            client.BeginErrorReadLine();
            if (await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromMinutes(2))) != ready.Task)
                throw new TimeoutException($"the {ids.Count * perCluster} clients did not join within 2 minutes: {errors}");
            var connectedIn = clock.Elapsed;
            memory.Add((clock.Elapsed, Environment.WorkingSet, GC.GetTotalMemory(false)));
            output.WriteLine($"{ids.Count * perCluster} clients joined {ids.Count} clusters in {connectedIn.TotalSeconds:0.0} s; publishing one change per cluster every {interval.TotalSeconds:0.#} s for {duration.TotalMinutes:0.#} min");

            // Each cluster changes in turn, spread over the interval: a VIP moves between two nodes and back.
            var published = new Dictionary<(long, long), long>();
            var start = clock.Elapsed;
            var step = interval / ids.Count;
            var round = 0;
            var lastSample = clock.Elapsed;
            while (clock.Elapsed - start < duration)
            {
                for (var i = 0; i < ids.Count && clock.Elapsed - start < duration; i++)
                {
                    var due = start + interval * round + step * i;
                    if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                    var at = Stopwatch.GetTimestamp();
                    var change = Publish(feeds, ids[i], states[round % 2], states[(round + 1) % 2]);
                    published[(ids[i], change.Sequence)] = at;
                }
                round++;
                if (clock.Elapsed - lastSample >= TimeSpan.FromSeconds(10))
                {
                    memory.Add((clock.Elapsed, Environment.WorkingSet, GC.GetTotalMemory(false)));
                    lastSample = clock.Elapsed;
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(3)); // the last deliveries
            memory.Add((clock.Elapsed, Environment.WorkingSet, GC.GetTotalMemory(false)));
            client.Kill(entireProcessTree: true);
            Report(output, published, [.. received], perCluster, memory, errors.ToString());
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    /// <summary>What a monitor publishes on a change: the new state and the diff's events, through the feed's own Publish.</summary>
    private static ClusterChange Publish(ClusterFeeds feeds, long id, ClusterState? before, ClusterState after)
    {
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<ClusterEvent> events = before is null ? [] : ClusterDiff.Between(before, after, now);
        var status = new MonitorStatus(MonitorHealth.Watching, "node1", "watching from node1", now);
        return feeds.Publish(id, sequence => new ClusterChange(id, sequence, status, after, events, null, null));
    }

    private static void Report(TextWriter output, Dictionary<(long, long), long> published, List<(long Cluster, long Sequence, long At)> received,
        int perCluster, List<(TimeSpan At, long WorkingSet, long Heap)> memory, string errors)
    {
        var byChange = received.Where(r => published.ContainsKey((r.Cluster, r.Sequence)))
            .GroupBy(r => (r.Cluster, r.Sequence)).ToList();
        var complete = byChange.Where(g => g.Count() == perCluster).ToList();
        var toLast = complete.Select(g => Stopwatch.GetElapsedTime(published[g.Key], g.Max(r => r.At)).TotalMilliseconds).Order().ToList();
        var toEach = byChange.SelectMany(g => g.Select(r => Stopwatch.GetElapsedTime(published[g.Key], r.At).TotalMilliseconds)).Order().ToList();
        double P(List<double> xs, double p) => xs.Count == 0 ? double.NaN : xs[Math.Min(xs.Count - 1, (int)(xs.Count * p))];
        output.WriteLine($"changes published: {published.Count}; delivered to all {perCluster} clients of their cluster: {complete.Count}; " +
            $"deliveries: {toEach.Count} of {published.Count * perCluster} expected");
        output.WriteLine($"fan-out, publish → last client of the cluster: p50 {P(toLast, 0.5):0.0} ms, p95 {P(toLast, 0.95):0.0} ms, p99 {P(toLast, 0.99):0.0} ms, max {(toLast.Count > 0 ? toLast[^1] : double.NaN):0.0} ms");
        output.WriteLine($"publish → each client: p50 {P(toEach, 0.5):0.0} ms, p95 {P(toEach, 0.95):0.0} ms");
        output.WriteLine("server process memory (working set / managed heap), the clients run in another process:");
        foreach (var (at, ws, heap) in memory.Where((_, i) => i < 2 || i == memory.Count - 1 || i % 6 == 1))
            output.WriteLine($"  {at.TotalSeconds,6:0} s  {ws / 1048576.0,6:0.0} MiB  {heap / 1048576.0,6:0.0} MiB");
        output.WriteLine($"  peak working set {memory.Max(m => m.WorkingSet) / 1048576.0:0.0} MiB, peak heap sample {memory.Max(m => m.Heap) / 1048576.0:0.0} MiB");
        if (errors.Length > 0) output.WriteLine($"client errors:\n{errors}");
    }

    /// <summary>`bench fanout-clients URL TOKEN PER-CLUSTER ID…`: the SignalR clients, each line "R cluster sequence timestamp".</summary>
    public static int Clients(string[] args)
    {
        var (url, token, perCluster) = (args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture));
        var ids = args[4..].Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToList();
        var lines = new BlockingCollection<string>();
        var writer = new Thread(() => { foreach (var line in lines.GetConsumingEnumerable()) Console.Out.WriteLine(line); }) { IsBackground = true };
        writer.Start();
        var connections = new List<HubConnection>();
        foreach (var id in ids)
            for (var n = 0; n < perCluster; n++)
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(url + ClusterHub.Path, o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
                    .AddJsonProtocol(o => StateJson.Configure(o.PayloadSerializerOptions))
                    .Build();
                // Only the change's key is read: the clock stops on arrival, before any work of the client's own.
                connection.On<JsonElement>(ClusterHub.ChangeMessage, change =>
                    lines.Add($"R {change.GetProperty("clusterId").GetInt64()} {change.GetProperty("sequence").GetInt64()} {Stopwatch.GetTimestamp()}"));
                connection.StartAsync().GetAwaiter().GetResult();
                connection.InvokeAsync<JsonElement>("Join", id).GetAwaiter().GetResult();
                connections.Add(connection);
            }
        lines.Add("ready");
        Thread.Sleep(Timeout.Infinite); // killed by the benchmark
        return 0;
    }

    private static Process StartClients(string url, string token, IReadOnlyList<long> ids, int perCluster)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Run as `dotnet bench.dll` or as the apphost: the same entry point either way.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") info.ArgumentList.Add(typeof(FanoutSpeed).Assembly.Location);
        foreach (var arg in new[] { ClientsCommand, url, token, perCluster.ToString(CultureInfo.InvariantCulture) }) info.ArgumentList.Add(arg);
        foreach (var id in ids) info.ArgumentList.Add(id.ToString(CultureInfo.InvariantCulture));
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start the clients");
    }

    private static async Task<string> TokenAsync(WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var users = ActivatorUtilities.CreateInstance<UserDirectory>(scope.ServiceProvider, new SystemActor());
        var admin = (await users.ListAsync()).Single();
        return (await users.CreateTokenAsync(admin.Id, "fanout")).Secret;
    }

    /// <summary>A 3-node cluster with 4 VIPs and a clone; <paramref name="turn"/> decides whether vip0 runs on node1 or node2.</summary>
    private static string SmallCluster(int turn)
    {
        var xml = new StringBuilder("<pacemaker-result api-version=\"2.25\" request=\"crm_mon -1 --output-as=xml\"><summary><stack type=\"corosync\"/>")
            .Append("<current_dc present=\"true\" version=\"2.1.5\" name=\"node1\" id=\"1\" with_quorum=\"true\" mixed_version=\"false\"/>")
            .Append("<nodes_configured number=\"3\"/><resources_configured number=\"7\" disabled=\"0\" blocked=\"0\"/></summary><nodes>");
        for (var n = 1; n <= 3; n++)
            xml.Append($"<node name=\"node{n}\" id=\"{n}\" online=\"true\" standby=\"false\" standby_onfail=\"false\" maintenance=\"false\" pending=\"false\" unclean=\"false\" shutdown=\"false\" expected_up=\"true\" is_dc=\"{(n == 1 ? "true" : "false")}\" resources_running=\"2\" type=\"member\"/>");
        xml.Append("</nodes><resources>");
        for (var v = 0; v < 4; v++)
        {
            var node = v == 0 ? $"node{turn + 1}" : $"node{v % 3 + 1}";
            xml.Append($"<resource id=\"vip{v}\" resource_agent=\"ocf:heartbeat:IPaddr2\" role=\"Started\" active=\"true\" orphaned=\"false\" blocked=\"false\" managed=\"true\" failed=\"false\" failure_ignored=\"false\" nodes_running_on=\"1\"><node name=\"{node}\" id=\"{node[4..]}\" cached=\"true\"/></resource>");
        }
        xml.Append("<clone id=\"ctdb-clone\" multi_state=\"false\" unique=\"false\" managed=\"true\" disabled=\"false\" failed=\"false\" failure_ignored=\"false\">");
        for (var n = 1; n <= 3; n++)
            xml.Append($"<resource id=\"ctdb\" resource_agent=\"ocf:heartbeat:CTDB\" role=\"Started\" active=\"true\" orphaned=\"false\" blocked=\"false\" managed=\"true\" failed=\"false\" failure_ignored=\"false\" nodes_running_on=\"1\"><node name=\"node{n}\" id=\"{n}\" cached=\"true\"/></resource>");
        return xml.Append("</clone></resources><status code=\"0\" message=\"OK\"/></pacemaker-result>").ToString();
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
