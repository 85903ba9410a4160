using StorageHa.Shared.Console;
using StorageHa.Server.Monitoring;

namespace StorageHa.Server.Api;

/// <summary>GET /api/clusters/{id}/state, /events?since=, /failovers: what the monitor knows, for scripts and other tools.</summary>
public static class StateApi
{
    public static void MapStateApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/clusters/{id:long}").RequireAuthorization().WithTags("StorageHa");

        // The snapshot: the monitor's status, the parsed crm_mon state, the failover under way and the recent ones.
        api.MapGet("/state", (long id, ClusterFeeds feeds) =>
            feeds.Snapshot(id) is { } snapshot
                ? Results.Json(snapshot, StateJson.Options)
                : throw new KeyNotFoundException($"There is no monitored cluster with id {id}."))
            .WithSummary("The live state: the monitor's status, the parsed crm_mon, the failover under way and recent ones");

        api.MapGet("/events", async (long id, DateTimeOffset? since, int? take, IClusterHistory history, CancellationToken ct) =>
            Results.Json(await history.ListEventsAsync(id, since, take ?? 1000, ct), StateJson.Options))
            .WithSummary("Events (node offline, resource moved, …) since a time: ?since=&take=");

        api.MapGet("/failovers", async (long id, int? take, IClusterHistory history, CancellationToken ct) =>
            Results.Json(await history.ListFailoversAsync(id, take ?? 100, ct), StateJson.Options))
            .WithSummary("Recent failovers: which VIP moved where, and how long it was out");
    }
}
