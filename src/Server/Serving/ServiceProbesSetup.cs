using StorageHa.Server.Monitoring;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Serving;

/// <summary>The service probes, composed: settings checked at start, the probes, the clients' outage of each failover, their API.</summary>
public static class ServiceProbesSetup
{
    public static IServiceCollection AddServiceProbes(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(ServiceProbeOptions.From(config));
        services.AddSingleton<ClientOutageRecorder>();
        services.AddSingleton<ServiceProbes>();
        services.AddHostedService(s => s.GetRequiredService<ServiceProbes>());
        return services;
    }

    public static void MapServiceProbesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/clusters/{id:long}/serving", (long id, ServiceProbes probes) =>
            probes.Of(id) is { } cluster
                ? Results.Json(new ServingView(cluster.Current, [.. cluster.Targets.Select(t => cluster.Series(t.Vip, t.Service)).Where(s => s.Count > 0)]), StateJson.Options)
                : throw new KeyNotFoundException($"The console probes no VIP of a cluster with id {id}."))
            .RequireAuthorization().WithTags("StorageHa")
            .WithSummary("Each VIP's SMB and NFS service as the console's probes see it: served or not now, and each one's transitions");
    }

    /// <param name="Current">Each VIP service's state now.</param>
    /// <param name="Series">Each VIP service's transitions, oldest first.</param>
    public sealed record ServingView(IReadOnlyList<ServiceTransition> Current, IReadOnlyList<IReadOnlyList<ServiceTransition>> Series);
}
