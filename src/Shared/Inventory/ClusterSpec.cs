using StorageHa.Shared.Fencing;
using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>
/// Everything the admin wants of one cluster, as one document: exported and imported as JSON, validated as a whole.
/// Nodes name their credential by name, so a spec can move between consoles without carrying secrets.
/// </summary>
public sealed partial record ClusterSpec
{
    public required string Name { get; init; }
    public ClusterPurpose Purpose { get; init; } = ClusterPurpose.Both;
    public string? Description { get; init; }
    private readonly IReadOnlyList<NodeSpec> _nodes = [];
    /// <summary>In join order (number order). A node without a number (a hand-written spec) takes the next after the highest, in list order.</summary>
    public IReadOnlyList<NodeSpec> Nodes { get => _nodes; init => _nodes = NodeSpec.Numbered(value ?? []); }
    /// <summary>
    /// The highest number a node of the cluster has had, also one that has left since (0: none higher than its nodes'):
    /// CTDB's node list keeps a line up to it, because CTDB refuses a list that lost a line.
    /// </summary>
    public int HighestNodeNumber { get; init; }

    /// <summary>The highest number of a node now or before: its nodes' and <see cref="HighestNodeNumber"/>.</summary>
    public int HighestNumberEver() => Nodes.Select(n => n.Number).Append(HighestNodeNumber).Max();
    public IReadOnlyList<VirtualIpSpec> VirtualIps { get; init; } = [];
    public IReadOnlyList<ShareSpec> Shares { get; init; } = [];
    public IReadOnlyList<ExportSpec> Exports { get; init; } = [];
    /// <summary>The NIC that carries the VIPs on every node, unless a VIP names its own; null lets IPaddr2 find it.</summary>
    public string? Nic { get; init; }
    public CorosyncSpec Corosync { get; init; } = new();
    /// <summary>Where CTDB's recovery lock and Ganesha's state live: a file system every node mounts (null until chosen).</summary>
    public SharedStateSpec? SharedState { get; init; }
    /// <summary>The cluster filesystem under the data and the shared state, and who mounts it (null: not declared, nothing checks it).</summary>
    public StorageSpec? Storage { get; init; }
    public FencingSpec Fencing { get; init; } = new();
    /// <summary>Also run nmbd (NetBIOS name service) next to smbd, for old clients that browse by NetBIOS.</summary>
    public bool NetBios { get; init; }
    /// <summary>CTDB tunables written to /etc/ctdb/ctdb.tunables (e.g. KeepaliveInterval=1); empty keeps CTDB's defaults.</summary>
    public IReadOnlyDictionary<string, int> CtdbTunables { get; init; } = new Dictionary<string, int>();
    /// <summary>Who logs in to the SMB shares: guests (the default), local users, or an Active Directory domain.</summary>
    public IdentitySpec Identity { get => _identity; init => _identity = value ?? new(); }
    private readonly IdentitySpec _identity = new();

    /// <summary>Every error in the document, each named by its JSON path (e.g. "nodes[1].address").</summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        void Add(string prefix, IEnumerable<ValidationError> found) => errors.AddRange(found.Select(e => e with { Field = prefix + e.Field }));

        Add("", InventoryValidation.Check(ToCluster(0)));
        for (var i = 0; i < Nodes.Count; i++) Add($"nodes[{i}].", InventoryValidation.Check(Nodes[i].ToNode(0, null)));
        for (var i = 0; i < VirtualIps.Count; i++) Add($"virtualIps[{i}].", InventoryValidation.Check(VirtualIps[i].ToVirtualIp(0)));
        for (var i = 0; i < Shares.Count; i++) Add($"shares[{i}].", InventoryValidation.Check(Shares[i].ToShare(0)));
        for (var i = 0; i < Shares.Count; i++) Add($"shares[{i}].", SharePrincipals.Check(Shares[i].ToShare(0), Identity));
        for (var i = 0; i < Exports.Count; i++) Add($"exports[{i}].", InventoryValidation.Check(Exports[i].ToExport(0)));
        for (var i = 0; i < Nodes.Count; i++)
            if (Nodes[i].Number is < 1 or > NodeSpec.MaxNumber) errors.Add(new($"nodes[{i}].number", $"{Nodes[i].Number} is not a node number (1–{NodeSpec.MaxNumber})"));
        if (HighestNodeNumber is < 0 or > NodeSpec.MaxNumber) errors.Add(new("highestNodeNumber", $"{HighestNodeNumber} is not a node number (0–{NodeSpec.MaxNumber})"));
        for (var i = 0; i < Nodes.Count; i++)
            if (Nodes[i].Prefix is { } prefix && InputRules.Prefix(prefix, Nodes[i].Address) is { } bad) errors.Add(new($"nodes[{i}].prefix", bad));
        if (InputRules.InterfaceName(Nic) is { } nic) errors.Add(new("nic", nic));
        if (Corosync.TokenMs is { } token and (< 100 or > 600_000)) errors.Add(new("corosync.tokenMs", $"{token} is not a corosync token timeout (100–600000 ms)"));
        if (SharedState is { } state)
        {
            if (state.RecoveryLock is not null && InputRules.AbsolutePath(state.RecoveryLock) is { } lockPath) errors.Add(new("sharedState.recoveryLock", lockPath));
            if (state.GaneshaState is not null && InputRules.AbsolutePath(state.GaneshaState) is { } ganesha) errors.Add(new("sharedState.ganeshaState", ganesha));
        }
        if (Storage is { } storage)
        {
            errors.AddRange(storage.Validate());
            // CTDB's lock and Ganesha's state must be shared by every node: on a node's own disk each would hold its own.
            if (SharedState?.RecoveryLock is { } reclock && !storage.Holds(reclock))
                errors.Add(new("sharedState.recoveryLock", $"must lie on the cluster filesystem at {storage.MountPoint}: on a node's own disk every node would hold its own lock"));
            if (SharedState?.GaneshaState is { } ganeshaState && !storage.Holds(ganeshaState))
                errors.Add(new("sharedState.ganeshaState", $"must lie on the cluster filesystem at {storage.MountPoint}: a node taking over must find the clients' state"));
        }
        for (var i = 0; i < Fencing.Devices.Count; i++) errors.AddRange(Fencing.Devices[i].Validate($"fencing.devices[{i}].", Nodes.Select(n => n.Name)));
        Duplicates(errors, "fencing.devices", "name", Fencing.Devices.Select(d => d.Name), "another fence device has this name");
        errors.AddRange(Identity.Validate(Purpose));
        foreach (var name in CtdbTunables.Keys)
            if (InputRules.TunableName(name) is { } tunable) errors.Add(new($"ctdbTunables.{name}", tunable));

        Duplicates(errors, "nodes", "name", Nodes.Select(n => n.Name), "another node has this name");
        Duplicates(errors, "nodes", "address", Nodes.Select(n => n.Address), "another node has this address");
        Duplicates(errors, "nodes", "number", Nodes.Select(n => n.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "another node has this number (corosync's node id and CTDB's node line must be unique)");
        Duplicates(errors, "virtualIps", "address", VirtualIps.Select(v => v.Address), "this virtual IP is listed twice");
        Duplicates(errors, "shares", "name", Shares.Select(s => s.Name), "another share has this name");
        // Linux paths differ by case: /srv/a and /srv/A are two directories.
        Duplicates(errors, "exports", "path", Exports.Select(e => e.Path), "this path is exported twice", StringComparer.Ordinal);
        var nodeAddresses = Nodes.Select(n => n.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < VirtualIps.Count; i++)
            if (nodeAddresses.Contains(VirtualIps[i].Address))
                errors.Add(new($"virtualIps[{i}].address", $"{VirtualIps[i].Address} is a node's own address; a virtual IP must be a free address"));
        return errors;
    }

    public Cluster ToCluster(long id) => new() { Id = id, Name = Name, Purpose = Purpose, Description = Description };

    private static void Duplicates(List<ValidationError> errors, string list, string field, IEnumerable<string?> values, string message,
        StringComparer? comparer = null)
    {
        var seen = new HashSet<string>(comparer ?? StringComparer.OrdinalIgnoreCase);
        var i = 0;
        foreach (var value in values)
        {
            if (value is not null && !seen.Add(value)) errors.Add(new($"{list}[{i}].{field}", message));
            i++;
        }
    }
}

public sealed record NodeSpec
{
    /// <summary>Highest node number: CTDB's node list has a line for every number up to the highest.</summary>
    public const int MaxNumber = 999;

    public required string Name { get; init; }
    /// <summary>
    /// Corosync's node id and CTDB's line in its node list, given when the node is added to the inventory and kept while it
    /// stays, so that any node can leave without renumbering the others; 0 until given.
    /// </summary>
    public int Number { get; init; }
    /// <summary>In its one spelling (<see cref="InputRules.CanonicalAddress"/>), so one address is never two nodes.</summary>
    public required string Address { get => _address; init => _address = InputRules.CanonicalAddress(value); }
    private readonly string _address = "";
    public int SshPort { get; init; } = 22;
    public string SshUser { get; init; } = "root";
    /// <summary>Name of the console credential used to log in; null to choose one later.</summary>
    public string? Credential { get; init; }
    /// <summary>Prefix length of the node's subnet, when the probe has not found it (the probe's value wins).</summary>
    public int? Prefix { get; init; }

    public Node ToNode(long clusterId, long? credentialId) =>
        new() { ClusterId = clusterId, Name = Name, Address = Address, SshPort = SshPort, SshUser = SshUser, CredentialId = credentialId, Number = Number };

    /// <summary>The nodes with a number each: those without one take the next after the highest, in list order.</summary>
    internal static IReadOnlyList<NodeSpec> Numbered(IReadOnlyList<NodeSpec> nodes)
    {
        if (nodes.All(n => n.Number != 0)) return nodes;
        var next = nodes.Select(n => n.Number).DefaultIfEmpty(0).Max();
        return nodes.Select(n => n.Number != 0 ? n : n with { Number = ++next }).ToArray();
    }
}

public sealed record VirtualIpSpec
{
    /// <summary>In its one spelling (<see cref="InputRules.CanonicalAddress"/>), so one VIP is never listed twice.</summary>
    public required string Address { get => _address; init => _address = InputRules.CanonicalAddress(value); }
    private readonly string _address = "";
    public int Prefix { get; init; } = 24;
    public string? Nic { get; init; }

    public VirtualIp ToVirtualIp(long clusterId) => new() { ClusterId = clusterId, Address = Address, Prefix = Prefix, Nic = Nic };
}

public sealed record ShareSpec : SharePermissions
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public string? Comment { get; init; }
    public bool ReadOnly { get; init; }
    public bool GuestOk { get; init; }

    public Share ToShare(long clusterId) => new()
    {
        ClusterId = clusterId, Name = Name, Path = Path, Comment = Comment, ReadOnly = ReadOnly, GuestOk = GuestOk, ValidUsers = ValidUsers,
        ReadList = ReadList, WriteList = WriteList, AdminUsers = AdminUsers, AccessBasedEnumeration = AccessBasedEnumeration, Owner = Owner, Group = Group, Mode = Mode,
    };

    public static ShareSpec Of(Share s) => new()
    {
        Name = s.Name, Path = s.Path, Comment = s.Comment, ReadOnly = s.ReadOnly, GuestOk = s.GuestOk, ValidUsers = s.ValidUsers,
        ReadList = s.ReadList, WriteList = s.WriteList, AdminUsers = s.AdminUsers, AccessBasedEnumeration = s.AccessBasedEnumeration, Owner = s.Owner, Group = s.Group, Mode = s.Mode,
    };
}

public sealed record ExportSpec
{
    public required string Path { get; init; }
    public string Clients { get; init; } = "*";
    public ExportAccess Access { get; init; } = ExportAccess.ReadWrite;

    public Export ToExport(long clusterId) => new() { ClusterId = clusterId, Path = Path, Clients = Clients, Access = Access };
}

public sealed record CorosyncSpec
{
    /// <summary>How long corosync waits for a silent node before declaring it gone; null keeps corosync's default.</summary>
    public int? TokenMs { get; init; }
}

/// <summary>Paths on the shared file system (mounted on every node by the admin): CTDB's lock and Ganesha's recovery state.</summary>
public sealed record SharedStateSpec
{
    /// <summary>CTDB's recovery lock file, e.g. /srv/cluster-state/ctdb/reclock; needed for SMB.</summary>
    public string? RecoveryLock { get; init; }
    /// <summary>Directory for NFSv4 recovery state, one subdirectory per node; needed for NFS.</summary>
    public string? GaneshaState { get; init; }
}

/// <summary>How failed nodes are fenced: devices, or the admin's explicit acknowledgement that there are none.</summary>
public sealed record FencingSpec
{
    public IReadOnlyList<FenceDeviceSpec> Devices { get; init; } = [];
    /// <summary>The admin accepts running without fencing (labs, tests): a hung node may keep its VIPs and corrupt data.</summary>
    public bool NoFencingAcknowledged { get; init; }

    /// <summary>
    /// The devices configured to fence <paramref name="node"/>, in the order Pacemaker tries them: those listing it, and
    /// those that ask their agent. Pacemaker 2.1's fence history does not name the device it used; this does, from the spec.
    /// </summary>
    public IReadOnlyList<string> DevicesFor(string node) =>
        [.. Devices.Where(d => d.Nodes.Count == 0 || d.Nodes.Contains(node, StringComparer.Ordinal)).Select(d => d.Name)];
}

/// <summary>One stonith device: a fence agent (e.g. fence_ipmilan) with its options, for the nodes it can power off.</summary>
public sealed partial record FenceDeviceSpec
{
    public required string Name { get; init; }
    public required string Agent { get; init; }
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    /// <summary>The nodes this device fences (pcmk_host_list); empty lets Pacemaker ask the agent.</summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    internal IEnumerable<ValidationError> Validate(string prefix, IEnumerable<string> clusterNodes)
    {
        if (InputRules.Name(Name) is { } name) yield return new(prefix + "name", name);
        var agent = FenceAgent.Find(Agent);
        if (!AgentName().IsMatch(Agent ?? "")) yield return new(prefix + "agent", $"'{Agent}' is not a fence agent name (fence_…)");
        else if (agent is null)
            yield return new(prefix + "agent", $"'{Agent}' is not a fence agent the console supports ({string.Join(", ", FenceAgent.SupportedNames)})");
        foreach (var key in Options.Keys.Where(k => !OptionName().IsMatch(k)))
            yield return new($"{prefix}options.{key}", "is not an option name (letters, digits and '_')");
        foreach (var error in FenceAgent.CheckOptions(agent, Options.Where(o => OptionName().IsMatch(o.Key)).ToDictionary(), prefix))
            yield return error;
        var known = clusterNodes.ToHashSet(StringComparer.Ordinal);
        foreach (var node in Nodes.Where(n => !known.Contains(n)))
            yield return new(prefix + "nodes", $"'{node}' is not one of the cluster's nodes");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\Afence_[a-z0-9_]{1,60}\z")]
    private static partial System.Text.RegularExpressions.Regex AgentName();

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_]{0,63}\z")]
    private static partial System.Text.RegularExpressions.Regex OptionName();
}
