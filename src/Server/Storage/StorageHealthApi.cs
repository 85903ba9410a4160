using StorageHa.Server.Api;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Console;
using StorageHa.Shared.Storage;

namespace StorageHa.Server.Storage;

/// <summary>GET /api/clusters/{id}/storage/health: the cluster filesystem on every node and, for GlusterFS, its volume's bricks and heals (everyone).</summary>
public static class StorageHealthApi
{
    internal const string HealthExample = """
        {"checkedAt":"2026-12-06T14:00:00+00:00","mountPoint":"/srv/data","mounting":"ByCluster","fsType":"glusterfs","level":"Warning",
         "reasons":["volume vol: 1 of 3 bricks offline (n3:/srv/brick/vol: its brick process does not run)"],
         "nodes":[{"node":"n1","mount":{"source":"localhost:/vol","mountPoint":"/srv/data","fsType":"fuse.glusterfs"},"mountProblem":null,
                   "sizeBytes":105088212992,"freeBytes":52544106496,"inodes":6520832,"freeInodes":6400000,"writable":true,"writeProblem":null,
                   "unreachable":null,"mounted":true,"level":"Healthy","summary":"mounted, writable"}],
         "volume":{"volume":"vol","askedNode":"n1","status":"Started","type":"Replicate","healProblem":null,"offlineBricks":1,"pendingHeals":0,"level":"Warning",
                   "bricks":[{"name":"n1:/srv/brick/vol","online":true,"offline":null,"pendingHeals":0},
                             {"name":"n3:/srv/brick/vol","online":false,"offline":"its brick process does not run","pendingHeals":null}]}}
        """;

    public static IServiceCollection AddStorageHealth(this IServiceCollection services)
    {
        // Its own runner over the shared pool, so the checks every few seconds are audited once per node and outcome, as the monitors' reads.
        services.AddSingleton(s => new StorageHealthCheck(new LiveNodes(new SshRunner(s.GetRequiredService<SshConnectionPool>(),
            new MonitorAudit(s.GetRequiredService<IAuditLog>()), s.GetRequiredService<TimeProvider>()), s.GetRequiredService<TimeProvider>()),
            s.GetRequiredService<TimeProvider>()));
        services.AddSingleton<StorageHealthWatch>();
        services.AddScoped<IStorageHealth, ConsoleStorageHealth>();
        return services;
    }

    public static void MapStorageHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clusters/{id:long}/storage/health", (long id, IStorageHealth health, CancellationToken ct) => health.CheckAsync(id, ct))
            .RequireAuthorization().WithTags("Clusters").Produces<StorageHealthReport>()
            .WithSummary("The cluster filesystem on every node (mounted, free space and inodes, writable) and, for GlusterFS, its bricks and pending heals")
            .WithDescription($"A report checked within the last {StorageHealthWatch.Interval.TotalSeconds * 2:0} s is answered again without asking the nodes; " +
                "otherwise the nodes are checked now (each check also reaches the live dashboards, its changes as events). " +
                "404 for a cluster that declares no cluster filesystem. The level: Healthy; Warning (a brick offline, entries to heal, low space, a node not answering); " +
                "Error (a node without the mount, or not writable, with the reason).")
            .Example(response: HealthExample);
    }
}
