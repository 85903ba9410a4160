using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Tests.Api;

/// <summary>
/// Secrets go in through the API and never come out: not in any answer (a token's secret only in the answer that
/// creates it), not in the audit log, not in the console's log at any level, not in clear in the SQLite file or its WAL.
/// </summary>
public sealed class SecretsNeverShownTests : IDisposable
{
    private readonly TestConsole _console = new();
    private readonly List<string> _answers = [];

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task Secrets_GivenToTheApi_AppearNowhere()
    {
        var admin = await _console.ClientAsAsync(Role.Admin);
        var passphrase = "pp-" + Guid.NewGuid().ToString("N");
        var privateKey = await NewKeyAsync(passphrase);
        var nodePassword = "node-pw-" + Guid.NewGuid().ToString("N");
        var userPassword = "user-pw-" + Guid.NewGuid().ToString("N");
        var newUserPassword = "user-pw2-" + Guid.NewGuid().ToString("N");
        var wrongPassphrase = "wrong-pp-" + Guid.NewGuid().ToString("N");

        Assert.Equal(HttpStatusCode.BadRequest, (await Post(admin, "/api/credentials/private-key", new { name = "bad", privateKey, passphrase = wrongPassphrase })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(admin, "/api/credentials/private-key", new { name = "ops-key", privateKey, passphrase })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(admin, "/api/credentials/password", new { name = "lab-root", password = nodePassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(admin, "/api/credentials/generate-key", new { name = "nas1-key" })).StatusCode);
        var user = await (await Post(admin, "/api/users", new { userName = "alice", password = userPassword, role = "Operator" })).Content.ReadFromJsonAsync<JsonElement>();
        var userId = user.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, HttpMethod.Put, $"/api/users/{userId}/password", new { password = newUserPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(Anonymous(), "/api/auth/token", new { userName = "alice", password = userPassword, name = "old" })).StatusCode);
        var signedIn = await SecretOf(await Post(Anonymous(), "/api/auth/token", new { userName = "alice", password = newUserPassword, name = "script" }));
        var created = await SecretOf(await Post(admin, "/api/tokens", new { userId, name = "backup" }));
        var tokenAnswers = _answers.Count;

        foreach (var read in new[] { "/api/credentials", "/api/users", "/api/tokens", "/api/audit?take=1000", "/openapi/v1.json" })
            _answers.Add(await admin.GetStringAsync(read));

        var secrets = new[] { passphrase, nodePassword, userPassword, newUserPassword, wrongPassphrase }
            .Concat(KeyLines(privateKey)).ToList();
        var everywhere = new Dictionary<string, string>
        {
            ["answers"] = string.Join('\n', _answers),
            ["log"] = _console.Log.Text,
            ["database"] = _console.DatabaseText(),
            ["wal"] = _console.DatabaseText("-wal"),
        };
        foreach (var (place, text) in everywhere)
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret is in the {place}");
        foreach (var token in new[] { signedIn, created })
        {
            Assert.Single(_answers.Take(tokenAnswers), a => a.Contains(token, StringComparison.Ordinal));
            foreach (var (place, text) in everywhere.Where(p => p.Key != "answers"))
                Assert.False(text.Contains(token, StringComparison.Ordinal), $"a token secret is in the {place}");
            Assert.DoesNotContain(_answers.Skip(tokenAnswers), a => a.Contains(token, StringComparison.Ordinal));
        }
        Assert.NotEmpty(everywhere["wal"] + everywhere["database"]);
    }

    private HttpClient Anonymous() => _console.Anonymous();

    private Task<HttpResponseMessage> Post(HttpClient client, string url, object body) => Send(client, HttpMethod.Post, url, body);

    private async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, object body)
    {
        var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) });
        _answers.Add(await response.Content.ReadAsStringAsync());
        return response;
    }

    private static async Task<string> SecretOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
    }

    // The key's body, line by line: any of them in clear would be the key.
    private static IEnumerable<string> KeyLines(string privateKey) =>
        privateKey.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal));

    private async Task<string> NewKeyAsync(string passphrase)
    {
        var path = Path.Combine(_console.DataDir, "client-key");
        var info = new ProcessStartInfo("ssh-keygen") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-q", "-t", "ed25519", "-N", passphrase, "-C", "secrets-test", "-f", path }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        var key = await File.ReadAllTextAsync(path);
        File.Delete(path);
        return key;
    }
}
