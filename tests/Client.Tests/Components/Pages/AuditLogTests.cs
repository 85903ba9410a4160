using Bunit;
using StorageHa.Client.Components.Pages;
using AuditLogPage = StorageHa.Client.Components.Pages.AuditLog;
using StorageHa.Client.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Components.Pages;

public sealed class AuditLogTests : ConsoleTest
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private void Record(int count)
    {
        for (var i = 0; i < count; i++)
            AuditLog.Entries.Add(new AuditEntry { Id = i + 1, At = Start.AddMinutes(i), Actor = "olga", Action = "probe", Target = $"node{i}", Command = "uname -r", ExitCode = 0 });
    }

    [Fact]
    public void AuditLog_ListsEntries_WithTheCommandInMonospaceAndTheExitCode()
    {
        AuditLog.Entries.Add(new AuditEntry { Id = 1, At = Start, Actor = "olga", Action = "run", Target = "node1", Command = "pcs status --full", ExitCode = 0 });
        AuditLog.Entries.Add(new AuditEntry { Id = 2, At = Start.AddMinutes(1), Actor = "adam", Action = "run", Target = "node2", Command = "systemctl start pacemaker", ExitCode = 1 });

        var page = RenderPage<AuditLogPage>();

        var rows = page.FindAll("table tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("2025-03-01 09:01:00 UTC", rows[0].TextContent);
        Assert.Contains("adam", rows[0].TextContent);
        Assert.Equal("systemctl start pacemaker", rows[0].QuerySelector("code")!.TextContent);
        Assert.Contains("mud-chip-color-error", rows[0].QuerySelector(".mud-chip")!.ClassName);
        Assert.Equal("1", rows[0].QuerySelector(".mud-chip")!.TextContent.Trim());
        Assert.Contains("mud-chip-color-success", rows[1].QuerySelector(".mud-chip")!.ClassName);
    }

    [Fact]
    public void Search_ShowsOnlyTheMatchingEntries()
    {
        AuditLog.Entries.Add(new AuditEntry { Id = 1, At = Start, Actor = "olga", Action = "run", Target = "node1", Command = "pcs status --full", ExitCode = 0 });
        AuditLog.Entries.Add(new AuditEntry { Id = 2, At = Start.AddMinutes(1), Actor = "adam", Action = "run", Target = "node2", Command = "systemctl start pacemaker", ExitCode = 1 });
        var page = RenderPage<AuditLogPage>();

        page.Find(".audit-search input").Input("PACEMAKER");

        page.WaitForAssertion(() => Assert.Single(page.FindAll("table tbody tr")), Patience);
        Assert.Contains("systemctl start pacemaker", page.Find("table tbody").TextContent);
        Assert.Equal("PACEMAKER", AuditLog.Queries[^1].Search);
    }

    [Fact]
    public void Search_WithNoMatch_SaysSo()
    {
        Record(3);
        var page = RenderPage<AuditLogPage>();

        page.Find(".audit-search input").Input("reboot");

        page.WaitForAssertion(() => Assert.Contains("No entry matches 'reboot'.", page.Markup), Patience);
    }

    [Fact]
    public void LoadMore_FetchesTheNextPage_UntilThereIsNoMore()
    {
        Record(AuditLogPage.PageSize + 30);
        var page = RenderPage<AuditLogPage>();
        Assert.Equal(AuditLogPage.PageSize, page.FindAll("table tbody tr").Count);

        Click(page, "Load more");

        page.WaitForAssertion(() => Assert.Equal(AuditLogPage.PageSize + 30, page.FindAll("table tbody tr").Count), Patience);
        Assert.Equal(AuditLogPage.PageSize, AuditLog.Queries[^1].Skip);
        Assert.False(HasButton(page, "Load more"));
    }
}
