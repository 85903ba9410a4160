using System.Diagnostics;
using System.Xml.Linq;
using StorageHa.TestSupport;

namespace StorageHa.NodeHelper.Tests.Tickle;

/// <summary>
/// The OCF agent ocf:storageha:tickle, run the way Pacemaker runs it (OCF_ROOT, OCF_RESKEY_*, the action as argument) with
/// the real helper behind it, and checked by resource-agents' ocf-tester. VIP 127.0.0.1: it only reads /proc and writes
/// files here; no tickle is sent because no connection list exists before start.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TickleAgentTests : IDisposable
{
    private const int Success = 0, ErrGeneric = 1, ErrUnimplemented = 3, ErrInstalled = 5, ErrConfigured = 6, NotRunning = 7;
    private readonly TickleDirectory _dir = new();
    private readonly string _state = Directory.CreateTempSubdirectory("shat-ocf-").FullName;
    private readonly string _helper;

    public TickleAgentTests()
    {
        // The helper as installed on a node is one executable; here a wrapper runs the built one with dotnet.
        _helper = Path.Combine(_state, "storageha-node");
        File.WriteAllText(_helper, $"#!/bin/sh\nexec {Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet"} {Path.Combine(AppContext.BaseDirectory, "storageha-node.dll")} \"$@\"\n");
        File.SetUnixFileMode(_helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Shipped beside the helper's binary (build and publish output), executable, as the console deploys it.</summary>
    private static string Agent => Path.Combine(AppContext.BaseDirectory, "ocf", "storageha", "tickle");

    [Fact]
    public void Agent_IsShippedExecutable_BesideTheHelper()
    {
        Assert.True(File.Exists(Agent), $"{Agent} is missing from the build output");
        Assert.True(File.GetUnixFileMode(Agent).HasFlag(UnixFileMode.UserExecute), "the agent is not executable");
    }

    [Fact]
    public void MetaData_IsValidXml_DescribingEveryParameterAndTheActions()
    {
        var (code, output) = Run("meta-data");

        Assert.Equal(Success, code);
        var agent = XDocument.Parse(output).Root!;
        Assert.Equal("tickle", agent.Attribute("name")!.Value);
        Assert.Equal(["vip", "dir", "ports", "helper", "interval", "rounds"], agent.Descendants("parameter").Select(p => p.Attribute("name")!.Value));
        Assert.Equal(["start", "stop", "monitor", "validate-all", "meta-data"], agent.Descendants("action").Select(a => a.Attribute("name")!.Value));
        Assert.Equal("1", agent.Descendants("parameter").Single(p => p.Attribute("name")!.Value == "vip").Attribute("required")!.Value);
    }

    [Fact]
    public void StartMonitorStop_RunAndEndTheRecorder_WithOcfExitCodes()
    {
        Assert.Equal(NotRunning, Run("monitor").Code);

        Assert.Equal(Success, Run("start").Code);
        Assert.Equal(Success, Run("monitor").Code);
        Assert.True(File.Exists(_dir.ListOf("127.0.0.1")), "the recorder wrote no list");
        Assert.Equal(Success, Run("start").Code); // already running: still success

        Assert.Equal(Success, Run("stop").Code);
        Assert.Equal(NotRunning, Run("monitor").Code);
        Assert.Equal(Success, Run("stop").Code); // stopping a stopped resource succeeds
    }

    [Fact]
    public void Start_WaitsForARecorderStillBecomingItself_AndSucceeds()
    {
        // Until it has exec'd the helper, a just-forked recorder shows another command line (on a loaded node, long
        // enough to be seen): here for a whole second, in a shell that does not show the recorder's arguments.
        var slow = Wrapper("slow-to-exec", $"if [ \"$1 $2\" = 'tickle record' ]; then export ARGS=\"$*\"; exec sh -c 'sleep 1; exec {_helper} $ARGS'; fi\nexec {_helper} \"$@\"");

        Assert.Equal(Success, Run("start", ("OCF_RESKEY_helper", slow)).Code);
        Assert.Equal(Success, Run("monitor").Code);
        Assert.True(File.Exists(_dir.ListOf("127.0.0.1")), "the recorder wrote no list");
    }

    [Fact]
    public void Start_Fails_NamingTheCommandToTry_WhenTheRecorderExitsAtOnce()
    {
        var failing = Wrapper("exits-at-once", $"[ \"$1 $2\" = 'tickle record' ] && exit 1\nexec {_helper} \"$@\"");

        var (code, output) = Run("start", ("OCF_RESKEY_helper", failing));

        Assert.Equal(ErrGeneric, code);
        Assert.Contains("the connection recorder for 127.0.0.1 exited at once (try:", output, StringComparison.Ordinal);
        Assert.Equal(NotRunning, Run("monitor").Code);
    }

    /// <summary>A helper in front of the real one, with BODY as its shell script.</summary>
    private string Wrapper(string name, string body)
    {
        var path = Path.Combine(_state, name);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void Monitor_ReportsAFailure_WhenTheRecorderDied()
    {
        Assert.Equal(Success, Run("start").Code);
        var pid = int.Parse(File.ReadAllText(Directory.GetFiles(_state, "*.pid").Single()).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var recorder = Process.GetProcessById(pid))
        {
            recorder.Kill();
            recorder.WaitForExit(10_000);
        }

        Assert.Equal(ErrGeneric, Run("monitor").Code);
        Assert.Equal(NotRunning, Run("monitor", ("OCF_RESKEY_CRM_meta_interval", "0")).Code); // a probe just says "not running"
        Assert.Equal(Success, Run("stop").Code);
        Assert.Equal(NotRunning, Run("monitor").Code);
    }

    [Theory]
    [InlineData("OCF_RESKEY_vip", "", ErrConfigured)]
    [InlineData("OCF_RESKEY_dir", "relative/dir", ErrConfigured)]
    [InlineData("OCF_RESKEY_ports", "445;2049", ErrConfigured)]
    [InlineData("OCF_RESKEY_rounds", "many", ErrConfigured)]
    [InlineData("OCF_RESKEY_helper", "/nonexistent/storageha-node", ErrInstalled)]
    [InlineData("OCF_RESKEY_dir", "/nonexistent/shared/tickle", ErrInstalled)]
    public void ValidateAll_RefusesABadConfiguration(string variable, string value, int expected)
    {
        Assert.Equal(Success, Run("validate-all").Code);
        Assert.Equal(expected, Run("validate-all", (variable, value)).Code);
        Assert.Equal(expected, Run("start", (variable, value)).Code);
    }

    [Fact]
    public void UnknownAction_IsUnimplemented() => Assert.Equal(ErrUnimplemented, Run("promote").Code);

    [Fact]
    public void OcfTester_PassesEveryCheck()
    {
        // ocf-tester checks the meta-data with xmllint, which resource-agents only recommends.
        RequiredTool.Require(RequiredTool.OcfTester, RequiredTool.Xmllint);

        var (code, output) = Exec(RequiredTool.OcfTester.Find()!, ["-n", "shat-tickle", "-o", "vip=127.0.0.1", "-o", $"dir={_dir.Path}", "-o", "ports=445", "-o", $"helper={_helper}", Agent], []);

        Assert.True(code == 0, $"ocf-tester failed ({code}):\n{output}");
        Assert.Contains("passed all tests", output);
    }

    private (int Code, string Output) Run(string action, params (string Name, string Value)[] overrides)
    {
        var environment = new Dictionary<string, string>
        {
            ["OCF_ROOT"] = "/usr/lib/ocf",
            ["OCF_RESOURCE_INSTANCE"] = "shat-tickle",
            ["HA_RSCTMP"] = _state,
            ["OCF_RESKEY_vip"] = "127.0.0.1",
            ["OCF_RESKEY_dir"] = _dir.Path,
            ["OCF_RESKEY_ports"] = "445",
            ["OCF_RESKEY_helper"] = _helper,
            ["OCF_RESKEY_CRM_meta_interval"] = "10000",
        };
        foreach (var (name, value) in overrides) environment[name] = value;
        return Exec(Agent, [action], environment);
    }

    private static (int Code, string Output) Exec(string file, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within 120 s");
        }
        return (process.ExitCode, output + error.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        Run("stop"); // never leave a recorder behind, even when a test failed
        _dir.Dispose();
        Directory.Delete(_state, recursive: true);
    }
}
