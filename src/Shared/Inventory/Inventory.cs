namespace StorageHa.Shared.Inventory;

/// <summary>What a cluster is for: which file services its VIPs front.</summary>
public enum ClusterPurpose { Smb, Nfs, Both }

public sealed record Cluster
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public ClusterPurpose Purpose { get; init; } = ClusterPurpose.Both;
    public string? Description { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A server of a cluster, reached over SSH.</summary>
public sealed record Node
{
    public long Id { get; init; }
    public long ClusterId { get; init; }
    public required string Name { get; init; }
    /// <summary>In its one spelling (<see cref="Validation.InputRules.CanonicalAddress"/>): ::ffff:10.0.0.5 is stored as 10.0.0.5.</summary>
    public required string Address { get => _address; init => _address = Validation.InputRules.CanonicalAddress(value); }
    private readonly string _address = "";
    public int SshPort { get; init; } = 22;
    public string SshUser { get; init; } = "root";
    public long? CredentialId { get; init; }
    /// <summary>Corosync's node id and CTDB's line: the highest in its cluster plus one when added, then kept (see <see cref="NodeSpec.Number"/>).</summary>
    public int Number { get; init; }
    /// <summary>SHA256 fingerprint of the node's SSH host key, pinned when the admin accepted it.</summary>
    public string? HostKeyFingerprint { get; init; }
    public DateTimeOffset? LastProbeAt { get; init; }
    /// <summary>
    /// The node's credential is not bound to where the node now points (an operator changed its address, port, user, host key
    /// or credential): the console does not send it there until an admin confirms.
    /// </summary>
    public bool CredentialAwaitsAdmin { get; init; }
}

public sealed record VirtualIp
{
    public long Id { get; init; }
    public long ClusterId { get; init; }
    /// <summary>In its one spelling (<see cref="Validation.InputRules.CanonicalAddress"/>): 2001:db8:0::5 is stored as 2001:db8::5.</summary>
    public required string Address { get => _address; init => _address = Validation.InputRules.CanonicalAddress(value); }
    private readonly string _address = "";
    public int Prefix { get; init; } = 24;
    public string? Nic { get; init; }
}

/// <summary>An SMB share.</summary>
public sealed record Share : SharePermissions
{
    public long Id { get; init; }
    public long ClusterId { get; init; }
    public required string Name { get; init; }
    public required string Path { get; init; }
    public string? Comment { get; init; }
    public bool ReadOnly { get; init; }
    public bool GuestOk { get; init; }
}

public enum ExportAccess { ReadWrite, ReadOnly }

/// <summary>An NFS export.</summary>
public sealed record Export
{
    public long Id { get; init; }
    public long ClusterId { get; init; }
    public required string Path { get; init; }
    /// <summary>Comma-separated client specs: addresses, CIDR networks or host names, or "*".</summary>
    public string Clients { get; init; } = "*";
    public ExportAccess Access { get; init; } = ExportAccess.ReadWrite;
}

public enum CredentialKind { PrivateKey, Password }

/// <summary>How the console logs in to nodes. The secret itself never leaves the server's store.</summary>
public sealed record Credential
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public CredentialKind Kind { get; init; }
    /// <summary>OpenSSH public key line for key credentials, to install in authorized_keys.</summary>
    public string? PublicKey { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public enum Role { Viewer = 0, Operator = 1, Admin = 2 }

public sealed record User
{
    public long Id { get; init; }
    public required string UserName { get; init; }
    public Role Role { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One line of the audit log: who did what, where, and how it ended.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    /// <summary>The node (or other object) acted on.</summary>
    public string? Target { get; init; }
    /// <summary>The exact command line run on a node, never a secret.</summary>
    public string? Command { get; init; }
    public int? ExitCode { get; init; }
    public string? Detail { get; init; }
}
