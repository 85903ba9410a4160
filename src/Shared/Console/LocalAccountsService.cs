using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Console;

/// <summary>A cluster's local SMB users and groups as the inventory keeps them (never a password).</summary>
public sealed record LocalAccountList(IdentityMode Mode, IReadOnlyList<LocalUserSpec> Users, IReadOnlyList<LocalGroupSpec> Groups);

/// <summary>A local user to create: its name, full name and groups; its uid is the console's to give.</summary>
public sealed record NewLocalUser(string Name, string? FullName = null, IReadOnlyList<string>? Groups = null);

/// <summary>
/// The local SMB users and groups of a running cluster. Each change is made on the nodes first (the Unix account on every
/// node, the SMB password on one) and kept in the inventory only when that succeeded; a change that fails on a node is
/// undone where it was made and the error says which node and what it printed. Passwords only pass through, on a node
/// command's standard input. Viewers list; operators change.
/// </summary>
public interface ILocalAccounts
{
    Task<LocalAccountList> ListAsync(long clusterId, CancellationToken ct = default);
    Task<LocalUserSpec> CreateUserAsync(long clusterId, NewLocalUser user, string password, CancellationToken ct = default);
    /// <summary>Takes effect at once: the next login needs the new password.</summary>
    Task SetPasswordAsync(long clusterId, string user, string password, CancellationToken ct = default);
    /// <summary>The user's membership in exactly these local groups.</summary>
    Task<LocalUserSpec> SetGroupsAsync(long clusterId, string user, IReadOnlyList<string> groups, CancellationToken ct = default);
    Task DeleteUserAsync(long clusterId, string user, CancellationToken ct = default);
    Task<LocalGroupSpec> CreateGroupAsync(long clusterId, string name, CancellationToken ct = default);
    /// <summary>The group goes; its members stay, no longer in it.</summary>
    Task DeleteGroupAsync(long clusterId, string name, CancellationToken ct = default);
}
