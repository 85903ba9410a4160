using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// NFSv4 grace when a VIP moves, as storhaug's ganesha_trigger gives it: beside each VIP, ocf:storageha:ganesha-grace
/// (shipped with the node helper) shows the Ganesha of the node taking the VIP the clients the previous holder served
/// (from the shared recovery directories) and starts grace for the VIP there over D-Bus, so those clients can reclaim
/// their opens and locks instead of losing them.
/// </summary>
public static class NfsGrace
{
    public const string Agent = "ocf:storageha:ganesha-grace";

    /// <summary>"nfs-grace-vip-192.0.2.101": the grace agent of that VIP.</summary>
    public static string ResourceId(string vipAddress) => "nfs-grace-" + ResourceIds.Vip(vipAddress);

    /// <summary>Only the node taking a VIP enters grace; storhaug also puts every other node into grace.</summary>
    public const string OtherNodesWarning =
        "NFS grace on VIP moves: the node that takes a VIP enters grace for the previous node's clients, the other nodes do not " +
        "(storhaug also puts them into grace), so until the moved clients have reclaimed, a client of another node may take a lock one of them held.";

    private const string ForceReason =
        "--force: pcs looks up agents where the batch is built, and " + Agent + " is installed on the nodes by the node-helper step";

    /// <summary>For an NFS cluster: grace agents of VIPs the spec no longer has go first, then one per VIP, on its node, after it.</summary>
    internal static IEnumerable<PlanStep> Build(ClusterSpec spec, IReadOnlyList<string> vipAddresses)
    {
        if (spec.Purpose is not (ClusterPurpose.Nfs or ClusterPurpose.Both)) yield break;
        var ids = vipAddresses.Select(ResourceId).ToList();
        var unknown = "/cib/configuration/resources/primitive[@provider='storageha' and @type='ganesha-grace'" +
            (ids.Count == 0 ? "" : $" and not({string.Join(" or ", ids.Select(i => $"@id='{i}'"))})") + "]";
        yield return CibBatch.Remove("nfs-graces-not-in-spec", "Remove NFS grace agents of virtual IPs the spec no longer has (with their constraints)",
            $"{unknown} | //rsc_colocation[@rsc={unknown}/@id] | //rsc_order[@then={unknown}/@id]",
            $"/cib/configuration/resources[not({unknown["/cib/configuration/resources/".Length..]})]");

        var state = spec.SharedState!.GaneshaState!.TrimEnd('/');
        foreach (var address in vipAddresses)
        {
            var vip = ResourceIds.Vip(address);
            var grace = ResourceId(address);
            yield return CibBatch.Step($"nfs-grace-{address}", $"Add NFS grace for {address}: the node it moves to lets the previous node's NFSv4 clients reclaim their state",
                ["resource", "create", grace, Agent, $"vip={address}", $"state={state}",
                 "op", "start", "timeout=30s", "op", "stop", "timeout=20s", "op", "monitor", "interval=30s", "timeout=20s", "--force"],
                $"//primitive[@id='{grace}' and instance_attributes/nvpair[@name='vip' and @value='{address}'] and " +
                $"instance_attributes/nvpair[@name='state' and @value='{state}']]",
                warning: ForceReason);
            yield return CibBatch.Step($"nfs-grace-{address}-with-vip", $"Run the NFS grace agent of {address} where {address} runs",
                ["constraint", "colocation", "add", grace, "with", vip, "INFINITY", $"id=colocation-{grace}-with-{vip}"],
                $"//rsc_colocation[@id='colocation-{grace}-with-{vip}' and @rsc='{grace}' and @with-rsc='{vip}']");
            yield return CibBatch.Step($"nfs-grace-{address}-after-vip", $"Start grace for {address} once it is up on its new node",
                ["constraint", "order", vip, "then", grace, $"id=order-{vip}-then-{grace}"],
                $"//rsc_order[@id='order-{vip}-then-{grace}' and @first='{vip}' and @then='{grace}']");
        }
    }
}
