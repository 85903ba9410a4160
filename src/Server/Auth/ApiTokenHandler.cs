using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace StorageHa.Server.Auth;

/// <summary>Authenticates API clients by personal token: <c>Authorization: Bearer sha_…</c>.</summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, UserDirectory users)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthSetup.HasBearerToken(Request)) return AuthenticateResult.NoResult();
        var header = Request.Headers.Authorization.ToString();
        var principal = await users.AuthenticateTokenAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("Unknown or revoked API token.")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }
}
