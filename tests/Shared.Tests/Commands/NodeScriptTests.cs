using StorageHa.Shared.Commands;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Serving;

namespace StorageHa.Shared.Tests.Commands;

/// <summary>Every script the console runs on a node is a named file: commented, strict, valid POSIX sh (or bash where it says so), lint-clean.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NodeScriptTests
{
    public static TheoryData<string> Names() => new(NodeScript.Scripts.Select(s => s.Name));

    [Fact]
    public void TheNodeCommandsProbeAndServeCheckScripts_AreAllEmbedded()
    {
        Assert.Superset(
            new HashSet<string>
            {
                "write-file", "seed-file", "file-is", "commands-present", "set-password", "directories-exist", "start-cluster",
                "cluster-running", "units-handed-over", "wait-for-ctdb", "import-share", "share-is", "reload-when-changed",
                "stop-cluster", "cluster-stopped", "node-forgotten", "resources-stopped", "delete-shares", "shares-absent",
                "files-absent", "other-shares", "fetch-cib", "in-directory", "probe", "install-key", "address-check", "serve-check", "storage-mounted",
            },
            NodeScript.Scripts.Select(s => s.Name).ToHashSet());
        Assert.Throws<InvalidOperationException>(() => NodeScript.Named("no-such-script"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EachScript_StartsWithItsShell_AndAHeaderNamingItsArgumentsAndExitCodes_ThenSetEu(string name)
    {
        var script = NodeScript.Named(name);
        var lines = script.Text.Split('\n');
        var header = lines.Skip(1).TakeWhile(l => l.StartsWith('#')).ToList();

        Assert.Contains(lines[0], new[] { "#!/bin/sh", "#!/bin/bash" });
        Assert.StartsWith($"# {name}.sh", header[0]);
        Assert.Contains(header, l => l.Contains("exit", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("set -eu", lines[1 + header.Count]);
        Assert.Equal("set -eu", script.Body.Split('\n')[0]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EachScript_ParsesWithShAndBash_AsItRuns(string name)
    {
        var script = NodeScript.Named(name);
        using var run = new ScriptRun();
        File.WriteAllText(run.PathOf("body"), script.Body);

        var bash = run.Run(["bash", "-n", run.PathOf("body")]);
        Assert.True(bash.Succeeded, bash.Error);
        if (script.Shell == "sh")
        {
            var sh = run.Run(["/bin/sh", "-n", run.PathOf("body")]);
            Assert.True(sh.Succeeded, sh.Error);
        }
        else Assert.Equal("#!/bin/bash", script.Text.Split('\n')[0]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EachScript_PassesShellcheck_AsPosixShUnlessItSaysBash(string name)
    {
        var script = NodeScript.Named(name);
        using var run = new ScriptRun();

        // test.sh installs shellcheck; its -s follows the script's shell, so a bashism in a sh script is an error.
        var check = run.Run(["shellcheck", "--shell=" + script.Shell, "-"], script.Text);

        Assert.True(check.Succeeded, check.Output + check.Error);
    }

    [Fact]
    public void TheBody_IsTheFileWithoutCommentsOrBlankLines_AndTheArgvNamesTheScript()
    {
        var script = NodeScript.Named("write-file");

        Assert.Equal(script.Text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')), script.Body.Split('\n'));
        Assert.Equal(["sh", "-c", script.Body, "storageha-write-file", "/etc/x", "644", "/kept"], NodeCommands.WriteFile("/etc/x", "644", "/kept"));
        Assert.Equal("bash", ServeCheck.Script.Shell);
        Assert.Equal("bash", AddressCheck.Command(["192.0.2.1"])[0]);
    }

    [Fact]
    public void NoArgv_CarriesAValue_InsideItsScript()
    {
        var argv = NodeCommands.WriteFile("/etc/$(reboot)", "644", "/kept");

        Assert.DoesNotContain("reboot", argv[2], StringComparison.Ordinal);
        Assert.Equal(["/etc/$(reboot)", "644", "/kept"], argv.Skip(4));
        Assert.Equal(["storageha-install-key", "ssh-ed25519 AAAA key"], AuthorizedKey.Install(" ssh-ed25519 AAAA key \n").Skip(3));
    }
}
