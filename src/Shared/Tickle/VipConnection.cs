using System.Net;

namespace StorageHa.Shared.Tickle;

/// <summary>A client's established TCP connection to a VIP: the VIP's end (address and service port) and the client's end.</summary>
public sealed record VipConnection(IPEndPoint Vip, IPEndPoint Client)
{
    /// <summary>The same connection with IPv4-mapped IPv6 addresses (<c>::ffff:a.b.c.d</c>) written as plain IPv4.</summary>
    public VipConnection Normalised() => new(Endpoints.Normalise(Vip), Endpoints.Normalise(Client));
}

/// <summary>Addresses the way every list and comparison in tickle handling writes them.</summary>
public static class Endpoints
{
    // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; the VIP and the tickle are plain IPv4.
    public static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static IPEndPoint Normalise(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    /// <summary>The canonical text of an address (IPv6 compressed, lower case), used as the list file's name.</summary>
    public static string Canonical(IPAddress address) => Normalise(address).ToString();
}
