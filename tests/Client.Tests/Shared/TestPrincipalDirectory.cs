using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// The pickers' directory over the in-memory inventory, as the server's: local users and groups from the cluster's
/// identity, none for guests; a domain's from <see cref="WbinfoUsers"/>/<see cref="WbinfoGroups"/>, which stand for what
/// a live node's wbinfo printed (null: no node answered).
/// </summary>
public sealed class TestPrincipalDirectory(InMemoryInventory inventory) : IPrincipalDirectory
{
    public string? WbinfoUsers { get; set; }
    public string? WbinfoGroups { get; set; }

    public async Task<PrincipalChoices> ListAsync(long clusterId, PrincipalKind kind, string? search, CancellationToken ct = default)
    {
        var identity = (await inventory.GetSettingsAsync(clusterId, ct)).Identity;
        return identity.Mode switch
        {
            IdentityMode.LocalUsers => PrincipalChoices.Local(identity, kind, search),
            IdentityMode.Guest => new([], PrincipalChoices.GuestReason),
            _ => (kind == PrincipalKind.User ? WbinfoUsers : WbinfoGroups) is { } output ? PrincipalChoices.FromWbinfo(output, kind, search)
                : throw new InvalidOperationException("No node of nas1 answered: node1: connection refused"),
        };
    }
}
