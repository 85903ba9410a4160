using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Client.Model;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;

namespace StorageHa.Client.Components.Pages;

public partial class Credentials
{
    private IReadOnlyList<Credential> _credentials = [];

    [Inject] private ICredentialStore Store { get; set; } = default!;

    protected override async Task LoadAsync() => _credentials = await Store.ListAsync();

    private async Task AddAsync(CredentialSource source)
    {
        var added = await EditInDialogAsync<CredentialDialog, NewCredential, Credential>(null, Save, "Credential saved.",
            new DialogParameters { { nameof(CredentialDialog.Source), source } });
        if (added?.PublicKey is { } key)
            await ShowPublicKeyAsync(added.Name, key);
    }

    private Task<Credential> Save(NewCredential credential) => credential.Source switch
    {
        CredentialSource.Generate => Store.GenerateKeyAsync(credential.Name),
        CredentialSource.PrivateKey => Store.AddPrivateKeyAsync(credential.Name, credential.Secret!, credential.Passphrase),
        _ => Store.AddPasswordAsync(credential.Name, credential.Secret!),
    };

    private async Task ShowPublicKeyAsync(string name, string publicKey)
    {
        var parameters = new DialogParameters<CopyTextDialog>
        {
            { d => d.Title, $"Public key of {name}" },
            { d => d.Message, "Install it for the SSH user on every node of the cluster, e.g. by running this as that user on each node:" },
            { d => d.Texts, new CopyableText[] { new("Install command", AuthorizedKey.OneLineInstall(publicKey)), new("Public key", publicKey) } },
        };
        await Dialogs.ShowAsync<CopyTextDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
    }

    private Task RemoveAsync(Credential credential) => RemoveAsync($"credential {credential.Name}",
        "Nodes that log in with it can no longer be reached until you give them another credential.",
        () => Store.DeleteAsync(credential.Id));
}
