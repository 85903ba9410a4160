using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace StorageHa.EndToEnd.Tests;

/// <summary>The real console process (Kestrel) holds every request body to the API's 16 MB, however it is sent.</summary>
public sealed class RequestLimitTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task A17MbBody_IsA413_EvenWhenItsLengthIsNotDeclared()
    {
        await using var console = await RunningConsole.StartAsync(Password);
        using var http = console.NewHttpClient();
        var signIn = await http.PostAsJsonAsync("/api/auth/token", new { userName = "admin", password = Password, name = "limit-test" });
        var secret = (await signIn.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        // Chunked: Kestrel itself must stop it as it arrives; the JSON is a valid start, so only its size is wrong.
        var json = "{\"name\":\"nas1\",\"description\":\"" + new string('a', 17 * 1024 * 1024) + "\"}";
        var body = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/clusters") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await (await http.GetAsync("/api/clusters")).Content.ReadFromJsonAsync<JsonElement[]>() ?? []);
    }
}
