using Bunit;
using MudBlazor;
using MudBlazor.Extensions;
using StorageHa.Client.Components.ClusterTabs;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Fencing;

/// <summary>The settings' fence devices: the password set but never shown, the Test's results per (device, node), the red warning until all pass.</summary>
public sealed class FenceDevicesPanelTests : ProvisioningTest
{
    private void OneIpmiDevicePerNode() => Inventory.Settings[Lab] = Inventory.Settings[Lab] with
    {
        Fencing = new FencingSpec
        {
            Devices = [.. Enumerable.Range(1, 3).Select(i => new FenceDeviceSpec
            {
                Name = $"ipmi-node{i}", Agent = "fence_ipmilan", Nodes = [$"node{i}"],
                Options = new Dictionary<string, string> { ["ip"] = $"192.0.2.20{i}", ["username"] = "fence", ["lanplus"] = "1", ["cipher"] = "3" },
            })],
        },
    };

    private IRenderedComponent<SettingsTab> OpenSettings()
    {
        var tab = RenderPage<SettingsTab>(p => p.Add(x => x.ClusterId, Lab).Add(x => x.ClusterName, "lab"));
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find(".cluster-settings")), Patience);
        return tab;
    }

    private static string[] Cells(IRenderedComponent<SettingsTab> tab, string rows) =>
        tab.FindAll(rows).Select(r => string.Join(" | ", r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()))).ToArray();

    private void SetPassword(IRenderedComponent<SettingsTab> tab, string device, string password)
    {
        tab.WaitForAssertion(() => tab.Find($"input[aria-label='Password of {device}']").Input(password), Patience);
        tab.WaitForAssertion(() => tab.Find($"button[aria-label='Set the password of {device}']").Click(), Patience);
    }

    [Fact]
    public void APasswordIsSetThroughItsField_WhichIsEmptiedAfterwards_AndTheDeviceThenWaitsForItsTest()
    {
        OneIpmiDevicePerNode();
        var tab = OpenSettings();
        tab.WaitForAssertion(() => Assert.Equal(3, tab.FindAll(".fence-device-row").Count), Patience);
        Assert.All(Cells(tab, ".fence-device-row"), row => Assert.Contains("not set", row));
        Assert.All(Cells(tab, ".fence-device-row"), row => Assert.EndsWith("needs a password", row));

        SetPassword(tab, "ipmi-node1", "s3cret-bmc");

        tab.WaitForAssertion(() => Assert.EndsWith("not tested", Cells(tab, ".fence-device-row")[0]), Patience);
        Assert.Contains("set", Cells(tab, ".fence-device-row")[0]);
        Assert.Equal("", tab.Find("input[aria-label='Password of ipmi-node1']").GetAttribute("value") ?? "");
        Assert.DoesNotContain("s3cret-bmc", tab.Markup);
        Assert.Single(tab.FindAll(".fence-not-proven"));
    }

    [Fact]
    public void TheTest_ShowsEachDeviceFromEachOtherNode_WithTheAgentsMessageAndDuration_AndTheWarningGoesOnlyWhenAllPass()
    {
        OneIpmiDevicePerNode();
        var tab = OpenSettings();
        foreach (var device in new[] { "ipmi-node1", "ipmi-node2", "ipmi-node3" }) SetPassword(tab, device, "pw-" + device);
        Fencing.Answer = (device, node) => device == "ipmi-node3" && node == "node1"
            ? (false, "Failed: Unable to obtain correct plug status or plug is not available") : (true, "Status: ON");

        Click(tab, "Test devices");

        tab.WaitForAssertion(() => Assert.Equal(6, tab.FindAll(".fence-test-results tbody tr").Count), Patience);
        var failed = Assert.Single(Cells(tab, ".fence-test-failed"));
        Assert.Equal("ipmi-node3 | node1 | failed | Failed: Unable to obtain correct plug status or plug is not available | 1.3 s | 2026-12-06 20:30:00", failed);
        Assert.Contains("ipmi-node1 | node2 | ok | Status: ON | 1.3 s", Cells(tab, ".fence-test-ok")[0]);
        Assert.DoesNotContain(Cells(tab, ".fence-test-results tbody tr"), r => r.StartsWith("ipmi-node1 | node1", StringComparison.Ordinal));
        Assert.EndsWith("failed", Cells(tab, ".fence-device-row")[2]);
        Assert.Single(tab.FindAll(".fence-not-proven"));

        Fencing.Answer = (_, _) => (true, "Status: ON");
        Click(tab, "Test devices");

        tab.WaitForAssertion(() => Assert.Empty(tab.FindAll(".fence-test-failed")), Patience);
        Assert.All(Cells(tab, ".fence-device-row"), row => Assert.EndsWith("passed", row));
        Assert.Empty(tab.FindAll(".no-fencing-warning"));
    }

    [Fact]
    public void OneIpmiDevicePerNode_AddsADeviceForEachNodeWithout_WithLanplusAndCipher3()
    {
        Inventory.Settings[Lab] = Inventory.Settings[Lab] with { Fencing = new FencingSpec { Devices = [new FenceDeviceSpec { Name = "ipmi-node1", Agent = "fence_ipmilan", Nodes = ["node1"] }] } };
        var tab = OpenSettings();

        Click(tab, "One IPMI device per node");

        tab.WaitForAssertion(() => Assert.Equal(3, tab.FindAll(".fence-device").Count), Patience);
        var names = tab.FindComponents<MudTextField<string>>().Where(f => f.Instance.Label == "Device name").Select(f => f.Instance.GetState(x => x.Value)).ToList();
        Assert.Equal(["ipmi-node1", "ipmi-node2", "ipmi-node3"], names);
        // The new device's options are fence_ipmilan's own fields: the address and user to fill in, lanplus on, cipher suite 3.
        var added = tab.FindAll(".fence-device")[2];
        Assert.Equal(["ip", "username", "lanplus", "cipher"], added.QuerySelectorAll(".fence-option").Select(o => o.QuerySelector("label")!.TextContent.Trim()));
        Assert.Equal("", added.QuerySelector("input[aria-label='Fence option ip']")!.GetAttribute("value") ?? "");
        Assert.Equal("3", added.QuerySelector("input[aria-label='Fence option cipher']")!.GetAttribute("value"));
        Assert.True(added.QuerySelector("input[aria-label='Fence option lanplus']")!.HasAttribute("checked"));
    }
}
