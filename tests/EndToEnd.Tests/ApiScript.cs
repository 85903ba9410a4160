using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using StorageHa.TestSupport.Lab;

namespace StorageHa.EndToEnd.Tests;

/// <summary>
/// What an admin's automation does with the console's HTTP API, and nothing else: sign in for a token, add the lab's
/// key, add nodes with their host keys compared to the lab's record, probe them, follow jobs. Every call asserts its
/// status, so a test reads as the script it is.
/// </summary>
public sealed class ApiScript(HttpClient api)
{
    public static readonly TimeSpan JobLimit = TimeSpan.FromMinutes(8);

    public static async Task<ApiScript> SignInAsync(RunningConsole console, string adminPassword)
    {
        var api = console.NewHttpClient();
        api.Timeout = TimeSpan.FromMinutes(3);
        var script = new ApiScript(api);
        var token = await script.SendAsync(HttpMethod.Post, "/api/auth/token", new { userName = "admin", password = adminPassword, name = "e2e-script" }, HttpStatusCode.Created);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("secret").GetString());
        return script;
    }

    /// <summary>Adds the lab's client key as a credential; its id.</summary>
    public async Task<long> AddLabKeyAsync(LabDescription lab) =>
        (await SendAsync(HttpMethod.Post, "/api/credentials/private-key",
            new { name = "lab-key", privateKey = await File.ReadAllTextAsync(lab.Ssh.ClientKey) }, HttpStatusCode.Created)).GetProperty("id").GetInt64();

    /// <summary>Adds a node logging in as <paramref name="user"/>, pins its host key after comparing it with the lab's record, and probes it: its facts.</summary>
    public async Task<(long Id, JsonElement Facts)> AddNodeAsync(long cluster, LabNode node, string user, long keyId)
    {
        var added = await SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/nodes",
            new { name = node.Name, address = node.Address, sshPort = node.SshPort, sshUser = user, credentialId = keyId }, HttpStatusCode.Created);
        var nodeId = added.GetProperty("id").GetInt64();
        var offered = (await SendAsync(HttpMethod.Get, $"/api/clusters/{cluster}/nodes/{nodeId}/hostkey")).GetProperty("fingerprint").GetString();
        Xunit.Assert.Equal(node.HostKeyFingerprint, offered); // the script's comparison, as an admin's
        await SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/nodes/{nodeId}/hostkey", new { fingerprint = offered }, HttpStatusCode.NoContent);
        return (nodeId, await ProbeAsync(cluster, nodeId));
    }

    public Task<JsonElement> ProbeAsync(long cluster, long nodeId) => SendAsync(HttpMethod.Post, $"/api/clusters/{cluster}/nodes/{nodeId}/probe");

    /// <summary>Starts a job (POST, with <paramref name="body"/> if any, that answers 202 with it) and follows it to its end.</summary>
    public async Task<JsonElement> RunJobAsync(string path, object? body = null)
    {
        var job = await SendAsync(HttpMethod.Post, path, body, HttpStatusCode.Accepted);
        return await UntilEndedAsync(job.GetProperty("id").GetInt64());
    }

    public async Task<JsonElement> UntilEndedAsync(long jobId)
    {
        var deadline = DateTime.UtcNow + JobLimit;
        while (true)
        {
            var job = await SendAsync(HttpMethod.Get, $"/api/jobs/{jobId}");
            if (job.GetProperty("state").GetString() != "Running" || DateTime.UtcNow > deadline) return job;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>
    /// Asserts that <paramref name="job"/> succeeded; when not, the message names its failure and every step that did not
    /// finish, with what each node printed, first: a job's whole JSON is too long for a CI log's excerpt.
    /// </summary>
    public static void AssertSucceeded(JsonElement job)
    {
        if (job.GetProperty("state").GetString() == "Succeeded") return;
        var unfinished = job.GetProperty("steps").EnumerateArray()
            .Where(s => s.GetProperty("state").GetString() is "Failed" or "Running" or "Cancelled")
            .Select(s => $"step {s.GetProperty("id").GetString()} {s.GetProperty("state").GetString()}: " + string.Join(" | ",
                s.GetProperty("runs").EnumerateArray().Select(r => $"{r.GetProperty("node").GetString()} {r.GetProperty("state").GetString()} {r.GetProperty("output").GetString()}")));
        var failure = job.TryGetProperty("failure", out var f) ? f.ToString() : "";
        Xunit.Assert.Fail($"job {job.GetProperty("state").GetString()}: {failure}\n{string.Join("\n", unfinished)}\n\nthe whole job: {job}");
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Xunit.Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
