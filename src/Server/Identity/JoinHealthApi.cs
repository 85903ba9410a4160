using StorageHa.Server.Api;
using StorageHa.Shared.Console;
using StorageHa.Shared.Identity;

namespace StorageHa.Server.Identity;

/// <summary>GET /api/clusters/{id}/identity/health: each node's domain join, as net ads testjoin and wbinfo -t say (everyone).</summary>
public static class JoinHealthApi
{
    internal const string HealthExample = """
        {"checkedAt":"2026-12-06T10:00:00+00:00","mode":"ActiveDirectory","realm":"LAB.TEST","healthy":false,
         "nodes":[{"node":"node1","joined":true,"joinMessage":null,"trustOk":true,"trustMessage":null,"unreachable":null,"healthy":true,"summary":"joined"},
                  {"node":"node2","joined":true,"joinMessage":null,"trustOk":false,"trustMessage":"failed to call wbcCheckTrustCredentials: WBC_ERR_WINBIND_NOT_AVAILABLE","unreachable":null,"healthy":false,
                   "summary":"joined, trust failing (failed to call wbcCheckTrustCredentials: WBC_ERR_WINBIND_NOT_AVAILABLE)"},
                  {"node":"node3","joined":false,"joinMessage":"The name provided is not a properly formed account name.","trustOk":false,
                   "trustMessage":"error code was NT_STATUS_NO_TRUST_SAM_ACCOUNT (0xc000018b)","unreachable":null,"healthy":false,
                   "summary":"not joined (The name provided is not a properly formed account name.)"}]}
        """;

    public static IServiceCollection AddJoinHealth(this IServiceCollection services)
    {
        services.AddSingleton<JoinHealthCheck>();
        services.AddSingleton<JoinHealthReports>();
        services.AddScoped<IJoinHealth, ConsoleJoinHealth>();
        return services;
    }

    public static void MapJoinHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clusters/{id:long}/identity/health", (long id, IJoinHealth health, CancellationToken ct) => health.CheckAsync(id, ct))
            .RequireAuthorization().WithTags("Clusters").Produces<JoinHealthReport>()
            .WithSummary("Each node's Active Directory join: net ads testjoin and wbinfo -t on every node, with the tools' own words when not healthy")
            .WithDescription($"A report checked within the last {JoinHealthReports.Reuse.TotalSeconds:0} s is answered again without asking the nodes. " +
                "A cluster that joins no domain answers its identity mode and no nodes; nothing runs.")
            .Example(response: HealthExample);
    }
}
