using System.Diagnostics;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.TestSupport;

namespace StorageHa.Server.Tests.Provisioning;

/// <summary>
/// Samba 4.17's own tools take the share section the console renders: <c>net conf import</c> into a private registry
/// prints it back unchanged (so share-is.sh finds a re-run done), and <c>testparm</c> knows every parameter.
/// </summary>
public sealed class ShareSectionSambaTests : IDisposable
{
    private static readonly RequiredTool Net = new("net", "samba-common-bin");
    private static readonly RequiredTool Testparm = new("testparm", "samba-common-bin");
    private readonly string _dir = Directory.CreateTempSubdirectory("storageha-smbconf-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ShareSpec Team = new()
    {
        Name = "team", Path = "/srv/team", Comment = "Team files",
        ValidUsers = [SmbPrincipal.User("alice", "LAB"), SmbPrincipal.Group("domain users", "LAB"), SmbPrincipal.User("bob")],
        ReadList = [SmbPrincipal.Group("auditors")],
        WriteList = [SmbPrincipal.Group("domain users", "LAB"), SmbPrincipal.User("joe smith", "LAB")],
        AdminUsers = [SmbPrincipal.User("alice", "LAB")],
        AccessBasedEnumeration = true,
    };

    [Fact]
    public void NetConfImport_TakesTheSection_AndShowshareGivesItBackUnchanged_AndTestparmKnowsEveryParameter()
    {
        RequiredTool.Require(Net, Testparm);
        var conf = PrivateSambaConf();
        var section = ConfigFiles.ShareSection(Team);
        File.WriteAllText(Path.Combine(_dir, "team.conf"), section);

        Assert.Equal(0, Run(Net, ["-s", conf, "conf", "import", Path.Combine(_dir, "team.conf"), "team"]).ExitCode);
        var shown = Run(Net, ["-s", conf, "conf", "showshare", "team"]);
        var parsed = Run(Testparm, ["-s", conf]);

        Assert.Equal(section, shown.Output);
        Assert.Equal(0, parsed.ExitCode);
        Assert.DoesNotContain("Unknown parameter", parsed.Error);
        Assert.DoesNotContain("Ignoring unknown parameter", parsed.Error);
        Assert.Contains("access based share enum = Yes", parsed.Output);
        Assert.Contains("write list = \"@LAB\\domain users\" \"LAB\\joe smith\"", parsed.Output);
    }

    [Fact]
    public void Testparm_WouldSayWhenAParameterIsUnknown_SoTheCheckAboveMeansSomething()
    {
        RequiredTool.Require(Testparm);
        var conf = PrivateSambaConf();
        File.AppendAllText(conf, "[bad]\n\tpath = /srv/bad\n\taccess based enumeration = yes\n");

        Assert.Contains("Unknown parameter", Run(Testparm, ["-s", conf]).Error);
    }

    // Everything Samba keeps under the test's directory: the registry too, so no system Samba is touched.
    private string PrivateSambaConf()
    {
        var conf = Path.Combine(_dir, "smb.conf");
        var dirs = new[] { "lock directory", "state directory", "cache directory", "private dir", "pid directory", "ncalrpc dir" };
        foreach (var d in dirs) Directory.CreateDirectory(Path.Combine(_dir, d.Replace(' ', '-')));
        File.WriteAllText(conf, "[global]\n" + string.Concat(dirs.Select(d => $"\t{d} = {Path.Combine(_dir, d.Replace(' ', '-'))}\n")) +
            $"\tlog file = {Path.Combine(_dir, "log")}\n\tregistry shares = yes\n\tinclude = registry\n");
        return conf;
    }

    private static (int ExitCode, string Output, string Error) Run(RequiredTool tool, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(tool.Find()!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Result, error);
    }
}
