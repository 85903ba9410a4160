using StorageHa.Server.Auth;

namespace StorageHa.Server.Security;

/// <summary>
/// Refuses (403) a state-changing request (POST, PUT, PATCH, DELETE, with or without a body) and any hub or Blazor
/// connection whose Origin, or failing that Referer, is not this console (other host, port or scheme; "null" too).
/// Scripts send neither and still work; a browser carrying the session cookie always says where it comes from, so a
/// cookie request that says nothing is refused. SameSite=Strict alone lets sibling ports and subdomains through.
/// </summary>
public sealed class OriginCheck(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (Refusal(context.Request) is { } why)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync(why);
            return;
        }
        await next(context);
    }

    private static string? Refusal(HttpRequest request)
    {
        var changes = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        var live = request.Headers.Upgrade.Count > 0 || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor");
        if (!changes && !live) return null;
        if (request.Headers.Origin.ToString() is { Length: > 0 } origin)
            return IsThisConsole(origin, request) ? null : "Refused: the request comes from another site (Origin).";
        if (request.Headers.Referer.ToString() is { Length: > 0 } referer)
            return IsThisConsole(referer, request) ? null : "Refused: the request comes from another site (Referer).";
        var cookie = request.Cookies.ContainsKey(AuthSetup.CookieName) && !AuthSetup.HasBearerToken(request);
        return changes && cookie ? "Refused: a signed-in browser request must say where it comes from (Origin)." : null;
    }

    /// <summary>Same scheme, host and port as the request (as the proxy forwarded it, when one is configured).</summary>
    private static bool IsThisConsole(string url, HttpRequest request) =>
        Uri.TryCreate(url, UriKind.Absolute, out var from)
        && string.Equals(from.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(from.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
        && from.Port == (request.Host.Port ?? (request.IsHttps ? 443 : 80));
}
