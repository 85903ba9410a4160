using System.Net;
using System.Net.Sockets;
using StorageHa.Shared.Tickle;

namespace StorageHa.NodeHelper.Tickle;

/// <summary>The established connections to a VIP, as this node's kernel lists them in /proc/net/tcp and /proc/net/tcp6.</summary>
internal static class KernelConnections
{
    public static List<VipConnection> To(IPAddress vip, IReadOnlySet<int> ports)
    {
        var found = new List<VipConnection>();
        // An IPv4 VIP also shows up in tcp6, as ::ffff:a.b.c.d, when the service listens dual-stack.
        if (vip.AddressFamily == AddressFamily.InterNetwork) found.AddRange(ConnectionTable.ConnectionsTo(Read("/proc/net/tcp"), vip, ports));
        found.AddRange(ConnectionTable.ConnectionsTo(Read("/proc/net/tcp6"), vip, ports));
        return found;
    }

    private static string Read(string table)
    {
        try
        {
            return File.ReadAllText(table);
        }
        catch (FileNotFoundException)
        {
            return ""; // IPv6 disabled on this node
        }
    }
}
