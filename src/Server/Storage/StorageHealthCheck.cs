using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Storage;

namespace StorageHa.Server.Storage;

/// <summary>
/// Asks the nodes how the cluster filesystem is: storage-health.sh on every node at once (mounted, space, inodes, a write),
/// then, for GlusterFS, gluster-health.sh on the first node whose glusterd answers, through the live-node door.
/// </summary>
public sealed class StorageHealthCheck(LiveNodes live, TimeProvider time)
{
    /// <summary>Audited once per node and outcome (<see cref="Monitoring.MonitorAudit"/>): a watched cluster is checked every few seconds.</summary>
    public const string AuditAction = "storage.health";

    /// <summary>storage-health.sh bounds its df, df -i and write at 5 s each: a hung mount costs 15 s, connecting included under 20 s.</summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>gluster-health.sh bounds each of its three calls at 10 s; a node whose glusterd hangs passes the question on.</summary>
    public static readonly LiveNodePolicy GlusterPolicy = new(TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(60));

    public async Task<StorageHealthReport> CheckAsync(ClusterNodes cluster, StorageHealthTarget target, Asker asker, CancellationToken ct)
    {
        var query = new ClusterQuery<string>(target.NodeCommand, r => r.ExitCode == 0 ? r.StdOut
            : throw new NoAnswerException($"storage-health.sh exited {r.ExitCode}: {r.StdErr.Trim()}"));
        var nodes = await live.AskEachAsync(cluster, query, asker, NodeTimeout, (node, answer) => NodeStorageRead.Parse(node, answer, target),
            (node, why) => new NodeStorageHealth(node) { Unreachable = why }, ct);
        // The nodes that just answered first: a dead node's connect timeout would hold the volume's status back.
        var answeredFirst = cluster with { Nodes = [.. cluster.Nodes.OrderBy(n => nodes.Any(h => h.Node == n.Name && h.Unreachable is not null))] };
        var volume = target.VolumeOf(nodes) is { } name ? await VolumeAsync(answeredFirst, name, asker, ct) : null;
        return new StorageHealthReport(time.GetUtcNow(), target.MountPoint, target.Mounting, target.FsType, nodes, volume);
    }

    /// <summary>The volume as the first node (in order) whose glusterd answers sees it; a node whose glusterd is down answers opRet -1 and the next is asked.</summary>
    private async Task<GlusterVolumeHealth> VolumeAsync(ClusterNodes cluster, string volume, Asker asker, CancellationToken ct)
    {
        var query = new ClusterQuery<GlusterVolumeHealth>(GlusterVolume.HealthCommand(volume), r =>
            r.ExitCode != 0 ? throw new NoAnswerException($"gluster-health.sh exited {r.ExitCode}: {r.StdErr.Trim()}")
            : Known(GlusterHealthRead.Parse(volume, r.StdOut)));
        try
        {
            var answer = await live.FindAsync(cluster, query, asker, GlusterPolicy, ct);
            return answer.Value with { AskedNode = answer.Node.Name };
        }
        catch (NoLiveNodeException none)
        {
            return new GlusterVolumeHealth(volume, null, null, null, [], none.Failures.Count > 0 ? string.Join("; ", none.Failures) : none.Message);
        }
    }

    private static GlusterVolumeHealth Known(GlusterVolumeHealth volume) => volume.Problem is { } problem ? throw new NoAnswerException(problem) : volume;
}
