using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Tickle;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Benchmarks;

/// <summary>
/// Tickle figures (root, Linux): packets built per second in process; packets the real helper sends per second (inside a
/// namespace "shab-PID" whose veth drops them: nothing leaves it); CPU per record pass with N established connections.
/// Runs the binary named by STORAGEHA_NODE (e.g. the NativeAOT one: `bench aot` keeps it), else `dotnet storageha-node.dll`.
/// </summary>
internal static class TickleSpeed
{
    private const string Vip4 = "192.0.2.100", Vip6 = "fd00:99::100";

    public static int Print(TextWriter output)
    {
        PrintBuildRate(output);
        var ns = $"shab-{Environment.ProcessId}";
        var dir = Directory.CreateTempSubdirectory("shab-tickle-").FullName;
        try
        {
            BuildNamespace(ns);
            output.WriteLine($"helper: {string.Join(' ', Helper([]))}");
            foreach (var (vip, count) in new[] { (Vip4, 20_000), (Vip6, 20_000) }) PrintSendRate(output, ns, dir, vip, count);
            foreach (var connections in new[] { 0, 100, 1000, 5000 }) PrintRecordCost(output, ns, dir, connections);
            return 0;
        }
        finally
        {
            Run("ip", "netns", "del", ns);
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void PrintBuildRate(TextWriter output)
    {
        var from4 = new IPEndPoint(IPAddress.Parse(Vip4), 445);
        var from6 = new IPEndPoint(IPAddress.Parse(Vip6), 445);
        var to4 = new IPEndPoint(IPAddress.Parse("192.0.2.1"), 50000);
        var to6 = new IPEndPoint(IPAddress.Parse("fd00:99::1"), 50000);
        foreach (var (label, build) in new (string, Func<byte[]>)[] { ("IPv4 datagram", () => TicklePacket.Ipv4Datagram(from4, to4)), ("IPv6 TCP segment", () => TicklePacket.TcpSegment(from6, to6)) })
        {
            for (var i = 0; i < 10_000; i++) build(); // warm up the JIT
            const int count = 1_000_000;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++) build();
            output.WriteLine($"build {label}: {count / clock.Elapsed.TotalSeconds / 1e6:F1} M packets/s (in process)");
        }
    }

    /// <summary>One round of <paramref name="count"/> tickles; the helper reports the round's own time (start-up excluded).</summary>
    private static void PrintSendRate(TextWriter output, string ns, string dir, string vip, int count)
    {
        var clients = Enumerable.Range(0, count).Select(i => new VipConnection(
            new IPEndPoint(IPAddress.Parse(vip), 445),
            new IPEndPoint(IPAddress.Parse(vip.Contains(':') ? "fd00:99::1" : "192.0.2.1"), 1024 + i)));
        File.WriteAllText(Path.Combine(dir, vip), TickleList.Format(clients));
        var clock = Stopwatch.StartNew();
        var (code, text) = Run("ip", ["netns", "exec", ns, .. Helper(["tickle", "send", "--vip", vip, "--dir", dir, "--rounds", "1"])]);
        var wall = clock.Elapsed;
        var round = text.Split('\n').FirstOrDefault(l => l.StartsWith("round 1/1", StringComparison.Ordinal));
        var ms = round is null ? double.NaN : double.Parse(round.Split(" in ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        output.WriteLine(code == 0
            ? $"send {count} tickles from {vip}: {count / (ms / 1000) / 1000:F0} k packets/s ({ms:F0} ms for the round; {wall.TotalMilliseconds:F0} ms wall with start-up)"
            : $"send from {vip} failed ({code}): {text}");
    }

    /// <summary>CPU time per pass of the record loop over 10 passes (0.2 s apart) after start-up, with <paramref name="count"/> connections on the VIP.</summary>
    private static void PrintRecordCost(TextWriter output, string ns, string dir, int count)
    {
        var sockets = new List<Socket>();
        try
        {
            var listener = NetworkNamespace.Run(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            sockets.Add(listener);
            listener.Bind(new IPEndPoint(IPAddress.Parse(Vip4), 445));
            listener.Listen(1024);
            for (var i = 0; i < count; i++)
            {
                var client = NetworkNamespace.Run(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
                sockets.Add(client);
                client.Connect(new IPEndPoint(IPAddress.Parse(Vip4), 445));
                sockets.Add(listener.Accept());
            }
            var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "netns", "exec", ns }.Concat(Helper(["tickle", "record", "--vip", Vip4, "--ports", "445,2049", "--dir", dir, "--interval", "0.2"])))
                start.ArgumentList.Add(arg);
            using var recorder = Process.Start(start)!;
            _ = recorder.StandardOutput.ReadToEndAsync();
            _ = recorder.StandardError.ReadToEndAsync();
            Thread.Sleep(1500); // start-up and the first (writing) pass
            var (userBefore, kernelBefore) = CpuTime(recorder.Id);
            Thread.Sleep(2000);
            var passes = 10;
            var (userAfter, kernelAfter) = CpuTime(recorder.Id);
            var (user, kernel) = ((userAfter - userBefore) / passes, (kernelAfter - kernelBefore) / passes);
            var perPass = user + kernel;
            recorder.Kill();
            recorder.WaitForExit();
            var lines = File.ReadAllLines(Path.Combine(dir, Vip4)).Length;
            output.WriteLine($"record pass with {count} connections ({lines} listed): {perPass.TotalMilliseconds:F2} ms CPU per pass (user {user.TotalMilliseconds:F1} + kernel {kernel.TotalMilliseconds:F1}) " +
                             $"= {perPass.TotalMilliseconds / 10:F3} % of a core at --interval 1");
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    /// <summary>utime + stime of a process, from /proc/PID/stat (clock ticks of 10 ms).</summary>
    private static (TimeSpan User, TimeSpan Kernel) CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (TimeSpan.FromMilliseconds(long.Parse(fields[11], CultureInfo.InvariantCulture) * 10),
                TimeSpan.FromMilliseconds(long.Parse(fields[12], CultureInfo.InvariantCulture) * 10));
    }

    private static void BuildNamespace(string ns)
    {
        Check("ip", "netns", "add", ns);
        Check("ip", "-n", ns, "link", "add", "ta", "type", "veth", "peer", "name", "tb");
        Check("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.ta.accept_dad=0");
        foreach (var link in new[] { "lo", "ta", "tb" }) Check("ip", "-n", ns, "link", "set", link, "up");
        Check("ip", "-n", ns, "addr", "add", $"{Vip4}/24", "dev", "ta");
        Check("ip", "-n", ns, "addr", "add", $"{Vip6}/64", "dev", "ta", "nodad");
        // Fixed neighbours: the tickles leave ta at once (no ARP/ND wait) and die at tb, which has no address.
        Check("ip", "-n", ns, "neigh", "add", "192.0.2.1", "lladdr", "02:00:00:00:00:01", "dev", "ta", "nud", "permanent");
        Check("ip", "-n", ns, "neigh", "add", "fd00:99::1", "lladdr", "02:00:00:00:00:01", "dev", "ta", "nud", "permanent");
    }

    private static string[] Helper(string[] args)
    {
        return Environment.GetEnvironmentVariable("STORAGEHA_NODE") is { Length: > 0 } native
            ? [native, .. args]
            : ["dotnet", Path.Combine(AppContext.BaseDirectory, "storageha-node.dll"), .. args];
    }

    private static void Check(params string[] argv)
    {
        var (code, text) = Run(argv[0], argv[1..]);
        if (code != 0) throw new InvalidOperationException($"{string.Join(' ', argv)} failed ({code}): {text}");
    }

    private static (int Code, string Output) Run(string file, params string[] args) => NodeHelperAot.Run(file, args);
}
