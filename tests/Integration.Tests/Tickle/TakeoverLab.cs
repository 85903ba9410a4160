using System.Net;
using System.Net.Sockets;
using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Tickle;

/// <summary>
/// A VIP failover in miniature, all inside network namespaces this test creates ("shat-XXXXXX-br|client|old|new", distinct
/// from the lab's): a bridge, a client, the VIP's old owner and its new owner, on 192.0.2.0/24 and fd00:99::/64.
/// Disposing removes the namespaces and ends every process started here, also when the test failed.
/// </summary>
internal sealed class TakeoverLab : IAsyncDisposable
{
    public const int Port = 445;
    private static readonly string[] Members = ["client", "old", "new"];
    private readonly List<NamespaceCommand> _processes = [];
    private readonly List<IDisposable> _sockets = [];
    private readonly List<VipClient> _clients = [];

    private TakeoverLab(string prefix, bool ipv6)
    {
        Prefix = prefix;
        Ipv6 = ipv6;
        TickleDirectory = Directory.CreateTempSubdirectory($"{prefix}-tickle-").FullName;
    }

    /// <summary>The trial's clock: every time the test reports is read from it.</summary>
    public System.Diagnostics.Stopwatch Clock { get; } = System.Diagnostics.Stopwatch.StartNew();

    public string Prefix { get; }
    public bool Ipv6 { get; }
    public string TickleDirectory { get; }
    public string Bridge => $"{Prefix}-br";
    public string Client => $"{Prefix}-client";
    public string OldOwner => $"{Prefix}-old";
    public string NewOwner => $"{Prefix}-new";
    public IPAddress Vip => IPAddress.Parse(Ipv6 ? "fd00:99::100" : "192.0.2.100");
    public IPEndPoint Service => new(Vip, Port);
    public string ListFile => Path.Combine(TickleDirectory, Vip.ToString());

    private string Address(int host) => Ipv6 ? $"fd00:99::{host}/64" : $"192.0.2.{host}/24";
    private string VipWithPrefix => Ipv6 ? $"{Vip}/64" : $"{Vip}/24";

    public static async Task<TakeoverLab> StartAsync(bool ipv6)
    {
        var lab = new TakeoverLab($"shat-{Guid.NewGuid().ToString("N")[..6]}", ipv6);
        try
        {
            await lab.BuildAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private async Task BuildAsync()
    {
        await Ip("netns", "add", Bridge);
        await Ip("-n", Bridge, "link", "add", "br0", "type", "bridge");
        await Ip("-n", Bridge, "link", "set", "br0", "up");
        for (var i = 0; i < Members.Length; i++)
        {
            var ns = $"{Prefix}-{Members[i]}";
            await Ip("netns", "add", ns);
            // No duplicate address detection: addresses are usable at once, as on a node that has been up for a while.
            await Sysctl(ns, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
            await Ip("-n", Bridge, "link", "add", $"v{Members[i]}", "type", "veth", "peer", "name", "eth0", "netns", ns);
            await Ip("-n", Bridge, "link", "set", $"v{Members[i]}", "master", "br0", "up");
            await Sysctl(ns, "net.ipv6.conf.eth0.accept_dad=0", "net.ipv6.conf.eth0.keep_addr_on_down=1");
            await Ip("-n", ns, "link", "set", "lo", "up");
            await Ip("-n", ns, "link", "set", "eth0", "up");
            await Ip("-n", ns, "addr", "add", Address(i + 1), "dev", "eth0", "nodad");
        }
        await Ip("-n", OldOwner, "addr", "add", VipWithPrefix, "dev", "eth0", "nodad");
    }

    /// <summary>Listens on VIP:445 in <paramref name="ns"/> and accepts (and keeps) every connection until disposed.</summary>
    public void Serve(string ns)
    {
        var listener = NetworkNamespace.Run(ns, () =>
        {
            var socket = new Socket(Vip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(Service);
            socket.Listen();
            return socket;
        });
        _sockets.Add(listener);
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var accepted = await listener.AcceptAsync();
                    lock (_sockets) _sockets.Add(accepted);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // the listener was closed: the lab is going away
            }
        });
    }

    /// <summary>A client connection to the VIP from the client namespace; <paramref name="sending"/> writes a byte every 200 ms.</summary>
    public VipClient Connect(bool sending, System.Diagnostics.Stopwatch clock)
    {
        var client = VipClient.Connect(Client, Service, sending, clock);
        _clients.Add(client);
        return client;
    }

    /// <summary>Starts a program in a namespace, ended (SIGKILL) at the latest when the lab goes away.</summary>
    public NamespaceCommand Start(string ns, string file, params string[] args)
    {
        var command = NamespaceCommand.Start(ns, file, args);
        lock (_processes) _processes.Add(command);
        return command;
    }

    /// <summary>
    /// The helper in <paramref name="ns"/>: what the nodes run — the binary the console bundles (nodehelper/, NativeAOT
    /// where a C toolchain exists) or the one named by STORAGEHA_NODE — else the built <c>dotnet storageha-node.dll</c> (JIT).
    /// </summary>
    public NamespaceCommand StartHelper(string ns, params string[] args) => NativeHelper is { } native
        ? Start(ns, native, args)
        : Start(ns, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [Path.Combine(AppContext.BaseDirectory, "storageha-node.dll"), .. args]);

    public static string HelperKind => NativeHelper ?? "dotnet storageha-node.dll (JIT)";

    private static string? NativeHelper =>
        Environment.GetEnvironmentVariable("STORAGEHA_NODE") is { Length: > 0 } named ? named
        : Path.Combine(AppContext.BaseDirectory, "nodehelper", "storageha-node") is var bundled && File.Exists(bundled) ? bundled
        : null;

    /// <summary>The old owner dies: its link goes down without a FIN or RST (its IPv6 addresses stay: keep_addr_on_down).</summary>
    public Task CrashOldOwnerAsync() => Ip("-n", OldOwner, "link", "set", "eth0", "down");

    /// <summary>The new owner takes the VIP and announces it the way IPaddr2 does (send_arp / send_ua from resource-agents), in the background.</summary>
    public async Task TakeVipAsync()
    {
        await Ip("-n", NewOwner, "addr", "add", VipWithPrefix, "dev", "eth0", "nodad");
        if (Ipv6) Start(NewOwner, "/usr/libexec/heartbeat/send_ua", "-i", "200", "-c", "5", Vip.ToString(), "64", "eth0");
        else Start(NewOwner, "/usr/libexec/heartbeat/send_arp", "-i", "200", "-r", "5", "eth0", Vip.ToString(), "auto", "not_used", "not_used");
    }

    public async ValueTask DisposeAsync()
    {
        lock (_processes) foreach (var process in _processes) process.Dispose();
        lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        foreach (var client in _clients) client.Dispose();
        foreach (var ns in Members.Select(m => $"{Prefix}-{m}").Append(Bridge))
        {
            using var delete = NamespaceCommand.Start(null, "ip", "netns", "del", ns);
            await delete.WaitAsync(TimeSpan.FromSeconds(10));
        }
        Directory.Delete(TickleDirectory, recursive: true);
    }

    private static Task<string> Ip(params string[] args) => NamespaceCommand.RunAsync(null, "ip", args);

    private static Task<string> Sysctl(string ns, params string[] settings) => NamespaceCommand.RunAsync(ns, "sysctl", ["-q", "-w", .. settings]);
}
