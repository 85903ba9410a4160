using Microsoft.AspNetCore.Components;
using StorageHa.Client.Components.Common;
using StorageHa.Client.Model;
using StorageHa.Shared.Console;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Components.Wizard;

/// <summary>
/// One page of the setup wizard: it edits part of the draft and, on Next, checks it with the plan's rules and stores it in the
/// inventory. What blocks Next is returned in the admin's words; nothing is stored while anything does.
/// </summary>
public abstract class WizardStepBase : ConsoleComponentBase
{
    [Inject] protected IInventory Inventory { get; set; } = default!;

    [Parameter, EditorRequired] public WizardDraft Draft { get; set; } = default!;

    private bool _filled;

    /// <summary>Fills the step's fields from the draft, once: later renders keep what the admin typed.</summary>
    protected virtual void Fill() { }

    protected override void OnParametersSet()
    {
        if (_filled) return;
        _filled = true;
        Fill();
    }

    /// <summary>Checks the step and stores it; the reasons it cannot go on, or none.</summary>
    public abstract Task<IReadOnlyList<string>> CommitAsync();

    /// <summary>
    /// Stores the step through <paramref name="store"/>, turning a refusal of the inventory into reasons; <paramref name="refused"/>
    /// also gets the refusal's errors, for a step that shows them under its fields.
    /// </summary>
    protected static async Task<IReadOnlyList<string>> StoreAsync(Func<Task> store, Action<IReadOnlyList<ValidationError>>? refused = null)
    {
        try
        {
            await store();
            return [];
        }
        catch (InvalidInputException refusal)
        {
            refused?.Invoke(refusal.Errors);
            return refusal.Errors.Select(WizardDraft.Describe).ToList();
        }
        catch (ConflictException conflict)
        {
            return [conflict.Message];
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return [ErrorText.Describe(error)];
        }
    }

    /// <summary>Makes the inventory's rows equal to the step's: removes, updates and adds by id (0: new).</summary>
    protected static async Task SyncAsync<T>(IEnumerable<T> stored, IReadOnlyList<T> wanted, Func<T, long> id,
        Func<T, Task> add, Func<T, Task> update, Func<long, Task> remove)
    {
        var kept = wanted.Select(id).Where(i => i != 0).ToHashSet();
        var before = stored.ToList();
        foreach (var gone in before.Where(s => !kept.Contains(id(s)))) await remove(id(gone));
        foreach (var row in wanted)
        {
            if (id(row) == 0) await add(row);
            else if (!Equals(before.FirstOrDefault(s => id(s) == id(row)), row)) await update(row);
        }
    }
}
