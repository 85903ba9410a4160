using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>
/// Whether the users and groups a share names exist for the cluster's identity: the spec's local users and groups, or
/// accounts of the joined domain written with its workgroup (winbind does not assume a default domain).
/// </summary>
public static class SharePrincipals
{
    public const int MaxPerList = 100;

    /// <summary>Every error, named by the share's field ("writeList[1]", "owner").</summary>
    public static IEnumerable<ValidationError> Check(Share share, IdentitySpec identity)
    {
        foreach (var (field, principal) in share.Principals())
            if (Problem(principal, identity) is { } problem) yield return new(field, problem);
    }

    /// <summary>
    /// Guest identity: the console manages no accounts, yet admins of today's clusters create some by hand on every node
    /// and list them; refusing those lists would break working clusters, so the plan says what it cannot check instead.
    /// </summary>
    public static IEnumerable<string> Warnings(ClusterSpec spec) =>
        spec.Identity.Mode != IdentityMode.Guest ? [] : spec.Shares.Where(s => s.ToShare(0).Principals().Any()).Select(s =>
            $"Share {s.Name} names users or groups, but the cluster's identity is Guest: the console manages no accounts, so each " +
            "must exist on every node by hand (same uid/gid), or choose Local users or Active Directory.");

    private static string? Problem(SmbPrincipal p, IdentitySpec identity)
    {
        var kind = p.Kind == PrincipalKind.Group ? "group" : "user";
        switch (identity.Mode)
        {
            case IdentityMode.LocalUsers when p.Domain is not null:
                return $"{p} is a domain {kind}, but the cluster's identity is local users: pick one of its local {kind}s";
            case IdentityMode.ActiveDirectory when p.Domain is not null:
                var workgroup = identity.ActiveDirectory?.Workgroup;
                return string.Equals(p.Domain, workgroup, StringComparison.OrdinalIgnoreCase) ? null
                    : $"{p} is not in the cluster's domain {workgroup}: write its {kind}s as {workgroup}\\name";
            case IdentityMode.LocalUsers or IdentityMode.ActiveDirectory when !IsLocal(p, identity):
                return identity.Mode == IdentityMode.LocalUsers
                    ? $"there is no local {kind} named '{p.Name}': add it under the cluster's {kind}s, or pick one"
                    : $"there is no local {kind} named '{p.Name}': write a domain {kind} as {identity.ActiveDirectory?.Workgroup}\\{p.Name} (winbind does not assume a default domain)";
            default:
                return null;
        }
    }

    // Unix names differ by case: alice and Alice are two accounts.
    private static bool IsLocal(SmbPrincipal p, IdentitySpec identity) => p.Kind == PrincipalKind.Group
        ? identity.Groups.Any(g => string.Equals(g.Name, p.Name, StringComparison.Ordinal))
        : identity.Users.Any(u => string.Equals(u.Name, p.Name, StringComparison.Ordinal));
}
