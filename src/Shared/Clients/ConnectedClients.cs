namespace StorageHa.Shared.Clients;

/// <summary>One share an SMB session has open (a tree connect).</summary>
/// <param name="TreeId">smbstatus' tcon_id: unique within the session's server process.</param>
public sealed record SmbTreeConnect(string Share, string TreeId, DateTimeOffset? ConnectedAt);

/// <summary>
/// One SMB session on a node, as smbstatus reports it. <see cref="ServerPid"/> is the smbd process that serves the
/// client's connection (one per connection): the one a disconnect ends.
/// </summary>
/// <param name="CtdbNode">CTDB's number for the node that serves it (smbstatus' server_id.vnn); null without CTDB.</param>
/// <param name="ClientEnd">The client's end of the connection as Samba names it, e.g. "ipv4:192.0.2.50:41234".</param>
/// <param name="Encryption">The cipher ("AES-128-GCM") or "-", with its degree ("full", "partial", "none").</param>
public sealed record SmbSession(
    string SessionId,
    int ServerPid,
    int? CtdbNode,
    string User,
    string Group,
    string ClientEnd,
    string ClientAddress,
    string Dialect,
    SmbProtection Encryption,
    SmbProtection Signing,
    IReadOnlyList<SmbTreeConnect> Shares)
{
    /// <summary>The node's address the client connected to: a VIP, or the node's own; null when the connection was not seen.</summary>
    public string? ServerAddress { get; init; }

    /// <summary>What tells this session from every other on the node: its server process and the client's end.</summary>
    public string Key => $"smb {ServerPid} {ClientEnd}";
}

/// <summary>Signing or encryption of an SMB session: the cipher Samba names, and whether all, some or none of it is protected.</summary>
public sealed record SmbProtection(string Cipher, string Degree)
{
    public static readonly SmbProtection None = new("-", "none");

    public bool IsOn => Degree is "full" or "partial";

    public override string ToString() => IsOn ? $"{Cipher} ({Degree})" : "no";
}

/// <summary>One NFS client that NFS-Ganesha on the node knows, with the NFS versions it used and when it was last active.</summary>
/// <param name="Versions">"3", "4.0", "4.1", "4.2": the versions Ganesha counted operations of for this client.</param>
public sealed record NfsClient(string ClientAddress, IReadOnlyList<string> Versions, DateTimeOffset? LastActivity)
{
    /// <summary>The node's addresses the client has TCP connections to (VIPs or the node's own); empty when none is open now.</summary>
    public IReadOnlyList<string> ServerAddresses { get; init; } = [];

    public string Key => $"nfs {ClientAddress}";
}

/// <summary>The clients of one node. A problem says why one kind is unknown; <see cref="Unreachable"/> why the node could not be asked at all.</summary>
public sealed record NodeClients(string Node)
{
    public IReadOnlyList<SmbSession> Smb { get; init; } = [];
    public IReadOnlyList<NfsClient> Nfs { get; init; } = [];
    /// <summary>Samba is not installed, or smbstatus failed (with what it said).</summary>
    public string? SmbProblem { get; init; }
    /// <summary>dbus-send is missing, or Ganesha did not answer on the system bus (not running, or no D-Bus).</summary>
    public string? NfsProblem { get; init; }
    public string? Unreachable { get; init; }

    /// <summary>How many clients of each kind the node serves, or why that is unknown: "1 SMB session; SMB unknown (…)", "unknown (why)".</summary>
    public string Counts => Unreachable is { } why ? $"unknown ({why})"
        : $"{(SmbProblem is { } smb ? $"SMB unknown ({smb})" : ClientCount.Of(ClientProtocol.Smb, Smb.Count))}; " +
          $"{(NfsProblem is { } nfs ? $"NFS unknown ({nfs})" : ClientCount.Of(ClientProtocol.Nfs, Nfs.Count))}";

    /// <summary>Neither kind could be read: the node's clients are unknown, not none.</summary>
    public bool Unknown => Unreachable is not null || (SmbProblem is not null && NfsProblem is not null);

    /// <summary>Read, and no client of either kind.</summary>
    public bool None => Unreachable is null && SmbProblem is null && NfsProblem is null && Smb.Count == 0 && Nfs.Count == 0;

    /// <summary>The distinct addresses of the node's clients, SMB's first, in the order read.</summary>
    public IReadOnlyList<string> ClientAddresses => [.. Smb.Select(s => s.ClientAddress).Concat(Nfs.Select(c => c.ClientAddress)).Distinct()];
}

/// <summary>Who is connected to each node of a cluster, at one moment.</summary>
/// <param name="VirtualIps">The cluster's VIP addresses: a client's server address among them came in through that VIP.</param>
public sealed record ConnectedClientsReport(DateTimeOffset CheckedAt, IReadOnlyList<string> VirtualIps, IReadOnlyList<NodeClients> Nodes)
{
    public int SmbSessions => Nodes.Sum(n => n.Smb.Count);
    public int NfsClients => Nodes.Sum(n => n.Nfs.Count);

    /// <summary>The clients of <paramref name="node"/>, or null when this reading did not include it (a node added since).</summary>
    public NodeClients? Of(string node) => Nodes.FirstOrDefault(n => n.Node == node);

    /// <summary>Every VIP with the clients that came in through it now (a VIP without clients too), in the cluster's order.</summary>
    public IReadOnlyList<VipClients> ByVip() =>
        [.. VirtualIps.Select(vip => new VipClients(vip,
            [.. Nodes.Where(n => n.Smb.Any(s => s.ServerAddress == vip) || n.Nfs.Any(c => c.ServerAddresses.Contains(vip))).Select(n => n.Node)],
            Nodes.Sum(n => n.Smb.Count(s => s.ServerAddress == vip)),
            Nodes.Sum(n => n.Nfs.Count(c => c.ServerAddresses.Contains(vip)))))];
}

/// <summary>The clients that came in through one VIP: on which node(s) they are, how many of each kind.</summary>
public sealed record VipClients(string Vip, IReadOnlyList<string> Nodes, int SmbSessions, int NfsClients);

/// <summary>An SMB session with the node that serves it: what a disconnect names.</summary>
public sealed record SmbSessionOnNode(string Node, SmbSession Session);
