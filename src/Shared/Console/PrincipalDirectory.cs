using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Console;

/// <summary>The users or groups a share's pickers offer, and why there are none when there cannot be.</summary>
/// <param name="Reason">Why the list is empty by nature (guest identity), or null.</param>
/// <param name="Truncated">More matched than <see cref="PrincipalChoices.Max"/>: the admin narrows the search.</param>
public sealed record PrincipalChoices(IReadOnlyList<SmbPrincipal> Principals, string? Reason = null, bool Truncated = false)
{
    /// <summary>At most this many per answer: a picker shows a page, not a domain of 50 000 users.</summary>
    public const int Max = 200;

    public const string GuestReason = "The cluster's identity is Guest: nobody logs in, so there are no users or groups to pick (choose Local users or Active Directory).";

    /// <summary>The spec's local users or groups whose names contain <paramref name="search"/> (any case).</summary>
    public static PrincipalChoices Local(IdentitySpec identity, PrincipalKind kind, string? search) => Of(kind == PrincipalKind.User
        ? identity.Users.Select(u => SmbPrincipal.User(u.Name))
        : identity.Groups.Select(g => SmbPrincipal.Group(g.Name)), search);

    /// <summary>
    /// What <c>wbinfo -u</c> or <c>-g</c> printed (one DOMAIN\name a line, as winbind names accounts without a default
    /// domain); lines that are no principal the console could write are left out rather than shown.
    /// </summary>
    public static PrincipalChoices FromWbinfo(string output, PrincipalKind kind, string? search) => Of(output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => SmbPrincipal.TryParse(kind == PrincipalKind.Group ? "@" + line : line, out var p, out _) ? p : null)
        .OfType<SmbPrincipal>(), search);

    private static PrincipalChoices Of(IEnumerable<SmbPrincipal> principals, string? search)
    {
        var matching = principals.Where(p => string.IsNullOrEmpty(search) || p.AccountName.Contains(search, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.AccountName, StringComparer.OrdinalIgnoreCase).Take(Max + 1).ToList();
        return new(matching.Take(Max).ToList(), Truncated: matching.Count > Max);
    }
}

/// <summary>Lists the users and groups a cluster's shares can name (viewers).</summary>
public interface IPrincipalDirectory
{
    /// <summary>
    /// Local users: the spec's users or groups. Active Directory: what winbind lists on one live node. Guest: none, with why.
    /// <paramref name="search"/> keeps those whose name contains it (any case).
    /// </summary>
    Task<PrincipalChoices> ListAsync(long clusterId, PrincipalKind kind, string? search, CancellationToken ct = default);
}
