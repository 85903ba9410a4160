using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Serving;
using StorageHa.Shared.Tests.Commands;

namespace StorageHa.Shared.Tests.Probe;

/// <summary>The probe, key, address-check and serve-check scripts run for real on this machine (read-only, or in a temporary HOME).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProbeScriptTests : IDisposable
{
    private readonly ScriptRun _run = new();

    [Fact]
    public void Probe_RunByShHere_PrintsEverySection_ThatTheParserReadsBack()
    {
        var probe = _run.Run(NodeProbe.Command);

        Assert.Equal(0, probe.ExitCode);
        var facts = ProbeReport.Parse(probe.Output, DateTimeOffset.UnixEpoch);
        Assert.Equal(_run.Run(["uname", "-r"]).Output.Trim(), facts.Kernel);
        Assert.False(string.IsNullOrEmpty(facts.Hostname));
        Assert.Contains(facts.Interfaces, i => i.Name == "lo");
        Assert.All(NodeProbe.Processes, p => Assert.Matches($"\n{System.Text.RegularExpressions.Regex.Escape(p)} (running|stopped)\n", probe.Output));
        Assert.Subset(NodeProbe.Packages.ToHashSet(), facts.Packages.Select(p => p.Name).ToHashSet());
        Assert.Contains(facts.Mounts!, m => m.MountPoint == "/");
        Assert.EndsWith($"\n{NodeProbe.SectionMarker}end\n", probe.Output);
    }

    [Fact]
    public void InstallKey_AddsTheKeyOnce_ToAPrivateAuthorizedKeys_KeepingTheOthers()
    {
        _run.Environment("HOME", _run.PathOf("home"));
        Directory.CreateDirectory(_run.PathOf("home"));
        const string key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB storageha@console";

        Assert.True(_run.Run(AuthorizedKey.Install(key)).Succeeded);
        File.AppendAllText(_run.PathOf("home", ".ssh", "authorized_keys"), "ssh-rsa AAAAB3 admin@laptop\n");
        Assert.True(_run.Run(AuthorizedKey.Install(key + "\n")).Succeeded);

        Assert.Equal([key, "ssh-rsa AAAAB3 admin@laptop"], File.ReadAllLines(_run.PathOf("home", ".ssh", "authorized_keys")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_run.PathOf("home", ".ssh", "authorized_keys")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_run.PathOf("home", ".ssh")));
    }

    [Fact]
    public void AddressCheck_SaysSomethingAnswersAtLoopback()
    {
        var check = _run.Run(AddressCheck.Command(["127.0.0.1"]));

        Assert.Equal(0, check.ExitCode);
        Assert.Equal(["127.0.0.1"], AddressCheck.Answering(check.Output));
    }

    [Fact]
    public void ServeCheck_OfAVirtualIpThatAnswersOnItsPort_IsServed_AndAMalformedItemExits2()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var served = _run.Run(ServeCheck.Script.Command("vip", "127.0.0.1", port));

        Assert.Equal(0, served.ExitCode);
        Assert.Equal("@@serve\tok\tvip\t127.0.0.1\n", served.Output);
        Assert.True(Assert.Single(ServeCheck.Parse("node1", served.Output)).Served);
        var malformed = _run.Run(ServeCheck.Script.Command("vip", "127.0.0.1"));
        Assert.Equal(2, malformed.ExitCode);
        Assert.Equal("serve-check: vip needs ADDRESS PORTS", malformed.Error.Trim());
    }

    [Fact]
    public async Task ServeCheck_OfAVirtualIpThatStartsAnsweringOnlyAfter15s_WaitsForIt_AsForADaemonStartingOnALoadedNode()
    {
        var port = FreePort();
        using var listener = new TcpListener(IPAddress.Loopback, port);
        var late = Task.Delay(TimeSpan.FromSeconds(18)).ContinueWith(_ => listener.Start(), TaskScheduler.Default);

        var served = await Task.Run(() => _run.Run(ServeCheck.Script.Command("vip", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        await late;
        Assert.Equal(0, served.ExitCode);
        Assert.Equal("@@serve\tok\tvip\t127.0.0.1\n", served.Output);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose() => _run.Dispose();
}
