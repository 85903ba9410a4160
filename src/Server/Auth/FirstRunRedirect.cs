namespace StorageHa.Server.Auth;

/// <summary>Until the first admin exists, every page leads to the first-run setup (there is no default password).</summary>
public sealed class FirstRunRedirect(RequestDelegate next)
{
    private volatile bool _hasUsers;

    public async Task InvokeAsync(HttpContext context, UserDirectory users)
    {
        if (!_hasUsers && !IsExempt(context.Request.Path))
        {
            _hasUsers = await users.HasAnyUserAsync(context.RequestAborted);
            if (!_hasUsers)
            {
                if (AuthSetup.IsMachineRequest(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    await context.Response.WriteAsync("StorageHa is not set up yet: open the console in a browser to create the administrator.");
                    return;
                }
                context.Response.Redirect("/account/setup");
                return;
            }
        }
        await next(context);
    }

    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/account/setup") || path.StartsWithSegments("/healthz")
        || path.StartsWithSegments("/_framework") || path.StartsWithSegments("/_content") || Path.HasExtension(path.Value);
}
