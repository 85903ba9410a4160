using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using StorageHa.Server.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Provisioning;

/// <summary>Provisioning jobs in SQLite, rewritten as they advance, so a job's record survives a console restart.</summary>
public sealed class JobStore(Database db, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private const string Columns = "j.id, j.cluster_id AS ClusterId, c.name AS Cluster, j.kind, j.state, j.started_by AS StartedBy, " +
        "j.started_at AS StartedAt, j.ended_at AS EndedAt, j.failure, j.steps";

    public async Task<ProvisioningJob> CreateAsync(long clusterId, string cluster, JobKind kind, string startedBy, IReadOnlyList<JobStep> steps, CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO provisioning_jobs (cluster_id, kind, state, started_by, started_at, steps) VALUES (@clusterId, @kind, @state, @startedBy, @startedAt, @steps) RETURNING id",
            new { clusterId, kind = kind.ToString(), state = nameof(JobState.Running), startedBy, startedAt, steps = JsonSerializer.Serialize(steps, Json) });
        return new ProvisioningJob(id, clusterId, cluster, kind, JobState.Running, startedBy, startedAt, null, steps);
    }

    public async Task SaveAsync(ProvisioningJob job, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE provisioning_jobs SET state = @state, ended_at = @EndedAt, failure = @Failure, steps = @steps WHERE id = @Id",
            new { job.Id, state = job.State.ToString(), job.EndedAt, job.Failure, steps = JsonSerializer.Serialize(job.Steps, Json) });
    }

    public async Task<ProvisioningJob?> GetAsync(long jobId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM provisioning_jobs j JOIN clusters c ON c.id = j.cluster_id WHERE j.id = @jobId", new { jobId });
        return row?.ToJob();
    }

    public async Task<IReadOnlyList<ProvisioningJob>> ListAsync(long clusterId, int take = 50, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>($"SELECT {Columns} FROM provisioning_jobs j JOIN clusters c ON c.id = j.cluster_id WHERE j.cluster_id = @clusterId ORDER BY j.id DESC LIMIT @take",
            new { clusterId, take });
        return rows.Select(r => r.ToJob()).ToList();
    }

    /// <summary>At start-up: a job still marked running was cut short by the console stopping.</summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("UPDATE provisioning_jobs SET state = @interrupted, ended_at = @now, " +
            "failure = 'The console stopped while this job ran. Steps already done stay done; run it again to continue.' WHERE state = @running",
            new { interrupted = nameof(JobState.Interrupted), running = nameof(JobState.Running), now = time.GetUtcNow() });
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public long ClusterId { get; init; }
        public string Cluster { get; init; } = "";
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public string StartedBy { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public string? Failure { get; init; }
        public string Steps { get; init; } = "[]";

        public ProvisioningJob ToJob() => new(Id, ClusterId, Cluster, Enum.Parse<JobKind>(Kind), Enum.Parse<JobState>(State), StartedBy, StartedAt, EndedAt,
            JsonSerializer.Deserialize<JobStep[]>(Steps, Json)!, Failure);
    }
}
