using System.Security.Claims;
using StorageHa.Server.Audit;
using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Operations;
using StorageHa.Server.Serving;
using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Operations;
using StorageHa.Shared.Serving;

namespace StorageHa.Server.Drills;

/// <summary>What a drill sees of the probes of its cluster: each VIP service now, its series, the held connections that ended.</summary>
public interface IDrillProbes
{
    IReadOnlyList<ServiceTransition> Current { get; }
    IReadOnlyList<ServiceTransition> Series(string vip, FileService service);
    IReadOnlyList<HeldConnectionEnd> ConnectionEnds { get; }
}

/// <summary>The one door through which a drill acts on its cluster: operations as the operator who started it, the CIB's move constraints, the probes.</summary>
public interface IDrillCluster
{
    /// <summary>Runs an operation through the audited operator path, as <paramref name="who"/>.</summary>
    Task<OperationOutcome> RunAsync(long clusterId, ClusterOperation operation, ClaimsPrincipal who, CancellationToken ct);

    /// <summary>The cli-prefer-/cli-ban- constraints on <paramref name="resources"/> in the live CIB.</summary>
    Task<IReadOnlyList<string>> MoveConstraintsAsync(long clusterId, IReadOnlyList<string> resources, string who, CancellationToken ct);

    /// <summary>The cluster's probes; null when the console probes none of its VIPs.</summary>
    IDrillProbes? Probes(long clusterId);
}

/// <summary>The real cluster: <see cref="ClusterOperator"/> for the steps, <see cref="LiveNodes"/> for the CIB, <see cref="ServiceProbes"/> for the clients' view.</summary>
public sealed class ConsoleDrillCluster(OperationTargets targets, LiveNodes live, IAuditLog audit, OperationOptions options, ServiceProbes probes,
    TimeProvider time) : IDrillCluster
{
    public Task<OperationOutcome> RunAsync(long clusterId, ClusterOperation operation, ClaimsPrincipal who, CancellationToken ct) =>
        new ClusterOperator(targets, live, audit, new StartedBy(who), options, time).RunAsync(clusterId, operation, ct);

    public async Task<IReadOnlyList<string>> MoveConstraintsAsync(long clusterId, IReadOnlyList<string> resources, string who, CancellationToken ct)
    {
        var cluster = await targets.ForAsync(clusterId, ct);
        var (_, cib, _) = await live.FindAsync(cluster.Reach, ClusterQueries.Cib, new Asker(who, "drill.read-constraints"), LiveNodePolicy.Default, ct);
        return MoveConstraints.In(cib, resources);
    }

    public IDrillProbes? Probes(long clusterId) => probes.Of(clusterId) is { } cluster ? new Probed(cluster) : null;

    private sealed class Probed(ClusterServiceProbes cluster) : IDrillProbes
    {
        public IReadOnlyList<ServiceTransition> Current => cluster.Current;
        public IReadOnlyList<ServiceTransition> Series(string vip, FileService service) => cluster.Series(vip, service);
        public IReadOnlyList<HeldConnectionEnd> ConnectionEnds => cluster.ConnectionEnds;
    }

    /// <summary>The operator who started the drill, as the request saw them: the drill's steps run (and are audited) as them after the request ended.</summary>
    private sealed class StartedBy(ClaimsPrincipal who) : ICurrentActor
    {
        public Task<ClaimsPrincipal> GetUserAsync() => Task.FromResult(who);
    }
}
