namespace StorageHa.Client.Components.Common;

/// <summary>A page that shows a live stream (cluster changes, a job's progress): applies each on the renderer's thread, and ends the subscription when it goes away.</summary>
public abstract class LivePageBase : ConsoleComponentBase, IDisposable
{
    private readonly CancellationTokenSource _leaving = new();

    /// <summary>Cancelled when the page is left: pass it to the subscription.</summary>
    protected CancellationToken Leaving => _leaving.Token;

    /// <summary>Applies every change as it comes, re-rendering after each; runs until the page is left.</summary>
    protected void Follow<T>(IAsyncEnumerable<T> changes, Action<T> apply) => _ = FollowAsync(changes, apply);

    private async Task FollowAsync<T>(IAsyncEnumerable<T> changes, Action<T> apply)
    {
        try
        {
            await foreach (var change in changes.WithCancellation(Leaving))
                await InvokeAsync(() =>
                {
                    apply(change);
                    StateHasChanged();
                });
        }
        catch (OperationCanceledException) { /* the page was left */ }
        catch (ObjectDisposedException) { /* the circuit went away */ }
    }

    public void Dispose()
    {
        _leaving.Cancel();
        _leaving.Dispose();
        GC.SuppressFinalize(this);
    }
}
