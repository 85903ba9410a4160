using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The node helper's tickle agent beside each VIP: where a VIP comes up, ocf:storageha:tickle resets the clients that were
/// connected to it on its previous node (so they reconnect at once instead of hanging until TCP gives up), and records
/// the clients it serves now for the next takeover, in a directory on the shared storage.
/// </summary>
public static class TickleAgents
{
    public const string Agent = "ocf:storageha:tickle";

    /// <summary>The connection lists live beside the cluster's other shared state: CTDB's lock directory, else Ganesha's state.</summary>
    public static string Directory(ClusterSpec spec)
    {
        var state = spec.SharedState!;
        var root = state.RecoveryLock is { } lockPath ? lockPath[..Math.Max(lockPath.LastIndexOf('/'), 1)] : state.GaneshaState!.TrimEnd('/');
        return root.TrimEnd('/') + "/tickle";
    }

    /// <summary>The TCP ports whose connections are recorded: SMB's and NFS's, as the cluster serves them.</summary>
    public static string Ports(ClusterSpec spec) => spec.Purpose switch
    {
        ClusterPurpose.Smb => "445",
        ClusterPurpose.Nfs => "2049",
        _ => "445,2049",
    };

    /// <summary>Tickle agents of VIPs the spec no longer has go first, then one agent per VIP: on the VIP's node, after it.</summary>
    internal static IEnumerable<PlanStep> Build(ClusterSpec spec, IReadOnlyList<string> vipAddresses)
    {
        yield return CibBatch.Sweep("tickles-not-in-spec", "Remove tickle agents of virtual IPs the spec no longer has (with their constraints)",
            "primitive[@provider='storageha' and @type='tickle'", [.. vipAddresses.Select(ResourceIds.Tickle)]);

        var directory = Directory(spec);
        var ports = Ports(spec);
        foreach (var address in vipAddresses)
        {
            var vip = ResourceIds.Vip(address);
            var tickle = ResourceIds.Tickle(address);
            string[] settings = [$"vip={address}", $"dir={directory}", $"ports={ports}"];
            yield return CibBatch.Upsert(tickle, $"Add tickle ACKs for {address}: where it comes up, its clients from the previous node reconnect at once",
                "resources", CibXml.Primitive(tickle, Agent, settings, Operations),
                $"//primitive[@id='{tickle}' and {CibXml.HasSettings(settings)}]", subject: new(CibSubjectKind.Other, tickle, vip));
            var together = $"colocation-{tickle}-with-{vip}";
            yield return CibBatch.Upsert($"{tickle}-with-vip", $"Run the tickle agent of {address} where {address} runs",
                "constraints", CibXml.Colocation(together, tickle, vip),
                $"//rsc_colocation[@id='{together}' and @rsc='{tickle}' and @with-rsc='{vip}' and @score='INFINITY']", subject: new(CibSubjectKind.Other, $"{tickle}-with-vip", vip));
            var after = $"order-{vip}-then-{tickle}";
            yield return CibBatch.Upsert($"{tickle}-after-vip", $"Send the tickles only once {address} is up (the clients' answers must reach this node)",
                "constraints", CibXml.Order(after, vip, tickle),
                $"//rsc_order[@id='{after}' and @first='{vip}' and @then='{tickle}']", subject: new(CibSubjectKind.Other, $"{tickle}-after-vip", vip));
        }
    }

    // Sending takes 3 rounds 1.1 s apart; the recorder writes its first list within a second.
    private static readonly CibXml.Operation[] Operations =
        [new("start", "0s", "20s"), new("stop", "0s", "20s"), new("monitor", "10s", "20s")];
}
