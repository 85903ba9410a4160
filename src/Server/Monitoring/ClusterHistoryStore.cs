using System.Text.Json;
using Dapper;
using StorageHa.Shared.Console;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Serving;
using StorageHa.Shared.State;

namespace StorageHa.Server.Monitoring;

/// <summary>The monitors' events and failovers in SQLite: appended as they are seen, read back by the history pages and the API.</summary>
public sealed class ClusterHistoryStore(Database db) : IClusterHistory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string EventColumns =
        "id, at, kind, description, node, resource, to_node AS ToNode, is_virtual_ip AS IsVirtualIp";

    /// <summary>Stores a poller's events (storage, clients); a failure is logged, not thrown: the live view matters more than the history, as for the monitors.</summary>
    public async Task KeepAsync(long clusterId, IReadOnlyList<ClusterEvent> events, ILogger logger, CancellationToken ct)
    {
        foreach (var e in events) logger.LogInformation("Cluster {Cluster}: {Event}", clusterId, e.Description);
        try
        {
            await AppendAsync(clusterId, [.. events.Select(ClusterEventRecord.From)], null, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Cluster {Cluster}: could not store {Count} events", clusterId, events.Count);
        }
    }

    public async Task AppendAsync(long clusterId, IReadOnlyList<ClusterEventRecord> events, FailoverSummary? completed, CancellationToken ct = default)
    {
        if (events.Count == 0 && completed is null) return;
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                """
                INSERT INTO cluster_events (cluster_id, at, kind, description, node, resource, to_node, is_virtual_ip)
                VALUES (@clusterId, @At, @Kind, @Description, @Node, @Resource, @ToNode, @IsVirtualIp)
                """,
                events.Select(e => new { clusterId, e.At, e.Kind, e.Description, e.Node, e.Resource, e.ToNode, e.IsVirtualIp }), tx);
            if (completed is not null)
                await c.ExecuteAsync(
                    """
                    INSERT INTO failovers (cluster_id, started_at, ended_at, trigger, trigger_node, outages, events, fences, client_outages)
                    VALUES (@clusterId, @Start, @End, @Trigger, @TriggerNode, @outages, @events, @fences, @clientOutages)
                    """,
                    new
                    {
                        clusterId, completed.Start, completed.End, completed.Trigger, completed.TriggerNode,
                        outages = JsonSerializer.Serialize(completed.Outages, Json),
                        events = JsonSerializer.Serialize(completed.Events, Json),
                        fences = JsonSerializer.Serialize(completed.Fences, Json),
                        clientOutages = JsonSerializer.Serialize(completed.ClientOutages, Json),
                    }, tx);
            return 0;
        }, ct);
    }

    /// <summary>
    /// Stores what the clients saw in a failover already stored (the probes learn it when the clients are served again,
    /// after the cluster's side of it completed); false when no stored failover of the cluster matches.
    /// </summary>
    public async Task<bool> SetClientOutagesAsync(long clusterId, FailoverSummary failover, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(
            "UPDATE failovers SET client_outages = @clientOutages WHERE cluster_id = @clusterId AND started_at = @Start AND trigger = @Trigger",
            new { clusterId, failover.Start, failover.Trigger, clientOutages = JsonSerializer.Serialize(failover.ClientOutages, Json) }) > 0;
    }

    public async Task<IReadOnlyList<ClusterEventRecord>> ListEventsAsync(long clusterId, DateTimeOffset? since = null, int take = 1000, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // Newest `take` of them, handed back oldest first.
        var rows = await c.QueryAsync<ClusterEventRecord>(
            $"SELECT {EventColumns} FROM cluster_events WHERE cluster_id = @clusterId AND (@since IS NULL OR at >= @since) ORDER BY id DESC LIMIT @take",
            new { clusterId, since, take = Math.Clamp(take, 1, 10_000) });
        return rows.Reverse().ToList();
    }

    public async Task<IReadOnlyList<FailoverSummary>> ListFailoversAsync(long clusterId, int take = 100, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<FailoverRow>(
            """
            SELECT id, started_at AS StartedAt, ended_at AS EndedAt, trigger, trigger_node AS TriggerNode, outages, events, fences, client_outages AS ClientOutages
            FROM failovers WHERE cluster_id = @clusterId ORDER BY started_at DESC, id DESC LIMIT @take
            """,
            new { clusterId, take = Math.Clamp(take, 1, 1000) });
        return rows.Select(r => new FailoverSummary(r.StartedAt, r.EndedAt, r.Trigger, r.TriggerNode,
                JsonSerializer.Deserialize<List<VipOutage>>(r.Outages, Json) ?? [],
                JsonSerializer.Deserialize<List<ClusterEventRecord>>(r.Events, Json) ?? [])
            {
                Id = r.Id, Fences = JsonSerializer.Deserialize<List<FenceOutcome>>(r.Fences, Json) ?? [],
                ClientOutages = JsonSerializer.Deserialize<List<ClientOutage>>(r.ClientOutages, Json) ?? [],
            })
            .ToList();
    }

    private sealed record FailoverRow
    {
        public long Id { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public string Trigger { get; init; } = "";
        public string? TriggerNode { get; init; }
        public string Outages { get; init; } = "[]";
        public string Events { get; init; } = "[]";
        public string Fences { get; init; } = "[]";
        public string ClientOutages { get; init; } = "[]";
    }
}
