using System.Net;

namespace StorageHa.Shared.Provisioning;

/// <summary>The CIB ids the plan creates: stable, readable, and valid XML ids for IPv4 and IPv6 VIPs alike.</summary>
public static class ResourceIds
{
    public const string Ctdb = "ctdb";
    public const string CtdbClone = "ctdb-clone";
    public const string Smbd = "smbd";
    public const string Nmbd = "nmbd";
    /// <summary>winbindd, on every node of a cluster joined to a domain (after CTDB, before Samba).</summary>
    public const string Winbind = "winbind";
    public const string WinbindClone = "winbind-clone";
    /// <summary>The group of smbd and nmbd (when NetBIOS is wanted).</summary>
    public const string SambaGroup = "samba";
    public const string Ganesha = "ganesha";
    public const string GaneshaClone = "ganesha-clone";
    /// <summary>The cluster filesystem's Filesystem resource, cloned on every node, when the cluster mounts it.</summary>
    public const string Storage = "cluster-fs";
    public const string StorageClone = "cluster-fs-clone";

    /// <summary>The cloned Samba resource: the group's clone with NetBIOS, else smbd's.</summary>
    public static string SambaClone(bool netBios) => (netBios ? SambaGroup : Smbd) + "-clone";

    /// <summary>"vip-192.0.2.101", "vip-fd00--101": ':' is not allowed in a CIB id; the canonical address makes it unique.</summary>
    public static string Vip(string address) => "vip-" + Canonical(address);

    /// <summary>
    /// The address a VIP's id was made from (vip-fd00--101 → fd00::101), so pictures name a VIP as its clients know it; null
    /// for an id the plan did not make from an address.
    /// </summary>
    public static string? VipAddress(string id) =>
        id.StartsWith("vip-", StringComparison.Ordinal) && IPAddress.TryParse(id[4..].Replace('-', ':'), out var address) && Vip(address.ToString()) == id
            ? address.ToString()
            : null;

    /// <summary>The VIP's tickle agent: "tickle-192.0.2.101".</summary>
    public static string Tickle(string address) => "tickle-" + Canonical(address);

    public static string FenceDevice(string name) => "fence-" + name;

    private static string Canonical(string address) => IPAddress.Parse(address).ToString().Replace(':', '-');
}
