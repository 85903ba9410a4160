using Microsoft.AspNetCore.Components;
using MudBlazor;
using StorageHa.Client.Components.Dialogs;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Components.Pages;

public partial class Clusters
{
    private IReadOnlyList<Cluster> _clusters = [];

    [Inject] private IInventory Inventory { get; set; } = default!;

    protected override async Task LoadAsync() => _clusters = await Inventory.ListClustersAsync();

    public static string PurposeText(ClusterPurpose purpose) => purpose switch
    {
        ClusterPurpose.Smb => "SMB",
        ClusterPurpose.Nfs => "NFS",
        _ => "SMB + NFS",
    };

    private Task AddAsync() => EditAsync(null);

    private Task EditAsync(Cluster? cluster) => EditInDialogAsync<ClusterDialog, Cluster>(cluster,
        c => c.Id == 0 ? Inventory.AddClusterAsync(c) : Inventory.UpdateClusterAsync(c), "Cluster saved.");

    private Task DeleteAsync(Cluster cluster) => RemoveAsync($"cluster {cluster.Name}",
        "Its nodes, virtual IPs, shares and exports leave the console's inventory. Nothing on the servers changes.",
        () => Inventory.DeleteClusterAsync(cluster.Id));
}
