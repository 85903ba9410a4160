using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Inventory;
using StorageHa.TestSupport.Sshd;

namespace StorageHa.Server.Tests.Credentials;

/// <summary>
/// An operator cannot read a node's password, and must not be able to have the console hand it to a server of their
/// choosing either: a stored credential goes only where an admin bound it (address, port, SSH user, host key). Played
/// through the API against two real sshds: the node's own, and the operator's, whose log shows every password that arrives.
/// </summary>
public sealed class CredentialBindingAttackTests : IAsyncLifetime
{
    private readonly TestConsole _console = new();
    private TestSshd _node = null!;
    private TestSshd _operatorsServer = null!;
    private HttpClient _admin = null!;
    private HttpClient _operator = null!;
    private long _clusterId;
    private long _nodeId;
    private long _credentialId;

    public async Task InitializeAsync()
    {
        _node = await TestSshd.StartAsync();
        _operatorsServer = await TestSshd.StartAsync();
        _admin = await _console.ClientAsAsync(Role.Admin);
        _operator = await _console.ClientAsAsync(Role.Operator);
        // The admin's setup: the node's password as a credential, the node, its host key accepted, a probe that works.
        _credentialId = await IdOf(await _admin.PostAsJsonAsync("/api/credentials/password", new { name = "node-password", password = _node.Password }));
        _clusterId = await IdOf(await _admin.PostAsJsonAsync("/api/clusters", new { name = "nas" }));
        _nodeId = await IdOf(await _admin.PostAsJsonAsync($"/api/clusters/{_clusterId}/nodes",
            new { name = "node1", address = _node.Address, sshPort = _node.Port, sshUser = _node.User, credentialId = _credentialId }));
        await AcceptHostKeyAsync(_admin);
        Assert.Equal(HttpStatusCode.OK, (await Probe(_operator)).StatusCode);
    }

    [Fact]
    public async Task AnOperatorPointingAPasswordNodeAtItsOwnSshServer_ReceivesNoPassword()
    {
        var moved = await _operator.PutAsJsonAsync(NodeUrl,
            new { name = "node1", address = _operatorsServer.Address, sshPort = _operatorsServer.Port, sshUser = _operatorsServer.User, credentialId = _credentialId });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        await AcceptHostKeyAsync(_operator);

        Assert.True((await NodeAsync()).GetProperty("credentialAwaitsAdmin").GetBoolean());
        var refused = await Probe(_operator);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("An admin must confirm", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await _operator.PostAsync($"{NodeUrl}/confirm-credential", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _operator.PostAsJsonAsync($"{NodeUrl}/answering", new { addresses = new[] { "192.0.2.1" } })).StatusCode);
        Assert.False(_operatorsServer.PasswordArrived(), _operatorsServer.Log);

        // The same server's log does show a password that is sent: once an admin (wrongly) confirms, the credential goes.
        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsync($"{NodeUrl}/confirm-credential", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, (await Probe(_operator)).StatusCode);
        Assert.True(await _operatorsServer.PasswordArrivesAsync(TimeSpan.FromSeconds(5)), _operatorsServer.Log);
        Assert.Contains($"Failed password for {_operatorsServer.User}", _operatorsServer.Log);
    }

    [Fact]
    public async Task AnAdminsRebinding_LetsTheNodeBeProbedAgain()
    {
        // The node is really reached at a new port now (a forwarder stands for a changed NAT rule): an operator records it.
        await using var newPath = TcpForwarder.To(_node.Port);
        await _operator.PutAsJsonAsync(NodeUrl,
            new { name = "node1", address = newPath.Address, sshPort = newPath.Port, sshUser = _node.User, credentialId = _credentialId });
        await AcceptHostKeyAsync(_operator);
        Assert.Equal(HttpStatusCode.Conflict, (await Probe(_operator)).StatusCode);

        var confirmed = await _admin.PostAsync($"{NodeUrl}/confirm-credential", null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.False((await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("credentialAwaitsAdmin").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Probe(_operator)).StatusCode);
        var audit = await _admin.GetStringAsync("/api/audit?search=confirm-credential");
        Assert.Contains($"{_node.User}@{newPath.Address}:{newPath.Port}", audit);
    }

    [Fact]
    public async Task ASpecImportThatMovesAPasswordNode_IsTreatedTheSame()
    {
        var spec = JsonNode.Parse(await _operator.GetStringAsync($"/api/clusters/{_clusterId}/spec"))!;
        var node = spec["nodes"]![0]!;
        node["address"] = _operatorsServer.Address;
        node["sshPort"] = _operatorsServer.Port;
        node["sshUser"] = _operatorsServer.User;
        Assert.Equal(HttpStatusCode.OK, (await _operator.PutAsJsonAsync($"/api/clusters/{_clusterId}/spec", spec)).StatusCode);
        await AcceptHostKeyAsync(_operator);

        Assert.True((await NodeAsync()).GetProperty("credentialAwaitsAdmin").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, (await Probe(_operator)).StatusCode);
        Assert.False(_operatorsServer.PasswordArrived(), _operatorsServer.Log);
    }

    [Fact]
    public async Task AnOperatorReacceptingAChangedHostKeyAtTheSameAddress_LeavesTheCredentialUnused_TillAnAdminAcceptsIt()
    {
        await _node.RegenerateHostKeyAsync(); // a reinstall, or someone else now answering at the node's address
        var logBefore = _node.Log.Length;

        await AcceptHostKeyAsync(_operator);

        Assert.Equal(HttpStatusCode.Conflict, (await Probe(_operator)).StatusCode);
        Assert.False(_node.PasswordArrived(since: logBefore), _node.Log);
        await AcceptHostKeyAsync(_admin);
        Assert.Equal(HttpStatusCode.OK, (await Probe(_operator)).StatusCode);
    }

    private string NodeUrl => $"/api/clusters/{_clusterId}/nodes/{_nodeId}";

    private Task<HttpResponseMessage> Probe(HttpClient client) => client.PostAsync($"{NodeUrl}/probe", null);

    private async Task<JsonElement> NodeAsync() => await _operator.GetFromJsonAsync<JsonElement>(NodeUrl);

    private async Task AcceptHostKeyAsync(HttpClient client)
    {
        var offer = await client.GetFromJsonAsync<JsonElement>($"{NodeUrl}/hostkey");
        var accepted = await client.PostAsJsonAsync($"{NodeUrl}/hostkey", new { fingerprint = offer.GetProperty("fingerprint").GetString() });
        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
    }

    private static async Task<long> IdOf(HttpResponseMessage created)
    {
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _operatorsServer.DisposeAsync();
        _console.Dispose();
    }
}
