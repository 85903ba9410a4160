using System.Globalization;
using StorageHa.Server.Auth;

namespace StorageHa.Server.Api;

/// <summary>POST /api/auth/token: a script signs in with a user's password and gets a token, without the login form.</summary>
public static class SignInApi
{
    public sealed record TokenSignIn(string UserName, string Password, string Name);

    public static void MapSignInApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (HttpRequest req, UserDirectory users, TimeProvider time, CancellationToken ct) =>
        {
            var signIn = await ApiJson.ReadAsync<TokenSignIn>(req);
            var (result, issued) = await users.SignInForTokenAsync(signIn.UserName, signIn.Password, signIn.Name, ct);
            if (issued is var (token, secret))
                return Results.Created($"/api/tokens/{token.Id}", new UsersApi.IssuedToken(token, secret));
            if (result.Outcome == SignInOutcome.LockedOut && result.LockedUntil is { } until)
            {
                // The login page's lockout, said as HTTP says it.
                req.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Results.Problem(title: "Too many failed attempts: this account is locked for a while.", statusCode: StatusCodes.Status429TooManyRequests);
            }
            return Results.Problem(title: "Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized);
        }).AllowAnonymous().WithTags("Users and tokens").Accepts<TokenSignIn>("application/json")
            .Produces<UsersApi.IssuedToken>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Sign in with a user name and password; the answer holds a new API token for that user (secret shown once)")
            .WithDescription($"No login needed. Wrong credentials are 401 without saying which part was wrong; {UserDirectory.MaxFailedLogins} wrong passwords in a row lock the account for {UserDirectory.LockoutDuration.TotalMinutes} minutes (429 with Retry-After), as on the login page. Every attempt is audited. Admins list and revoke the token under /api/tokens.")
            .Example("""{"userName":"alice","password":"at least twelve characters","name":"backup-script"}""", UsersApi.IssuedTokenExample, StatusCodes.Status201Created);
    }
}
