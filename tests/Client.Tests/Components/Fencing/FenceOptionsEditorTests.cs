using Bunit;
using MudBlazor;
using StorageHa.Client.Components.Fencing;
using StorageHa.Client.Tests.Shared;

namespace StorageHa.Client.Tests.Components.Fencing;

/// <summary>A fence device's options are the agent's own, typed as its metadata says, and kept as the device's name=value lines.</summary>
public sealed class FenceOptionsEditorTests : ConsoleTest
{
    private string? _lines;

    private IRenderedComponent<FenceOptionsEditor> Render(string agent, string lines)
    {
        _lines = lines;
        return Ctx.Render<FenceOptionsEditor>(p => p
            .Add(x => x.Agent, agent)
            .Add(x => x.Lines, lines)
            .Add(x => x.LinesChanged, (string? changed) => _lines = changed));
    }

    [Fact]
    public void EachOptionOfFenceIpmilan_IsAFieldOfItsType_ASwitchForABoolean_AChoiceForASelect()
    {
        var editor = Render("fence_ipmilan", "ip=192.0.2.201\nlanplus=1\nprivlvl=operator");

        Assert.Equal("192.0.2.201", editor.Find("input[aria-label='Fence option ip']").GetAttribute("value"));
        Assert.True(editor.Find("input[aria-label='Fence option lanplus']").HasAttribute("checked"));
        Assert.Contains("operator", editor.Find(".fence-option:nth-of-type(3)").TextContent);
        Assert.Contains("IP address or hostname of fencing device", editor.Markup);
    }

    [Fact]
    public void AValueTheMetadataRefuses_IsNamedAsTyped_AndTheLinesFollowEveryChange()
    {
        var editor = Render("fence_ipmilan", "ip=192.0.2.201\nipport=623");

        editor.Find("input[aria-label='Fence option ipport']").Input("six");
        Assert.Contains("must be a whole number", editor.Markup);
        Assert.Equal("ip=192.0.2.201\nipport=six", _lines);

        editor.Find("input[aria-label='Fence option ipport']").Input("6230");
        editor.Find("button[aria-label='Remove fence option ip']").Click();
        Assert.Equal("ipport=6230", _lines);
        Assert.DoesNotContain("must be a whole number", editor.Markup);
    }

    [Fact]
    public async Task TheOptionsToAdd_AreTheAgentsHarmlessOnes_NotYetSet_AndOneAddedComesWithItsDefault()
    {
        var editor = Render("fence_ipmilan", "ip=192.0.2.201");
        var add = editor.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Add an option");

        var offered = add.FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ToList();
        Assert.Contains("power_timeout", offered);
        Assert.DoesNotContain("password", offered);
        Assert.DoesNotContain("password_script", offered);
        Assert.DoesNotContain("ip", offered);

        await editor.InvokeAsync(() => add.Instance.ValueChanged.InvokeAsync("power_timeout"));
        Assert.Equal("ip=192.0.2.201\npower_timeout=20", _lines);
        Assert.Equal("20", editor.Find("input[aria-label='Fence option power_timeout']").GetAttribute("value"));
    }

    [Fact]
    public void AnAgentWithoutMetadata_OrLinesThatAreNotNameEqualsValue_StayPlainText()
    {
        Assert.NotNull(Render("fence_unknown", "ip=1").Find("textarea"));
        Assert.NotNull(Render("fence_ipmilan", "ip=1\nnot an option line").Find("textarea"));
    }
}
