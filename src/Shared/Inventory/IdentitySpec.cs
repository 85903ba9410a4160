using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>Who logs in to the cluster's SMB shares.</summary>
public enum IdentityMode
{
    /// <summary>Nobody logs in: shares marked guest ok are open to all, the others to no one.</summary>
    Guest,
    /// <summary>Users and groups the console keeps, with the same uid/gid on every node and their SMB passwords in the cluster's passdb.</summary>
    LocalUsers,
    /// <summary>The cluster joins an Active Directory domain once; winbind on every node maps the domain's users to uids.</summary>
    ActiveDirectory,
}

/// <summary>How the cluster's users are known: guests, local users, or an Active Directory domain.</summary>
public sealed record IdentitySpec
{
    public IdentityMode Mode { get; init; } = IdentityMode.Guest;
    /// <summary>The domain, when <see cref="Mode"/> is <see cref="IdentityMode.ActiveDirectory"/> (kept when the mode changes back, so it is not typed twice).</summary>
    public ActiveDirectorySpec? ActiveDirectory { get; init; }
    /// <summary>The local users, when <see cref="Mode"/> is <see cref="IdentityMode.LocalUsers"/>; never with a password.</summary>
    public IReadOnlyList<LocalUserSpec> Users { get; init; } = [];
    /// <summary>The local groups users belong to.</summary>
    public IReadOnlyList<LocalGroupSpec> Groups { get; init; } = [];
    /// <summary>The highest uid/gid the console ever gave a local account (0: none yet); never given again, as node numbers are not.</summary>
    public long HighestLocalId { get; init; }

    /// <summary>Every error, named by its field under "identity.".</summary>
    public IEnumerable<ValidationError> Validate(ClusterPurpose purpose)
    {
        if (!Enum.IsDefined(Mode)) yield return new("identity.mode", $"'{Mode}' is not an identity mode (Guest, LocalUsers, ActiveDirectory)");
        if (Mode != IdentityMode.Guest && purpose == ClusterPurpose.Nfs)
            yield return new("identity.mode", "an NFS-only cluster has no SMB users: choose Guest, or a purpose with SMB");
        if (Mode == IdentityMode.ActiveDirectory && ActiveDirectory is null)
            yield return new("identity.activeDirectory", "joining Active Directory needs the domain's realm and workgroup");
        if (ActiveDirectory is { } ad)
            foreach (var error in ad.Validate()) yield return error with { Field = "identity.activeDirectory." + error.Field };
        foreach (var error in LocalAccounts.Validate(this)) yield return error;
    }
}

/// <summary>How winbind gives a domain's users and groups their uids and gids on every node alike.</summary>
public enum IdmapBackend
{
    /// <summary>Ranges handed out per domain on first sight (Samba's and Ceph's default): works for trusted domains too.</summary>
    Autorid,
    /// <summary>uid = range start + the user's RID: the same on every Samba server of the domain, for one domain only.</summary>
    Rid,
}

/// <summary>A range of uids/gids, both ends included.</summary>
public sealed record IdRange(long First, long Last)
{
    /// <summary>Linux takes 32-bit ids; the top one is (uid_t)-1, "no id".</summary>
    public const long Highest = 4_294_967_294;

    public bool Overlaps(IdRange other) => First <= other.Last && other.First <= Last;
    public bool Contains(long id) => id >= First && id <= Last;
    public long Count => Last - First + 1;
    public override string ToString() => $"{First}-{Last}";
}

/// <summary>An Active Directory domain the cluster joins as one member server (one machine account, one join).</summary>
public sealed record ActiveDirectorySpec
{
    /// <summary>The Kerberos realm, the domain's DNS name in capitals (e.g. AD.EXAMPLE.COM).</summary>
    public required string Realm { get; init; }
    /// <summary>The domain's NetBIOS name (e.g. EXAMPLE), up to 15 characters.</summary>
    public required string Workgroup { get; init; }
    /// <summary>
    /// The domain's DNS servers, which every node's resolver should ask: Samba, winbind and Kerberos use the system's
    /// resolver, so the console does not rewrite it; the plan warns about a node that asks others. Empty: not checked.
    /// </summary>
    public IReadOnlyList<string> DnsServers { get; init; } = [];
    public IdmapBackend Idmap { get; init; } = IdmapBackend.Autorid;
    /// <summary>autorid: all domains' ids; rid: the ids of other domains and well-known SIDs (the default domain "*", kept by idmap_tdb).</summary>
    public IdRange IdmapRange { get; init; } = new(1_000_000, 1_999_999_999);
    /// <summary>autorid: how many ids each domain gets; rid: the joined domain's range.</summary>
    public long IdmapRangeSize { get; init; } = 1_000_000;
    /// <summary>rid only: the joined domain's own ids (uid = first + RID); must not overlap <see cref="IdmapRange"/>.</summary>
    public IdRange? DomainRange { get; init; }
    /// <summary>Register the cluster's name in DNS with the virtual IPs (never the nodes' own addresses).</summary>
    public bool RegisterVipsInDns { get; init; }

    /// <summary>The ids the local users' Unix accounts take: winbind's ranges must stay clear of them.</summary>
    public static readonly IdRange LocalAccounts = new(20_000, 299_999);

    public IEnumerable<ValidationError> Validate()
    {
        if (InputRules.Realm(Realm) is { } realm) yield return new("realm", realm);
        if (InputRules.Workgroup(Workgroup) is { } workgroup) yield return new("workgroup", workgroup);
        for (var i = 0; i < DnsServers.Count; i++)
            if (InputRules.IpAddress(DnsServers[i]) is { } dns) yield return new($"dnsServers[{i}]", dns);
        if (!Enum.IsDefined(Idmap)) yield return new("idmap", $"'{Idmap}' is not an idmap backend (Autorid, Rid)");
        foreach (var error in RangeErrors("idmapRange", IdmapRange)) yield return error;
        // idmap_autorid(8): at least 2000 ids a domain; the range a multiple of them and room for two (BUILTIN takes one).
        if (Idmap == IdmapBackend.Autorid && IdmapRange.First <= IdmapRange.Last)
        {
            if (IdmapRangeSize < 2000) yield return new("idmapRangeSize", $"{IdmapRangeSize} ids per domain is too few for autorid (at least 2000)");
            else if (IdmapRange.Count < 2 * IdmapRangeSize || IdmapRange.Count % IdmapRangeSize != 0)
                yield return new("idmapRange", $"{IdmapRange} holds {IdmapRange.Count} ids: autorid needs a multiple of the {IdmapRangeSize} ids per domain, at least two of them");
        }
        if (Idmap == IdmapBackend.Rid)
        {
            if (DomainRange is null) yield return new("domainRange", $"the rid backend needs the range of {Workgroup}'s own ids");
            else
            {
                foreach (var error in RangeErrors("domainRange", DomainRange)) yield return error;
                if (DomainRange.Overlaps(IdmapRange))
                    yield return new("domainRange", $"{DomainRange} overlaps the default range {IdmapRange}: one id would be two users");
            }
        }
    }

    private static IEnumerable<ValidationError> RangeErrors(string field, IdRange range)
    {
        if (range.First < 1000 || range.Last > IdRange.Highest || range.First > range.Last)
            yield return new(field, $"{range} is not an id range (1000-{IdRange.Highest}, first before last)");
        else if (range.Overlaps(LocalAccounts))
            yield return new(field, $"{range} overlaps the local users' ids {LocalAccounts}: one id would be two users");
    }

    /// <summary>The realm as a DNS domain, for SRV lookups and krb5.conf's domain_realm.</summary>
    public string DnsDomain => Realm.ToLowerInvariant();
}

/// <summary>A local SMB user: a Unix account without login shell, the same uid on every node; its SMB password lives only in the cluster's passdb.</summary>
/// <param name="Groups">The local groups the user is a member of, by name.</param>
public sealed record LocalUserSpec(string Name, long Uid, IReadOnlyList<string> Groups)
{
    public string? FullName { get; init; }
}

/// <summary>A local group: a Unix group with the same gid on every node.</summary>
public sealed record LocalGroupSpec(string Name, long Gid);
