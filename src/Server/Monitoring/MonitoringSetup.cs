using StorageHa.Shared.Console;
using StorageHa.Server.Api;
using StorageHa.Server.Hubs;
using StorageHa.Server.Deployment;
using StorageHa.Server.Ssh;

namespace StorageHa.Server.Monitoring;

/// <summary>The watch over the clusters, composed: monitors, feeds, history, the hub and the state API.</summary>
public static class MonitoringSetup
{
    public static IServiceCollection AddClusterMonitoring(this IServiceCollection services, IConfiguration? config = null)
    {
        services.AddSingleton(MonitorOptions.From(config));
        services.AddSingleton<ClusterFeeds>();
        services.AddSingleton<IClusterStateStream>(s => s.GetRequiredService<ClusterFeeds>());
        services.AddSingleton<ClusterHistoryStore>();
        services.AddSingleton<IClusterHistory>(s => s.GetRequiredService<ClusterHistoryStore>());
        services.AddSingleton<IMonitoredClusters, InventoryClusters>();
        // Its own runner over the shared pool, so the twice-a-second reads are audited once per node, not each time.
        services.AddSingleton(s => new MonitorSsh(new SshRunner(s.GetRequiredService<SshConnectionPool>(),
            new MonitorAudit(s.GetRequiredService<IAuditLog>()), s.GetRequiredService<TimeProvider>())));
        services.AddSingleton(s => new CrmMonReader(s.GetRequiredService<MonitorSsh>().Runner, s.GetRequiredService<TimeProvider>()));
        // Its watches go through the same runner: audited once per start, over the same pooled connection.
        services.AddSingleton(s => new StateWatch(s.GetRequiredService<MonitorSsh>().Runner, s.GetRequiredService<MonitorOptions>(),
            s.GetRequiredService<NodeHelperSettings>().Layout, s.GetRequiredService<TimeProvider>()));
        services.AddHostedService<MonitorService>();
        services.AddSignalR().AddJsonProtocol(o => StateJson.Configure(o.PayloadSerializerOptions));
        services.AddHostedService<ClusterHubRelay>();
        return services;
    }

    /// <summary>The monitors' own runner over the shared pool (its audit keeps the first of a run of reads).</summary>
    private sealed record MonitorSsh(SshRunner Runner);

    public static void MapClusterMonitoring(this IEndpointRouteBuilder app)
    {
        app.MapHub<ClusterHub>(ClusterHub.Path);
        app.MapStateApi();
    }
}
