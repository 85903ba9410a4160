using StorageHa.Integration.Tests.Tickle;
using StorageHa.TestSupport;
using StorageHa.TestSupport.Lab;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>
/// The lab's independent client (docker/lab/outage-client.py, read by <see cref="ClientOutageWatch"/>), which the end-to-end
/// tests hold the console's outage figures against: its own figure must be right to well under their 0.5 s. Here a real
/// smbd and Ganesha serve an address in a namespace of the test's own, the address is taken away for a known time, and
/// the client's outage is judged against that time.
/// </summary>
public sealed class OutageClientTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Away = TimeSpan.FromSeconds(2);
    /// <summary>A try every 100 ms, a few milliseconds each: its outage starts and ends within this of the address's.</summary>
    private static readonly TimeSpan Precision = TimeSpan.FromMilliseconds(250);
    private const string Address = "198.51.100.10";

    private readonly string _namespace = $"sha-oc{Environment.ProcessId}";
    /// <summary>Readable by all (smbd serves guests as nobody), which a temporary directory of .NET's is not.</summary>
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"storageha-outage-client-{Environment.ProcessId}")).FullName;

    [Fact]
    public async Task ItsOutage_IsTheTimeTheAddressWasAway_ForSmbAndNfs_AndABlipShorterThanTheProbesWaitIsNone()
    {
        RequiredTool.Require([RequiredTool.SambaFileId, RequiredTool.GaneshaVfs, .. ClientOutageWatch.Tools]);
        await ServeAsync();
        await using var smb = ClientOutageWatch.Smb(_namespace, Address, "public");
        await using var nfs = ClientOutageWatch.Nfs(_namespace, Address, Path.Combine(_dir, "data"));
        await smb.ServedAsync(TimeSpan.FromSeconds(30));
        await nfs.ServedAsync(TimeSpan.FromSeconds(60));

        var removedAt = DateTimeOffset.UtcNow;
        await Ip("addr", "del", $"{Address}/32", "dev", "lo");
        await Task.Delay(Away);
        var addedAt = DateTimeOffset.UtcNow;
        await Ip("addr", "add", $"{Address}/32", "dev", "lo");

        foreach (var client in new[] { smb, nfs })
        {
            var (notServedAt, servedAt) = await client.OutageAsync(removedAt, TimeSpan.FromSeconds(10));
            output.WriteLine($"{client.What}: out from +{(notServedAt - removedAt).TotalMilliseconds:0} ms after the address went, " +
                $"served again +{(servedAt - addedAt).TotalMilliseconds:0} ms after it came back; {client.Summary()}");
            Assert.InRange(notServedAt - removedAt, TimeSpan.Zero, Precision);
            Assert.InRange(servedAt - addedAt, TimeSpan.Zero, Precision);
        }

        // Away for 0.3 s: each try then fails at once, and one is served again well within the console's 1 s wait for an
        // answer, which its probes do not count as an outage either.
        var blipAt = DateTimeOffset.UtcNow;
        await Ip("addr", "del", $"{Address}/32", "dev", "lo");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await Ip("addr", "add", $"{Address}/32", "dev", "lo");
        await Task.Delay(ClientOutageWatch.AttemptLimit);
        foreach (var client in new[] { smb, nfs })
        {
            Assert.NotEqual("", client.FailuresBetween(blipAt, DateTimeOffset.UtcNow));
            Assert.Null(client.OutageBetween(blipAt, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>smbd and Ganesha listening on every address of a namespace whose loopback carries <see cref="Address"/>.</summary>
    private async Task ServeAsync()
    {
        await Ip("netns", "add", _namespace);
        await Ip("-n", _namespace, "link", "set", "lo", "up");
        await Ip("addr", "add", $"{Address}/32", "dev", "lo");
        var data = Directory.CreateDirectory(Path.Combine(_dir, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "hello.txt"), "hello\n");
        foreach (var sub in new[] { "run", "lock", "state", "cache", "private", "recovery" }) Directory.CreateDirectory(Path.Combine(_dir, sub));
        await File.WriteAllTextAsync(Path.Combine(_dir, "smb.conf"), $"""
            [global]
              map to guest = bad user
              disable netbios = yes
              smb ports = 445
              pid directory = {_dir}/run
              lock directory = {_dir}/lock
              state directory = {_dir}/state
              cache directory = {_dir}/cache
              private dir = {_dir}/private
              ncalrpc dir = {_dir}/run/ncalrpc
            [public]
              path = {data}
              guest ok = yes
              read only = yes
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir, "ganesha.conf"), $$"""
            NFS_CORE_PARAM { Protocols = 4; Enable_NLM = false; Enable_RQUOTA = false; }
            NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = {{_dir}}/recovery; }
            NFS_KRB5 { Active_krb5 = false; }
            EXPORT { Export_Id = 1; Path = {{data}}; Pseudo = {{data}}; Access_Type = RO; Squash = No_Root_Squash;
                     Protocols = 4; Transports = TCP; SecType = sys; FSAL { Name = VFS; } }
            """);
        // As daemons: a foreground smbd ends when its stdin closes, and its parent then signals its whole process group.
        await NamespaceCommand.RunAsync(_namespace, "smbd", "--daemon", "-s", Path.Combine(_dir, "smb.conf"));
        await NamespaceCommand.RunAsync(_namespace, "ganesha.nfsd", "-f", Path.Combine(_dir, "ganesha.conf"),
            "-L", Path.Combine(_dir, "ganesha.log"), "-p", Path.Combine(_dir, "run", "ganesha.pid"));
    }

    private Task Ip(params string[] args) =>
        NamespaceCommand.RunAsync(null, "ip", args[0] == "addr" ? ["-n", _namespace, .. args] : args);

    /// <summary>Every process in the namespace killed (the daemons and their children), then the namespace and the files removed.</summary>
    public void Dispose()
    {
        try
        {
            var pids = NamespaceCommand.RunAsync(null, "ip", "netns", "pids", _namespace).GetAwaiter().GetResult();
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                NamespaceCommand.RunAsync(null, "kill", "-9", pid).ContinueWith(_ => { }).Wait();
            NamespaceCommand.RunAsync(null, "ip", "netns", "del", _namespace).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // never created: the test failed before
        }
        Directory.Delete(_dir, recursive: true);
    }
}
