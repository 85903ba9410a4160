namespace StorageHa.Server.Security;

/// <summary>The headers every answer carries, error pages included (set as the response starts, after any handler).</summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>
    /// Scripts only from the console itself (Blazor and MudBlazor need no inline script or eval); inline styles stay,
    /// as MudBlazor sets style attributes; the circuit's WebSocket is 'self'. No framing anywhere.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on its own form posts.
            headers["Referrer-Policy"] = "same-origin";
            // Answers holding inventory, tokens or forms stay out of every cache.
            if (IsPrivate(context.Request.Path)) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsPrivate(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/account");
}
