using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Inventory;

/// <summary>
/// A share as its row holds it: the lists of users and groups in Samba's spelling (the column valid_users always had),
/// the folder's owner and group likewise; read back through <see cref="SmbPrincipal.ParseList"/>, so a row is typed again.
/// </summary>
internal sealed class ShareRow
{
    public const string Columns = "id, cluster_id AS ClusterId, name, path, comment, read_only AS ReadOnly, guest_ok AS GuestOk, " +
        "valid_users AS ValidUsers, read_list AS ReadList, write_list AS WriteList, admin_users AS AdminUsers, " +
        "access_based_enumeration AS AccessBasedEnumeration, folder_owner AS Owner, folder_group AS \"Group\", folder_mode AS Mode";
    public const string PermissionColumns = "valid_users, read_list, write_list, admin_users, access_based_enumeration, folder_owner, folder_group, folder_mode";
    public const string PermissionValues = "@ValidUsers, @ReadList, @WriteList, @AdminUsers, @AccessBasedEnumeration, @Owner, @Group, @Mode";
    public const string PermissionAssignments = "valid_users = @ValidUsers, read_list = @ReadList, write_list = @WriteList, admin_users = @AdminUsers, " +
        "access_based_enumeration = @AccessBasedEnumeration, folder_owner = @Owner, folder_group = @Group, folder_mode = @Mode";

    public long Id { get; init; }
    public long ClusterId { get; init; }
    public string Name { get; init; } = "";
    public string Path { get; init; } = "";
    public string? Comment { get; init; }
    public bool ReadOnly { get; init; }
    public bool GuestOk { get; init; }
    public string? ValidUsers { get; init; }
    public string? ReadList { get; init; }
    public string? WriteList { get; init; }
    public string? AdminUsers { get; init; }
    public bool AccessBasedEnumeration { get; init; }
    public string? Owner { get; init; }
    public string? Group { get; init; }
    public string? Mode { get; init; }

    public static ShareRow Of(Share s) => new()
    {
        Id = s.Id, ClusterId = s.ClusterId, Name = s.Name, Path = s.Path, Comment = s.Comment, ReadOnly = s.ReadOnly, GuestOk = s.GuestOk,
        ValidUsers = Text(s.ValidUsers), ReadList = Text(s.ReadList), WriteList = Text(s.WriteList), AdminUsers = Text(s.AdminUsers),
        AccessBasedEnumeration = s.AccessBasedEnumeration, Owner = s.Owner?.ToString(), Group = s.Group?.ToString(), Mode = s.Mode,
    };

    public Share ToShare() => new()
    {
        Id = Id, ClusterId = ClusterId, Name = Name, Path = Path, Comment = Comment, ReadOnly = ReadOnly, GuestOk = GuestOk,
        ValidUsers = SmbPrincipal.ParseList(ValidUsers), ReadList = SmbPrincipal.ParseList(ReadList), WriteList = SmbPrincipal.ParseList(WriteList),
        AdminUsers = SmbPrincipal.ParseList(AdminUsers), AccessBasedEnumeration = AccessBasedEnumeration,
        Owner = Owner is null ? null : SmbPrincipal.Parse(Owner), Group = Group is null ? null : SmbPrincipal.Parse(Group), Mode = Mode,
    };

    // NULL for an empty list, as valid_users held before.
    private static string? Text(IReadOnlyList<SmbPrincipal> list) => list.Count == 0 ? null : SmbPrincipal.RenderList(list);
}
