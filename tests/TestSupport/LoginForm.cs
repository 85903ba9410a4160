using System.Net;
using System.Text.RegularExpressions;

namespace StorageHa.TestSupport;

/// <summary>The console's login form as a browser posts it: with the page's antiforgery token, from the client's cookie jar.</summary>
public static partial class LoginForm
{
    /// <summary>A client that behaves like a browser on <paramref name="console"/>: keeps cookies, says its Origin, follows no redirect.</summary>
    public static HttpClient Browser(Uri console, HttpMessageHandler? handler = null)
    {
        var client = new HttpClient(handler ?? new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = console,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Add("Origin", console.GetLeftPart(UriPartial.Authority));
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string userName, string password)
    {
        var token = await AntiforgeryTokenAsync(browser, "/account/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        return await browser.PostAsync("/account/login", form);
    }

    /// <summary>Signs out as the page's button does, with the token from a page.</summary>
    public static async Task<HttpResponseMessage> SignOutAsync(HttpClient browser)
    {
        var token = await AntiforgeryTokenAsync(browser, "/account/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        return await browser.PostAsync("/account/logout", form);
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient browser, string page) => AntiforgeryToken(await browser.GetStringAsync(page));

    /// <summary>The antiforgery token in a page's form.</summary>
    public static string AntiforgeryToken(string html)
    {
        var match = TokenField().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"The page has no antiforgery token:\n{html}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
