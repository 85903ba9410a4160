using StorageHa.Shared.Console;
using StorageHa.Shared.Identity;
using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Tests.Shared;

/// <summary>Join health in memory: what the next check answers per cluster (Guest with no nodes until a test says otherwise), and how often it was asked.</summary>
public sealed class TestJoinHealth : IJoinHealth
{
    private readonly Dictionary<long, JoinHealthReport> _reports = [];

    public int Checks { get; private set; }

    public void Answer(long clusterId, JoinHealthReport report) => _reports[clusterId] = report;

    public Task<JoinHealthReport> CheckAsync(long clusterId, CancellationToken ct = default)
    {
        Checks++;
        return Task.FromResult(_reports.GetValueOrDefault(clusterId) ?? new JoinHealthReport(DateTimeOffset.UnixEpoch, IdentityMode.Guest, null, []));
    }
}
