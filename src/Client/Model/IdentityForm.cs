using StorageHa.Shared.Inventory;

namespace StorageHa.Client.Model;

/// <summary>
/// A cluster's identity as the wizard's Identity step and the Settings tab edit it (one form for both): the mode and the
/// domain's fields, checked on every change by the spec's own rules, each message filed under its field. The local users
/// and groups are the Users page's: kept as they are.
/// </summary>
public sealed class IdentityForm
{
    private readonly IdentitySpec _stored;

    private IdentityForm(IdentitySpec stored) => _stored = stored;

    public IdentityMode Mode { get; set; }
    public string? Realm { get; set; }
    public string? Workgroup { get; set; }
    /// <summary>The DNS servers' addresses, separated by spaces or commas.</summary>
    public string? DnsServers { get; set; }
    public IdmapBackend Idmap { get; set; }
    public long? IdmapFirst { get; set; }
    public long? IdmapLast { get; set; }
    public long? IdmapRangeSize { get; set; }
    public long? DomainFirst { get; set; }
    public long? DomainLast { get; set; }
    public bool RegisterVipsInDns { get; set; }

    public FieldErrors Errors { get; } = new();

    public static IReadOnlyList<string> ShownFields => ["mode", "activeDirectory", "realm", "workgroup", "dnsServers", "idmap", "idmapRange", "idmapRangeSize", "domainRange"];

    /// <summary>What a domain starts with: Samba's and Ceph's autorid, clear of the local users' ids.</summary>
    private static readonly ActiveDirectorySpec NewDomain = new() { Realm = "", Workgroup = "" };

    /// <summary>rid's suggested own range for the joined domain (uid = 2,000,000,000 + RID), above autorid's default range.</summary>
    public static readonly IdRange SuggestedDomainRange = new(2_000_000_000, 2_999_999_999);

    public static IdentityForm From(IdentitySpec identity)
    {
        var domain = identity.ActiveDirectory ?? NewDomain;
        return new IdentityForm(identity)
        {
            Mode = identity.Mode,
            Realm = domain.Realm,
            Workgroup = domain.Workgroup,
            DnsServers = string.Join(" ", domain.DnsServers),
            Idmap = domain.Idmap,
            IdmapFirst = domain.IdmapRange.First,
            IdmapLast = domain.IdmapRange.Last,
            IdmapRangeSize = domain.IdmapRangeSize,
            DomainFirst = domain.DomainRange?.First,
            DomainLast = domain.DomainRange?.Last,
            RegisterVipsInDns = domain.RegisterVipsInDns,
        };
    }

    /// <summary>rid needs the domain's own range: chosen, it proposes one when none is there.</summary>
    public void ChooseIdmap(IdmapBackend idmap)
    {
        Idmap = idmap;
        if (idmap == IdmapBackend.Rid && DomainFirst is null && DomainLast is null)
            (DomainFirst, DomainLast) = (SuggestedDomainRange.First, SuggestedDomainRange.Last);
    }

    /// <summary>
    /// The identity the form describes. The domain is the form's only in Active Directory mode; otherwise the stored one stays
    /// (switching back later finds it again) and half-typed fields of a mode not chosen block nothing.
    /// </summary>
    public IdentitySpec Build() => _stored with
    {
        Mode = Mode,
        ActiveDirectory = Mode == IdentityMode.ActiveDirectory ? Domain() : _stored.ActiveDirectory,
    };

    /// <summary>Checks the identity with the spec's rules for a cluster of this purpose; true when nothing is wrong.</summary>
    public bool Check(ClusterPurpose purpose)
    {
        Errors.Clear();
        foreach (var error in Build().Validate(purpose)) Errors.Add(error.Field, error.Message);
        Errors.KeepOnly(ShownFields);
        return !Errors.Any;
    }

    /// <summary>Whether the form would change the stored identity (lists compared by their items).</summary>
    public bool Changes(IdentitySpec stored)
    {
        var built = Build();
        if (built.Mode != stored.Mode) return true;
        if (built.ActiveDirectory is not { } a || stored.ActiveDirectory is not { } b) return built.ActiveDirectory != stored.ActiveDirectory;
        return a with { DnsServers = [] } != b with { DnsServers = [] } || !a.DnsServers.SequenceEqual(b.DnsServers);
    }

    private ActiveDirectorySpec Domain() => new()
    {
        Realm = (Realm ?? "").Trim(),
        Workgroup = (Workgroup ?? "").Trim(),
        DnsServers = (DnsServers ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries),
        Idmap = Idmap,
        IdmapRange = new IdRange(IdmapFirst ?? 0, IdmapLast ?? 0),
        IdmapRangeSize = IdmapRangeSize ?? 0,
        DomainRange = Idmap == IdmapBackend.Rid && (DomainFirst is not null || DomainLast is not null) ? new IdRange(DomainFirst ?? 0, DomainLast ?? 0) : null,
        RegisterVipsInDns = RegisterVipsInDns,
    };
}
