using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace StorageHa.Server.Auth;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // Logout is a POST with an antiforgery token, so a link on another site cannot sign the admin out.
        app.MapPost("/account/logout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            // A form without the token (another site's, or a stale page's) is a bad request, not a server error.
            if (!await antiforgery.IsRequestValidAsync(context))
                return Results.Problem(title: "The sign-out form is stale or foreign: reload the page and sign out again.", statusCode: StatusCodes.Status400BadRequest);
            // Ends the server-side session too: a copy of the cookie is refused from now on.
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/account/login");
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
    }

    /// <summary>Only local paths: a login link must not bounce the admin to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/";
}
