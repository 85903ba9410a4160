using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Common;
using StorageHa.Client.Model;

namespace StorageHa.Client.Components.Dialogs;

/// <summary>An add/edit dialog whose input is also what it saves (a node, a share…).</summary>
public abstract class EditDialogBase<TItem> : EditDialogBase<TItem, TItem> where TItem : class;

/// <summary>
/// A dialog that collects <typeparamref name="TItem"/>: checks the obvious on the client, then saves through the page's
/// delegate and shows the server's refusal under the field it names. Closes with what the save returned.
/// </summary>
public abstract class EditDialogBase<TItem, TResult> : ConsoleComponentBase where TItem : class
{
    [CascadingParameter] protected IMudDialogInstance Dialog { get; set; } = default!;

    /// <summary>The item to edit, or null to add a new one.</summary>
    [Parameter] public TItem? Item { get; set; }

    [Parameter, EditorRequired] public Func<TItem, Task<TResult>> Save { get; set; } = default!;

    protected FieldErrors Errors { get; private set; } = new();
    protected bool IsNew => Item is null;

    /// <summary>The item as the form now describes it.</summary>
    protected abstract TItem Build();

    protected abstract FieldErrors Check(TItem item);

    /// <summary>The fields this form shows (with aliases the server may use); other messages appear above the form.</summary>
    protected abstract IEnumerable<string> ShownFields { get; }

    protected async Task SubmitAsync()
    {
        var item = Build();
        Errors = Check(item);
        if (!Errors.Any)
            await RunAsync(async () => Dialog.Close(DialogResult.Ok(await Save(item))), fields: Errors);
        Errors.KeepOnly(ShownFields);
    }

    protected void Cancel() => Dialog.Cancel();
}
