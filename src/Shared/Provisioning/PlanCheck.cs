using System.Net;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// What a spec must also be before it can be built: everything <see cref="ClusterSpec.Validate"/> finds, plus what
/// provisioning needs (shared state, a fencing decision, VIPs on the nodes' subnets, enough nodes for SMB).
/// Every error is listed, by field; nothing runs until there are none.
/// </summary>
public static class PlanCheck
{
    public static IReadOnlyList<ValidationError> Check(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts> facts)
    {
        var errors = spec.Validate().ToList();
        var smb = spec.Purpose is ClusterPurpose.Smb or ClusterPurpose.Both;
        var nfs = spec.Purpose is ClusterPurpose.Nfs or ClusterPurpose.Both;

        if (spec.Nodes.Count == 0) errors.Add(new("nodes", "a cluster needs at least one node"));
        if (smb && spec.Nodes.Count == 1)
            errors.Add(new("nodes", "SMB on one node is not highly available: there is no other node for CTDB to move the clients' " +
                "sessions and virtual IPs to when it fails; add a second node, or make this an NFS-only cluster"));
        if (smb && spec.Name.Length > 15)
            errors.Add(new("name", "Samba uses the cluster name as its NetBIOS name, which is at most 15 characters"));
        if (smb && spec.SharedState?.RecoveryLock is null)
            errors.Add(new("sharedState.recoveryLock", "SMB needs CTDB's recovery lock on the shared file system (e.g. /srv/cluster-state/ctdb/reclock)"));
        if (nfs && spec.SharedState?.GaneshaState is null)
            errors.Add(new("sharedState.ganeshaState", "NFS needs a directory on the shared file system for NFSv4 recovery state (e.g. /srv/cluster-state/ganesha)"));
        if (smb && spec.Shares.Count == 0 && spec.Purpose == ClusterPurpose.Smb)
            errors.Add(new("shares", "an SMB cluster needs at least one share"));
        if (nfs && spec.Exports.Count == 0 && spec.Purpose == ClusterPurpose.Nfs)
            errors.Add(new("exports", "an NFS cluster needs at least one export"));
        if (spec.Fencing.Devices.Count == 0 && !spec.Fencing.NoFencingAcknowledged)
            errors.Add(new("fencing", "add a fence device, or acknowledge running without fencing (unsafe for production: a hung node keeps its virtual IPs)"));
        if (spec.Fencing.Devices.Count > 0 && spec.Fencing.NoFencingAcknowledged)
            errors.Add(new("fencing.noFencingAcknowledged", "there are fence devices: remove them or this acknowledgement"));

        for (var i = 0; i < spec.Nodes.Count; i++)
            if (smb && InputRules.IpAddress(spec.Nodes[i].Address) is not null && InputRules.HostAddress(spec.Nodes[i].Address) is null)
                errors.Add(new($"nodes[{i}].address", "CTDB lists nodes by IP address: give this node's address, not its host name"));

        CheckVirtualIps(spec, facts, errors);
        // Spec fields that already failed their own rule are reported once.
        return errors.DistinctBy(e => (e.Field, e.Message)).ToList();
    }

    /// <summary>Shares anyone may write to without an account: allowed (a drop box), but said with the plan.</summary>
    public static IEnumerable<string> GuestWrites(ClusterSpec spec) =>
        spec.Shares.Where(s => s.GuestOk && !s.ReadOnly)
            .Select(s => $"Share {s.Name} lets guests write: anyone who reaches a virtual IP can change or delete the files in {s.Path}, without an account.");

    private static void CheckVirtualIps(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts> facts, List<ValidationError> errors)
    {
        var networks = spec.Nodes.Where(n => IPAddress.TryParse(n.Address, out _))
            .Select(n => (Node: n, Address: IPAddress.Parse(n.Address), Prefix: NodePrefix(n, facts.GetValueOrDefault(n.Name))))
            .ToList();
        for (var i = 0; i < spec.VirtualIps.Count; i++)
        {
            var vip = spec.VirtualIps[i];
            if (!IPAddress.TryParse(vip.Address, out var address) || InputRules.IpAddress(vip.Address) is not null) continue;
            var family = networks.Where(n => n.Address.AddressFamily == address.AddressFamily).ToList();
            if (networks.Count > 0 && !family.Any(n => SameSubnet(address, n.Address, n.Prefix ?? vip.Prefix)))
                errors.Add(new($"virtualIps[{i}].address",
                    $"{vip.Address} is outside every node's subnet ({string.Join(", ", networks.Select(n => $"{n.Address}/{n.Prefix ?? vip.Prefix}"))}): no node could bring it up"));
        }
    }

    /// <summary>The node address's prefix: from the probe (the interface holding the address), else the spec's, else unknown.</summary>
    public static int? NodePrefix(NodeSpec node, NodeFacts? facts)
    {
        var found = facts?.Interfaces.SelectMany(i => i.Addresses)
            .Select(a => a.Split('/'))
            .FirstOrDefault(a => a.Length == 2 && IPAddress.TryParse(a[0], out var ip) && IPAddress.TryParse(node.Address, out var own) && ip.Equals(own));
        return found is not null && int.TryParse(found[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p)
            ? p : node.Prefix;
    }

    public static bool SameSubnet(IPAddress a, IPAddress b, int prefix)
    {
        if (a.AddressFamily != b.AddressFamily) return false;
        var x = a.GetAddressBytes();
        var y = b.GetAddressBytes();
        var bits = Math.Clamp(prefix, 0, x.Length * 8);
        for (var i = 0; i < x.Length; i++, bits -= 8)
        {
            if (bits <= 0) return true;
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((x[i] & mask) != (y[i] & mask)) return false;
        }
        return true;
    }
}
