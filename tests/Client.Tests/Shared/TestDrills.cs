using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;

namespace StorageHa.Client.Tests.Shared;

/// <summary>Drills in memory: the stored ones a list answers (newest first), the starts asked for, and what a start answers.</summary>
public sealed class TestDrills : IDrills
{
    public List<DrillReport> Stored { get; } = [];
    public List<DrillTarget> Started { get; } = [];

    /// <summary>What the next start answers for a target: running by default, or a refusal the test gives.</summary>
    public Func<DrillTarget, DrillReport>? Answer { get; set; }

    public Task<DrillReport> StartAsync(long clusterId, DrillTarget target, CancellationToken ct = default)
    {
        lock (Started) Started.Add(target);
        var report = Answer?.Invoke(target) ?? new DrillReport
        {
            Id = Stored.Select(d => d.Id).DefaultIfEmpty(0).Max() + 1, ClusterId = clusterId, Target = target, StartedBy = "olga", StartedAt = DrillReports.T0,
        };
        Stored.Insert(0, report);
        return Task.FromResult(report);
    }

    public Task<IReadOnlyList<DrillReport>> ListAsync(long clusterId, int take = 100, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<DrillReport>>([.. Stored.Take(take)]);
}
