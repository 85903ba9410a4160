namespace StorageHa.Shared.Inventory;

/// <summary>
/// The CTDB tunables a new cluster gets: CTDB's defaults wait about 25 s (5 keepalives 5 s apart) before they declare a
/// silent node dead, while corosync (token 3 s) has long moved its VIPs, so the new holder's Samba waits on clustered
/// databases that are frozen until CTDB catches up. On the lab, a node crash served SMB again after ~9 s with these
/// and ~27 s with the defaults. The admin can change them in the cluster's settings.
/// </summary>
public static class CtdbFailover
{
    public static IReadOnlyDictionary<string, int> Tunables { get; } = new Dictionary<string, int>
    {
        // A silent node is dead after 3 missed keepalives 1 s apart: as soon as corosync's 3 s token says so.
        ["KeepaliveInterval"] = 1,
        ["KeepaliveLimit"] = 3,
        // Health checks every 2 s instead of 15: a node is healthy (and serves) sooner after it starts or recovers.
        ["MonitorInterval"] = 2,
        // A second recovery (a node lost right after another change) may start 2 s after the first, not 10.
        ["RerecoveryTimeout"] = 2,
    };

    public const string Why =
        "CTDB declares a silent node dead after 3 s, as corosync does, instead of its default 25 s: the node taking over a VIP serves SMB without waiting for CTDB to catch up";
}
