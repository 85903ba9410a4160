using StorageHa.Server.Auth;

namespace StorageHa.Server.Api;

/// <summary>POST /api/auth/token: a script signs in with a user's password and gets a token, without the login form.</summary>
public static class SignInApi
{
    public sealed record TokenSignIn(string UserName, string Password, string Name);

    public static void MapSignInApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (HttpRequest req, UserDirectory users, CancellationToken ct) =>
        {
            var signIn = await ApiJson.ReadAsync<TokenSignIn>(req);
            var (_, issued) = await users.SignInForTokenAsync(signIn.UserName, signIn.Password, signIn.Name, req.HttpContext.Connection.RemoteIpAddress, ct);
            return issued is var (token, secret)
                ? Results.Created($"/api/tokens/{token.Id}", new UsersApi.IssuedToken(token, secret))
                : Results.Problem(title: SignInRefused, statusCode: StatusCodes.Status401Unauthorized);
        }).AllowAnonymous().WithTags("Users and tokens").Accepts<TokenSignIn>("application/json")
            .Produces<UsersApi.IssuedToken>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .WithSummary("Sign in with a user name and password; the answer holds a new API token for that user (secret shown once)")
            .WithDescription($"No login needed. Every refusal is the same 401, whether the user is unknown, the password wrong or this client has failed too often ({LoginThrottle.Burst} failures at once, then one more attempt a minute per client address); no account is ever locked. Every attempt is audited. Admins list and revoke the token under /api/tokens.")
            .Example("""{"userName":"alice","password":"at least twelve characters","name":"backup-script"}""", UsersApi.IssuedTokenExample, StatusCodes.Status201Created);
    }

    /// <summary>The one answer to every failed sign-in, on the login page too: it tells no user name apart.</summary>
    public const string SignInRefused = "Wrong user name or password, or too many attempts from here: wait a minute and try again.";
}
