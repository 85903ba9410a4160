using System.Diagnostics;
using StorageHa.Shared.Commands;

namespace StorageHa.Shared.Tests.Commands;

/// <summary>A login that is not root runs every command through `sudo -n --`: the words arrive as they were, and a refusing sudo is named.</summary>
public sealed class SudoTests
{
    public static TheoryData<string[], string[]> HostileArgv => new()
    {
        { [], ["two words", "it's", "line one\nline two", "$HOME", "*", "`id`", "a\"b", "-n", "--", ""] },
        // How a command takes an environment variable through sudo, which resets the environment: in its own argv.
        { ["env", "CIB_file=cib.xml", "LC_ALL=C"], ["; rm -rf /", "tab\there", "ünïcode"] },
    };

    [Theory]
    [MemberData(nameof(HostileArgv))]
    public async Task Wrapped_ArgvSurvivesTheShellAndSudo_ByteForByte(string[] prefix, string[] words)
    {
        var line = ShellCommand.Join(Sudo.Wrap([.. prefix, "printf", "[%s]\n", .. words]));

        // The node's login shell reads the line; sudo (as root here: no password) runs the words without a shell of its own.
        var ran = await Sh(line);

        Assert.Equal(0, ran.ExitCode);
        Assert.Equal(string.Concat(words.Select(w => $"[{w}]\n")), ran.Output);
    }

    [Fact]
    public void Wrap_PutsSudoNonInteractive_AndEndsItsOptions_BeforeTheCommand()
    {
        Assert.Equal(["sudo", "-n", "--", "-rf", "x"], Sudo.Wrap(["-rf", "x"]));
    }

    [Theory]
    [InlineData("root", false)]
    [InlineData("admin", true)]
    [InlineData("Root", true)]
    public void OnlyARootLogin_RunsWithoutSudo(string user, bool needed) => Assert.Equal(needed, Sudo.IsNeeded(user));

    [Theory]
    // As sudo 1.9 and the shells print them on Debian 12 (checked against the real sudo in the Server tests).
    [InlineData(1, "sudo: a password is required\n", SudoRefusal.PasswordRequired)]
    [InlineData(1, "sudo: admin is not in the sudoers file.\n", SudoRefusal.NotAllowed)]
    [InlineData(1, "Sorry, user admin is not allowed to execute '/usr/bin/true' as root on node1.\n", SudoRefusal.NotAllowed)]
    [InlineData(127, "sh: 1: sudo: not found\n", SudoRefusal.NotInstalled)]
    [InlineData(127, "bash: line 1: sudo: command not found\n", SudoRefusal.NotInstalled)]
    [InlineData(1, "", null)]
    [InlineData(1, "grep: a password is required\n", null)]
    [InlineData(0, "sudo: a password is required\n", null)]
    [InlineData(127, "sh: 1: cibadmin: not found\n", null)]
    public void Refusal_IsSudosOwnComplaint_NotTheCommands(int exitCode, string stdErr, SudoRefusal? expected) =>
        Assert.Equal(expected, Sudo.Refusal(exitCode, stdErr));

    [Fact]
    public void Explain_NamesTheNode_TheUser_AndTheSudoersLine()
    {
        var message = Sudo.Explain(SudoRefusal.PasswordRequired, "node1 (192.0.2.11:22)", "admin");

        Assert.Contains("node1 (192.0.2.11:22)", message);
        Assert.Contains("'admin'", message);
        Assert.Contains("admin ALL=(ALL) NOPASSWD: ALL", message);
        Assert.Contains("/etc/sudoers.d/", message);
        Assert.Contains("log in as root", message);
    }

    [Fact]
    public async Task FixCommand_WritesASudoersFileThatVisudoAccepts()
    {
        var directory = Directory.CreateTempSubdirectory("storageha-sudoers-").FullName;
        try
        {
            var file = Path.Combine(directory, "storageha");
            var fix = Sudo.FixCommand("admin").Replace("/etc/sudoers.d/storageha", file, StringComparison.Ordinal).Replace("visudo -c", $"visudo -c -f {file}", StringComparison.Ordinal);

            var ran = await Sh(fix);

            Assert.Equal(0, ran.ExitCode);
            Assert.Equal("admin ALL=(ALL) NOPASSWD: ALL\n", await File.ReadAllTextAsync(file));
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    private static async Task<(int ExitCode, string Output)> Sh(string line)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(line);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
