using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;

namespace StorageHa.Server.Security;

/// <summary>
/// StorageHa:BehindProxy = true when a TLS proxy stands in front of the console: the session cookie is then always
/// Secure, and X-Forwarded-For/-Proto/-Host are believed, but only from StorageHa:KnownProxies (comma-separated
/// addresses; loopback when unset). Off, forwarded headers are ignored and the cookie is Secure on HTTPS only.
/// </summary>
public sealed record BehindProxy(bool Enabled, IReadOnlyList<IPAddress> Proxies)
{
    public static BehindProxy From(IConfiguration config)
    {
        var enabled = config.GetValue("StorageHa:BehindProxy", false);
        var listed = config["StorageHa:KnownProxies"] is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : config.GetSection("StorageHa:KnownProxies").GetChildren().Select(c => c.Value!).Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
        var proxies = listed.Length == 0 ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : listed.Select(a => IPAddress.TryParse(a, out var ip) ? ip
                : throw new InvalidOperationException($"StorageHa:KnownProxies: '{a}' is not an IP address.")).ToArray();
        return new BehindProxy(enabled, proxies);
    }

    public CookieSecurePolicy CookieSecurePolicy => Enabled ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>Believes the forwarded headers of the configured proxies only, so nobody else can pose as HTTPS or as another client.</summary>
    public void Configure(ForwardedHeadersOptions o)
    {
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        o.KnownIPNetworks.Clear();
        o.KnownProxies.Clear();
        foreach (var proxy in Proxies) o.KnownProxies.Add(proxy);
    }
}
