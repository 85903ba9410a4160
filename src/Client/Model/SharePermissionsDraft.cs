using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Model;

/// <summary>A share's permissions as its editor changes them: the four lists, the folder's owner, group and mode, and access-based enumeration.</summary>
public sealed class SharePermissionsDraft
{
    public List<SmbPrincipal> ValidUsers { get; } = [];
    public List<SmbPrincipal> ReadList { get; } = [];
    public List<SmbPrincipal> WriteList { get; } = [];
    public List<SmbPrincipal> AdminUsers { get; } = [];
    /// <summary>At most one each: the pickers take one.</summary>
    public List<SmbPrincipal> Owner { get; } = [];
    public List<SmbPrincipal> Group { get; } = [];
    public string? Mode { get; set; }
    public bool AccessBasedEnumeration { get; set; }

    public static SharePermissionsDraft Of(Share share)
    {
        var draft = new SharePermissionsDraft { Mode = share.Mode, AccessBasedEnumeration = share.AccessBasedEnumeration };
        draft.ValidUsers.AddRange(share.ValidUsers);
        draft.ReadList.AddRange(share.ReadList);
        draft.WriteList.AddRange(share.WriteList);
        draft.AdminUsers.AddRange(share.AdminUsers);
        if (share.Owner is not null) draft.Owner.Add(share.Owner);
        if (share.Group is not null) draft.Group.Add(share.Group);
        return draft;
    }

    public Share ApplyTo(Share share) => share with
    {
        ValidUsers = [.. ValidUsers], ReadList = [.. ReadList], WriteList = [.. WriteList], AdminUsers = [.. AdminUsers],
        Owner = Owner.FirstOrDefault(), Group = Group.FirstOrDefault(),
        Mode = string.IsNullOrWhiteSpace(Mode) ? null : Mode.Trim(), AccessBasedEnumeration = AccessBasedEnumeration,
    };

    /// <summary>The fields the editor shows, as the server names them.</summary>
    public static IEnumerable<string> Fields => ["validUsers", "readList", "writeList", "adminUsers", "owner", "group", "mode"];
}
