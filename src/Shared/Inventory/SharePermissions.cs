using System.Text.Json.Serialization;

namespace StorageHa.Shared.Inventory;

/// <summary>
/// Who may use a share, and how its folder is set: the same in the inventory's <see cref="Share"/> and the spec's
/// <see cref="ShareSpec"/>. A list given in JSON as one string ("alice @staff") is read as Samba's list, as "validUsers"
/// was written before it was typed.
/// </summary>
public abstract record SharePermissions
{
    /// <summary>Who may connect; empty: anyone who logs in.</summary>
    [JsonConverter(typeof(SmbPrincipalListJson))]
    public IReadOnlyList<SmbPrincipal> ValidUsers { get; init; } = [];
    /// <summary>Who gets read-only access even where the share is writable.</summary>
    [JsonConverter(typeof(SmbPrincipalListJson))]
    public IReadOnlyList<SmbPrincipal> ReadList { get; init; } = [];
    /// <summary>Who gets read-write access even where the share is read-only.</summary>
    [JsonConverter(typeof(SmbPrincipalListJson))]
    public IReadOnlyList<SmbPrincipal> WriteList { get; init; } = [];
    /// <summary>Who works in the share as root (Samba's admin users): for the admins who fix permissions.</summary>
    [JsonConverter(typeof(SmbPrincipalListJson))]
    public IReadOnlyList<SmbPrincipal> AdminUsers { get; init; } = [];
    /// <summary>List only what the user may open (Samba's access based share enum).</summary>
    public bool AccessBasedEnumeration { get; init; }
    /// <summary>The folder's owner, set when the share is applied (null: left as it is).</summary>
    public SmbPrincipal? Owner { get; init; }
    /// <summary>The folder's group ("@staff" or "staff" in JSON), set when the share is applied (null: left as it is).</summary>
    [JsonConverter(typeof(SmbGroupJson))]
    public SmbPrincipal? Group { get; init; }
    /// <summary>The folder's mode in octal (e.g. 2770), set when the share is applied (null: left as it is).</summary>
    public string? Mode { get; init; }

    /// <summary>Whether the plan sets the folder's owner, group or mode.</summary>
    public bool SetsFolder => Owner is not null || Group is not null || Mode is not null;

    /// <summary>Every principal the share names, with the field that names it ("writeList[1]", "owner").</summary>
    public IEnumerable<(string Field, SmbPrincipal Principal)> Principals()
    {
        foreach (var (field, list) in new[] { ("validUsers", ValidUsers), ("readList", ReadList), ("writeList", WriteList), ("adminUsers", AdminUsers) })
            for (var i = 0; i < list.Count; i++) yield return ($"{field}[{i}]", list[i]);
        if (Owner is not null) yield return ("owner", Owner);
        if (Group is not null) yield return ("group", Group);
    }
}
