using Microsoft.AspNetCore.Components;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Components.Pages;

public partial class AuditLog
{
    /// <summary>Entries per page; "Load more" fetches the next page of the same search.</summary>
    public const int PageSize = 100;

    private readonly List<AuditEntry> _entries = [];
    private string? _search;
    private bool _hasMore;

    [Inject] private IAuditLog Log { get; set; } = default!;

    protected override async Task LoadAsync()
    {
        _entries.Clear();
        await FetchPageAsync();
    }

    private Task SearchAsync(string search)
    {
        _search = search;
        return RunAsync(LoadAsync, busyKey: "load");
    }

    private Task LoadMoreAsync() => RunAsync(FetchPageAsync, busyKey: "more");

    private async Task FetchPageAsync()
    {
        var search = string.IsNullOrWhiteSpace(_search) ? null : _search.Trim();
        var page = await Log.QueryAsync(new AuditQuery(_entries.Count, PageSize, search));
        _entries.AddRange(page);
        _hasMore = page.Count == PageSize;
    }
}
