using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>
/// Everything the admin wants of one cluster, as one document: exported and imported as JSON, validated as a whole.
/// Nodes name their credential by name, so a spec can move between consoles without carrying secrets.
/// </summary>
public sealed record ClusterSpec
{
    public required string Name { get; init; }
    public ClusterPurpose Purpose { get; init; } = ClusterPurpose.Both;
    public string? Description { get; init; }
    public IReadOnlyList<NodeSpec> Nodes { get; init; } = [];
    public IReadOnlyList<VirtualIpSpec> VirtualIps { get; init; } = [];
    public IReadOnlyList<ShareSpec> Shares { get; init; } = [];
    public IReadOnlyList<ExportSpec> Exports { get; init; } = [];

    /// <summary>Every error in the document, each named by its JSON path (e.g. "nodes[1].address").</summary>
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        void Add(string prefix, IEnumerable<ValidationError> found) => errors.AddRange(found.Select(e => e with { Field = prefix + e.Field }));

        Add("", InventoryValidation.Check(ToCluster(0)));
        for (var i = 0; i < Nodes.Count; i++) Add($"nodes[{i}].", InventoryValidation.Check(Nodes[i].ToNode(0, null)));
        for (var i = 0; i < VirtualIps.Count; i++) Add($"virtualIps[{i}].", InventoryValidation.Check(VirtualIps[i].ToVirtualIp(0)));
        for (var i = 0; i < Shares.Count; i++) Add($"shares[{i}].", InventoryValidation.Check(Shares[i].ToShare(0)));
        for (var i = 0; i < Exports.Count; i++) Add($"exports[{i}].", InventoryValidation.Check(Exports[i].ToExport(0)));

        Duplicates(errors, "nodes", "name", Nodes.Select(n => n.Name), "another node has this name");
        Duplicates(errors, "nodes", "address", Nodes.Select(n => n.Address), "another node has this address");
        Duplicates(errors, "virtualIps", "address", VirtualIps.Select(v => v.Address), "this virtual IP is listed twice");
        Duplicates(errors, "shares", "name", Shares.Select(s => s.Name), "another share has this name");
        Duplicates(errors, "exports", "path", Exports.Select(e => e.Path), "this path is exported twice");
        var nodeAddresses = Nodes.Select(n => n.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < VirtualIps.Count; i++)
            if (nodeAddresses.Contains(VirtualIps[i].Address))
                errors.Add(new($"virtualIps[{i}].address", $"{VirtualIps[i].Address} is a node's own address; a virtual IP must be a free address"));
        return errors;
    }

    public Cluster ToCluster(long id) => new() { Id = id, Name = Name, Purpose = Purpose, Description = Description };

    private static void Duplicates(List<ValidationError> errors, string list, string field, IEnumerable<string?> values, string message)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
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
    public required string Name { get; init; }
    public required string Address { get; init; }
    public int SshPort { get; init; } = 22;
    public string SshUser { get; init; } = "root";
    /// <summary>Name of the console credential used to log in; null to choose one later.</summary>
    public string? Credential { get; init; }

    public Node ToNode(long clusterId, long? credentialId) =>
        new() { ClusterId = clusterId, Name = Name, Address = Address, SshPort = SshPort, SshUser = SshUser, CredentialId = credentialId };
}

public sealed record VirtualIpSpec
{
    public required string Address { get; init; }
    public int Prefix { get; init; } = 24;
    public string? Nic { get; init; }

    public VirtualIp ToVirtualIp(long clusterId) => new() { ClusterId = clusterId, Address = Address, Prefix = Prefix, Nic = Nic };
}

public sealed record ShareSpec
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public string? Comment { get; init; }
    public bool ReadOnly { get; init; }
    public bool GuestOk { get; init; }
    public string? ValidUsers { get; init; }

    public Share ToShare(long clusterId) => new()
    { ClusterId = clusterId, Name = Name, Path = Path, Comment = Comment, ReadOnly = ReadOnly, GuestOk = GuestOk, ValidUsers = ValidUsers };
}

public sealed record ExportSpec
{
    public required string Path { get; init; }
    public string Clients { get; init; } = "*";
    public ExportAccess Access { get; init; } = ExportAccess.ReadWrite;

    public Export ToExport(long clusterId) => new() { ClusterId = clusterId, Path = Path, Clients = Clients, Access = Access };
}
