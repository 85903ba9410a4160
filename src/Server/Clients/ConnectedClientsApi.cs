using StorageHa.Server.Api;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Console;

namespace StorageHa.Server.Clients;

/// <summary>GET /api/clusters/{id}/clients (everyone) and POST …/clients/smb/disconnect (operators).</summary>
public static class ConnectedClientsApi
{
    internal const string ClientsExample = """
        {"checkedAt":"2026-12-07T00:30:00+00:00","virtualIps":["192.0.2.101"],"smbSessions":1,"nfsClients":1,
         "nodes":[{"node":"node1","smb":[{"sessionId":"3605124463","serverPid":8123,"ctdbNode":0,"user":"alice","group":"alice",
                   "clientEnd":"ipv4:192.0.2.200:41234","clientAddress":"192.0.2.200","dialect":"SMB3_11",
                   "encryption":{"cipher":"-","degree":"none","isOn":false},"signing":{"cipher":"AES-128-GMAC","degree":"partial","isOn":true},
                   "shares":[{"share":"public","treeId":"2914105523","connectedAt":"2026-12-07T00:29:58+00:00"}],
                   "serverAddress":"192.0.2.101","key":"smb 8123 ipv4:192.0.2.200:41234"}],
                   "nfs":[{"clientAddress":"192.0.2.200","versions":["4.0"],"lastActivity":"2026-12-07T00:29:59+00:00",
                   "serverAddresses":["192.0.2.101"],"key":"nfs 192.0.2.200"}],"smbProblem":null,"nfsProblem":null,"unreachable":null}]}
        """;

    public static IServiceCollection AddConnectedClients(this IServiceCollection services)
    {
        // Its own runner over the shared pool, so the readings every few seconds are audited once per node and outcome, as the monitors' reads.
        services.AddSingleton(s => new ConnectedClientsCheck(new LiveNodes(new SshRunner(s.GetRequiredService<SshConnectionPool>(),
            new MonitorAudit(s.GetRequiredService<IAuditLog>()), s.GetRequiredService<TimeProvider>()), s.GetRequiredService<TimeProvider>()),
            s.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ConnectedClientsWatch>();
        services.AddScoped<IConnectedClients, ConsoleConnectedClients>();
        return services;
    }

    public static void MapConnectedClientsApi(this IEndpointRouteBuilder app)
    {
        var cluster = app.MapGroup("/api/clusters/{id:long}/clients").RequireAuthorization().WithTags("Clusters");
        cluster.MapGet("", (long id, IConnectedClients clients, CancellationToken ct) => clients.ListAsync(id, ct))
            .Produces<ConnectedClientsReport>()
            .WithSummary("Who is connected to each node: SMB sessions (user, client, dialect, signing, encryption, shares, smbd process, CTDB node) and NFS clients (versions, last activity), each with the address it came in through (a VIP or the node's own)")
            .WithDescription($"A reading from the last {ConnectedClientsWatch.Interval.TotalSeconds * 2:0} s is answered again without asking the nodes; otherwise every node is asked now " +
                "(each reading also reaches the live dashboards, clients leaving and arriving as events). A node the console cannot ask is listed with why (unreachable); " +
                "a kind it cannot read there (Samba not installed, Ganesha not on D-Bus) with its problem.")
            .Example(response: ClientsExample);
        cluster.MapPost("/smb/disconnect", async (long id, HttpRequest req, IConnectedClients clients, CancellationToken ct) =>
                await clients.DisconnectSmbAsync(id, await ApiJson.ReadAsync<SmbSessionRef>(req), ct))
            .RequireAuthorization(Roles.Operator).Accepts<SmbSessionRef>("application/json").Produces<SmbDisconnected>()
            .WithSummary("End one SMB session: its smbd process on its node shuts down, which ends that client's connection only (audited)")
            .WithDescription("node, serverPid and clientEnd as the clients' reading gives them. 409 when that session has already ended; 502 when the node could not be asked.")
            .Example("""{"node":"node1","serverPid":8123,"clientEnd":"ipv4:192.0.2.200:41234"}""",
                """{"node":"node1","command":"sh -c '…' storageha-disconnect-smb-session 8123 ipv4:192.0.2.200:41234","summary":"Disconnect alice's SMB session from 192.0.2.200 (smbd 8123 on node1)"}""");
    }
}
