using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// NFSv4 grace when a VIP moves, as storhaug's ganesha_trigger gives it: per VIP, ocf:storageha:ganesha-grace (shipped
/// with the node helper) runs cloned beside Ganesha and ordered after the VIP, so Pacemaker restarts it on every node
/// when the VIP starts elsewhere. There, the node taking the VIP shows its Ganesha the clients the previous holder served
/// (from the shared recovery directories) and starts grace for the VIP over D-Bus, so they can reclaim their opens and
/// locks; the other nodes' Ganesha enters grace too, so none of their clients takes a lock a moved client has not reclaimed.
/// </summary>
public static class NfsGrace
{
    public const string Agent = "ocf:storageha:ganesha-grace";

    /// <summary>"nfs-grace-vip-192.0.2.101": the grace agent of that VIP (cloned: "…-clone").</summary>
    public static string ResourceId(string vipAddress) => "nfs-grace-" + ResourceIds.Vip(vipAddress);

    public static string CloneId(string vipAddress) => ResourceId(vipAddress) + "-clone";

    /// <summary>What grace does to everyone, said once in the plan.</summary>
    public const string GraceWarning =
        "NFS grace on VIP moves: when a VIP starts on another node, that node lets the previous node's NFSv4 clients reclaim and every node " +
        "running Ganesha enters grace; during grace (up to 90 s) new opens wait, and a Ganesha whose own clients have all reclaimed ends it early.";

    /// <summary>For an NFS cluster: grace agents of VIPs the spec no longer has go first, then one clone per VIP, after the VIP and Ganesha.</summary>
    internal static IEnumerable<PlanStep> Build(ClusterSpec spec, IReadOnlyList<string> vipAddresses)
    {
        if (spec.Purpose is not (ClusterPurpose.Nfs or ClusterPurpose.Both)) yield break;
        yield return CibBatch.Sweep("nfs-graces-not-in-spec", "Remove NFS grace agents of virtual IPs the spec no longer has (with their constraints)",
            "clone[primitive[@provider='storageha' and @type='ganesha-grace']", [.. vipAddresses.Select(CloneId)]);

        var state = spec.SharedState!.GaneshaState!.TrimEnd('/');
        foreach (var address in vipAddresses)
        {
            var vip = ResourceIds.Vip(address);
            var grace = ResourceId(address);
            var clone = CloneId(address);
            string[] settings = [$"vip={address}", $"state={state}"];
            yield return CibBatch.Upsert($"nfs-grace-{address}", $"Add NFS grace for {address} on every Ganesha node: where it moves, the previous node's NFSv4 clients reclaim their state",
                "resources", CibXml.Clone(CibXml.Primitive(grace, Agent, settings, Operations)),
                $"//clone[@id='{clone}']/primitive[@id='{grace}' and {CibXml.HasSettings(settings)}]", subject: new(CibSubjectKind.Other, $"nfs-grace-{address}", vip));
            yield return CibBatch.Upsert($"nfs-grace-{address}-after-vip", $"Restart the NFS grace agents of {address} on every node whenever {address} starts (the grace itself)",
                "constraints", CibXml.Order($"order-{vip}-then-{grace}", vip, clone),
                $"//rsc_order[@id='order-{vip}-then-{grace}' and @first='{vip}' and @then='{clone}']", subject: new(CibSubjectKind.Other, $"nfs-grace-{address}-after-vip", vip));
            yield return CibBatch.Upsert($"nfs-grace-{address}-with-ganesha", $"Run the NFS grace agents of {address} where NFS-Ganesha runs",
                "constraints", CibXml.Colocation($"colocation-{grace}-with-ganesha", clone, ResourceIds.GaneshaClone),
                $"//rsc_colocation[@id='colocation-{grace}-with-ganesha' and @rsc='{clone}' and @with-rsc='{ResourceIds.GaneshaClone}']", subject: new(CibSubjectKind.Other, $"nfs-grace-{address}-with-ganesha", vip));
            yield return CibBatch.Upsert($"nfs-grace-{address}-after-ganesha", $"Start the NFS grace agents of {address} after NFS-Ganesha (they ask it over D-Bus)",
                "constraints", CibXml.Order($"order-ganesha-then-{grace}", ResourceIds.GaneshaClone, clone),
                $"//rsc_order[@id='order-ganesha-then-{grace}' and @first='{ResourceIds.GaneshaClone}' and @then='{clone}']", subject: new(CibSubjectKind.Other, $"nfs-grace-{address}-after-ganesha", vip));
        }
    }

    private static readonly CibXml.Operation[] Operations =
        [new("start", "0s", "30s"), new("stop", "0s", "20s"), new("monitor", "30s", "20s")];
}
