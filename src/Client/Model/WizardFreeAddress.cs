using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Probe;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Client.Model;

/// <summary>
/// Proposes a VIP address: the highest address of the first node's IPv4 subnet that no node holds (by inventory or probe) and no
/// VIP uses, nor <c>alsoTaken</c> (what a node found answering). Whether anything answers is the nodes' to ask.
/// </summary>
public static class WizardFreeAddress
{
    public static (string Address, int Prefix)? Propose(ClusterSpec spec, IReadOnlyDictionary<string, NodeFacts> facts, IEnumerable<string>? alsoTaken = null)
    {
        var node = spec.Nodes.FirstOrDefault(n => IPAddress.TryParse(n.Address, out var a) && a.AddressFamily == AddressFamily.InterNetwork);
        if (node is null || PlanCheck.NodePrefix(node, facts.GetValueOrDefault(node.Name)) is not { } prefix || prefix is < 8 or > 30) return null;
        var taken = spec.Nodes.Select(n => n.Address)
            .Concat(spec.VirtualIps.Select(v => v.Address))
            .Concat(facts.Values.SelectMany(f => f.Interfaces).SelectMany(i => i.Addresses).Select(a => a.Split('/')[0]))
            .Concat(alsoTaken ?? [])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var start = ToNumber(IPAddress.Parse(node.Address));
        var size = 1u << (32 - prefix);
        var network = start & ~(size - 1);
        for (var candidate = network + size - 2; candidate > network; candidate--)
        {
            var address = ToAddress(candidate).ToString();
            if (!taken.Contains(address)) return (address, prefix);
        }
        return null;
    }

    private static uint ToNumber(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static IPAddress ToAddress(uint n) => new([(byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n]);
}
