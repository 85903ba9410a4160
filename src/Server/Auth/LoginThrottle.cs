using System.Net;
using System.Net.Sockets;

namespace StorageHa.Server.Auth;

/// <summary>
/// The brake on password guessing, per client address (an IPv6 client's whole /64): a few failed sign-ins at once,
/// then one more a minute. It never looks at which user was tried, so nobody can lock another user out, and the
/// answer stays the same as for a wrong password. Memory is bounded: at most <see cref="MaxClients"/> addresses.
/// </summary>
public sealed class LoginThrottle(TimeProvider time)
{
    public const int Burst = 5;
    public static readonly TimeSpan Refill = TimeSpan.FromMinutes(1);
    public const int MaxClients = 10_000;

    private readonly Dictionary<string, Spent> _clients = [];

    public bool MayTry(IPAddress? client)
    {
        lock (_clients) return SpentNow(Key(client)) <= Burst - 1;
    }

    public int ClientsRemembered { get { lock (_clients) return _clients.Count; } }

    public void Failed(IPAddress? client)
    {
        var key = Key(client);
        lock (_clients)
        {
            var spent = SpentNow(key);
            if (!_clients.ContainsKey(key) && _clients.Count >= MaxClients) Evict();
            _clients[key] = new Spent(spent + 1, time.GetUtcNow());
        }
    }

    private double SpentNow(string key) =>
        _clients.TryGetValue(key, out var s) ? Math.Max(0, s.Attempts - (time.GetUtcNow() - s.At) / Refill) : 0;

    /// <summary>Forgets clients whose attempts have all refilled; if none has, the longest quiet one.</summary>
    private void Evict()
    {
        foreach (var key in _clients.Keys.Where(k => SpentNow(k) == 0).ToList()) _clients.Remove(key);
        if (_clients.Count >= MaxClients) _clients.Remove(_clients.MinBy(c => c.Value.At).Key);
    }

    private static string Key(IPAddress? client)
    {
        if (client is null) return "unknown";
        if (client.IsIPv4MappedToIPv6) client = client.MapToIPv4();
        if (client.AddressFamily != AddressFamily.InterNetworkV6) return client.ToString();
        var bytes = client.GetAddressBytes();
        Array.Clear(bytes, 8, 8); // one /64 is one client: a host there has billions of addresses to rotate through
        return new IPAddress(bytes) + "/64";
    }

    private readonly record struct Spent(double Attempts, DateTimeOffset At);
}
