using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Client.Model;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Components.Common;

/// <summary>
/// What every page and dialog of the console shares: who is signed in, and the one place where an action
/// runs with a busy flag and its failure becomes words for the admin (a field message or a snackbar).
/// </summary>
public abstract class ConsoleComponentBase : ComponentBase
{
    private readonly HashSet<string> _busy = [];

    [Inject] protected ISnackbar Snackbar { get; set; } = default!;
    [Inject] protected IDialogService Dialogs { get; set; } = default!;
    [Inject] private ILoggerFactory LoggerFactory { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected ClaimsPrincipal User { get; private set; } = new();
    protected string UserName => User.Identity?.Name ?? "";
    /// <summary>Operators and admins change the inventory and run probes; viewers only look.</summary>
    protected bool CanOperate => User.IsInRole(ConsoleRoles.Operator) || User.IsInRole(ConsoleRoles.Admin);
    protected bool IsAdmin => User.IsInRole(ConsoleRoles.Admin);

    /// <summary>True while any action of this component runs; buttons use it to disable themselves.</summary>
    protected bool Busy => _busy.Count > 0;
    protected bool IsBusy(string key) => _busy.Contains(key);

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null)
            User = (await AuthenticationState).User;
        await RunAsync(LoadAsync, busyKey: "load");
    }

    /// <summary>Loads what the component shows; failures are reported like any other action's.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>
    /// Runs an action while marking <paramref name="busyKey"/> busy. Refusals of input go to <paramref name="fields"/>
    /// when the caller shows a form, otherwise to a snackbar, as does any other failure. True when it succeeded.
    /// </summary>
    protected async Task<bool> RunAsync(Func<Task> action, string? success = null, FieldErrors? fields = null, string busyKey = "action")
    {
        _busy.Add(busyKey);
        StateHasChanged();
        try
        {
            await action();
            if (success is not null)
                Snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (InvalidInputException refused) when (fields is not null)
        {
            fields.Add(refused);
        }
        catch (ConflictException conflict) when (fields is not null)
        {
            fields.Add(conflict.Field, conflict.Message);
        }
        catch (Exception error)
        {
            if (error is not (InvalidInputException or ConflictException or OperationCanceledException))
                LoggerFactory.CreateLogger(GetType()).LogWarning(error, "Console action failed");
            Snackbar.Add(ErrorText.Describe(error), Severity.Error);
        }
        finally
        {
            _busy.Remove(busyKey);
            StateHasChanged();
        }
        return false;
    }

    /// <summary>Asks the admin to confirm something that cannot be undone.</summary>
    protected async Task<bool> ConfirmAsync(string title, string question, string yes = "Remove")
        => await Dialogs.ShowMessageBoxAsync(title, question, yesText: yes, cancelText: "Cancel") == true;

    /// <summary>Opens an add (item null) or edit dialog; when it saved, says so and reloads. True when saved.</summary>
    protected async Task<bool> EditInDialogAsync<TDialog, TItem>(TItem? item, Func<TItem, Task<TItem>> save, string done,
        DialogParameters? more = null)
        where TDialog : EditDialogBase<TItem, TItem> where TItem : class
        => await EditInDialogAsync<TDialog, TItem, TItem>(item, save, done, more) is not null;

    /// <summary>Opens a dialog that collects input and saves it; when saved, says so, reloads and returns what the save returned.</summary>
    protected async Task<TResult?> EditInDialogAsync<TDialog, TItem, TResult>(TItem? item, Func<TItem, Task<TResult>> save, string done,
        DialogParameters? more = null)
        where TDialog : EditDialogBase<TItem, TResult> where TItem : class
    {
        var parameters = new DialogParameters
        {
            { nameof(EditDialogBase<TItem, TResult>.Item), item },
            { nameof(EditDialogBase<TItem, TResult>.Save), save },
        };
        foreach (var (name, value) in more ?? [])
            parameters.Add(name, value);
        var dialog = await Dialogs.ShowAsync<TDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true });
        if (await dialog.Result is not { Canceled: false, Data: TResult saved })
            return default;
        Snackbar.Add(done, Severity.Success);
        await RunAsync(LoadAsync, busyKey: "load");
        return saved;
    }

    /// <summary>Removes something after the admin confirmed it, then reloads.</summary>
    protected async Task RemoveAsync(string what, string consequence, Func<Task> remove)
    {
        if (await ConfirmAsync($"Remove {what}?", consequence))
            await RunAsync(async () =>
            {
                await remove();
                await LoadAsync();
            }, $"Removed {what}.");
    }
}
