using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>
/// The cluster-wide choices of a spec beside its lists of nodes, VIPs, shares and exports: the VIP NIC, corosync's
/// timing, the shared state paths, fencing, NetBIOS, CTDB tunables and the identity (who logs in to SMB). Stored with the cluster as one document.
/// </summary>
public sealed record ClusterSettings
{
    public string? Nic { get; init; }
    public CorosyncSpec Corosync { get; init; } = new();
    public SharedStateSpec? SharedState { get; init; }
    public StorageSpec? Storage { get; init; }
    public FencingSpec Fencing { get; init; } = new();
    public bool NetBios { get; init; }
    public IReadOnlyDictionary<string, int> CtdbTunables { get; init; } = new Dictionary<string, int>();
    public IdentitySpec Identity { get => _identity; init => _identity = value ?? new(); }
    private readonly IdentitySpec _identity = new();

    /// <summary>
    /// What every new cluster starts with, however it is made (wizard, API, spec): CTDB failing over as fast as corosync.
    /// Not the record's own default, so clusters stored before without settings keep theirs.
    /// </summary>
    public static ClusterSettings ForNewCluster { get; } = new() { CtdbTunables = CtdbFailover.Tunables };

    /// <summary>Every error, named by its field as in a spec (e.g. "sharedState.recoveryLock"), checked against the cluster's nodes.</summary>
    public IReadOnlyList<ValidationError> Validate(string clusterName, IEnumerable<NodeSpec> nodes) =>
        ApplyTo(new ClusterSpec { Name = clusterName, Nodes = nodes.ToList() }).Validate()
            .Where(e => !e.Field.StartsWith("nodes[", StringComparison.Ordinal) && e.Field != "name").ToList();

    /// <summary>The spec with these settings in place of its own.</summary>
    public ClusterSpec ApplyTo(ClusterSpec spec) => spec with
    {
        Nic = Nic, Corosync = Corosync, SharedState = SharedState, Storage = Storage, Fencing = Fencing, NetBios = NetBios, CtdbTunables = CtdbTunables, Identity = Identity,
    };

    public static ClusterSettings Of(ClusterSpec spec) => new()
    {
        Nic = spec.Nic, Corosync = spec.Corosync, SharedState = spec.SharedState, Storage = spec.Storage, Fencing = spec.Fencing, NetBios = spec.NetBios, CtdbTunables = spec.CtdbTunables, Identity = spec.Identity,
    };
}
