using StorageHa.Shared.Validation;

namespace StorageHa.Shared.Inventory;

/// <summary>
/// The rules of a cluster's local users and groups, and the changes the console makes to them: each change returns the
/// identity with it done, its new uid/gid taken from <see cref="ActiveDirectorySpec.LocalAccounts"/> after the highest
/// ever given, so a deleted account's id (and the files it still owns) never goes to someone else.
/// </summary>
public static class LocalAccounts
{
    /// <summary>Every error of the users and groups, named by field under "identity." (e.g. identity.users[0].name).</summary>
    public static IEnumerable<ValidationError> Validate(IdentitySpec identity)
    {
        var range = ActiveDirectorySpec.LocalAccounts;
        if (identity.HighestLocalId != 0 && !range.Contains(identity.HighestLocalId))
            yield return new("identity.highestLocalId", $"{identity.HighestLocalId} is not a local account's id ({range}, or 0 when none was given)");
        var groupNames = new HashSet<string>(StringComparer.Ordinal);
        var gids = new HashSet<long>();
        for (var i = 0; i < identity.Groups.Count; i++)
        {
            var group = identity.Groups[i];
            var field = $"identity.groups[{i}]";
            if (group is null) { yield return new(field, "is required"); continue; }
            if (InputRules.AccountName(group.Name) is { } name) yield return new(field + ".name", name);
            else if (!groupNames.Add(group.Name)) yield return new(field + ".name", $"there are two groups named '{group.Name}'");
            foreach (var error in IdErrors(field + ".gid", group.Gid, identity, gids, "group")) yield return error;
        }
        var userNames = new HashSet<string>(StringComparer.Ordinal);
        var uids = new HashSet<long>();
        for (var i = 0; i < identity.Users.Count; i++)
        {
            var user = identity.Users[i];
            var field = $"identity.users[{i}]";
            if (user is null) { yield return new(field, "is required"); continue; }
            if (InputRules.AccountName(user.Name) is { } name) yield return new(field + ".name", name);
            else if (!userNames.Add(user.Name)) yield return new(field + ".name", $"there are two users named '{user.Name}'");
            else if (groupNames.Contains(user.Name)) yield return new(field + ".name", $"'{user.Name}' is a group's name too: a share's list would not say which is meant");
            foreach (var error in IdErrors(field + ".uid", user.Uid, identity, uids, "user")) yield return error;
            if (InputRules.Text(user.FullName) is { } fullName) yield return new(field + ".fullName", fullName);
            else if (user.FullName is { } full && (full.Contains(':') || full.Contains(',')))
                yield return new(field + ".fullName", "must not contain ':' or ',' (they separate the fields of /etc/passwd)");
            var groups = user.Groups ?? [];
            for (var g = 0; g < groups.Count; g++)
                if (!groupNames.Contains(groups[g] ?? ""))
                    yield return new($"{field}.groups[{g}]", $"'{groups[g]}' is not one of the cluster's local groups");
            if (groups.Distinct(StringComparer.Ordinal).Count() != groups.Count)
                yield return new(field + ".groups", "names a group twice");
        }
    }

    private static IEnumerable<ValidationError> IdErrors(string field, long id, IdentitySpec identity, HashSet<long> seen, string kind)
    {
        var range = ActiveDirectorySpec.LocalAccounts;
        if (!range.Contains(id)) yield return new(field, $"{id} is not in the local accounts' range {range}");
        else if (id > identity.HighestLocalId) yield return new(field, $"{id} was not given by the console (the highest it gave is {identity.HighestLocalId})");
        else if (!seen.Add(id)) yield return new(field, $"two {kind}s have id {id}");
    }

    /// <summary>The id the next account gets: one after the highest ever given (0 when none was given yet: the range's first).</summary>
    public static long NextId(IdentitySpec identity)
    {
        var range = ActiveDirectorySpec.LocalAccounts;
        var highest = identity.Users.Select(u => u.Uid).Concat(identity.Groups.Select(g => g.Gid)).Append(identity.HighestLocalId).Max();
        var next = highest < range.First ? range.First : highest + 1;
        return next <= range.Last ? next
            : throw new ConflictException("identity", $"every local account id in {range} has been given once; ids are never given twice");
    }

    /// <summary>The identity with a new user, its uid the next one.</summary>
    public static IdentitySpec AddUser(IdentitySpec identity, string name, string? fullName, IReadOnlyList<string> groups)
    {
        RequireName("name", name);
        if (identity.Users.Any(u => u.Name == name)) throw Invalid("name", $"there is already a user named '{name}'");
        if (identity.Groups.Any(g => g.Name == name)) throw Invalid("name", $"'{name}' is a group's name: a share's list would not say which is meant");
        RequireGroups(identity, groups);
        var uid = NextId(identity);
        return Checked(identity with
        {
            Users = [.. identity.Users, new LocalUserSpec(name, uid, groups) { FullName = string.IsNullOrWhiteSpace(fullName) ? null : fullName }],
            HighestLocalId = uid,
        });
    }

    /// <summary>The identity with a new group, its gid the next one.</summary>
    public static IdentitySpec AddGroup(IdentitySpec identity, string name)
    {
        RequireName("name", name);
        if (identity.Groups.Any(g => g.Name == name)) throw Invalid("name", $"there is already a group named '{name}'");
        if (identity.Users.Any(u => u.Name == name)) throw Invalid("name", $"'{name}' is a user's name: a share's list would not say which is meant");
        var gid = NextId(identity);
        return Checked(identity with { Groups = [.. identity.Groups, new LocalGroupSpec(name, gid)], HighestLocalId = gid });
    }

    public static IdentitySpec RemoveUser(IdentitySpec identity, string name) =>
        identity with { Users = [.. identity.Users.Where(u => u.Name != User(identity, name).Name)] };

    /// <summary>The identity without the group; its members stay, no longer in it.</summary>
    public static IdentitySpec RemoveGroup(IdentitySpec identity, string name)
    {
        if (identity.Groups.All(g => g.Name != name)) throw new KeyNotFoundException($"There is no local group named '{name}'.");
        return identity with
        {
            Groups = [.. identity.Groups.Where(g => g.Name != name)],
            Users = [.. identity.Users.Select(u => u.Groups.Contains(name) ? u with { Groups = [.. u.Groups.Where(g => g != name)] } : u)],
        };
    }

    /// <summary>The identity with the user in exactly these groups.</summary>
    public static IdentitySpec SetGroups(IdentitySpec identity, string name, IReadOnlyList<string> groups)
    {
        var user = User(identity, name);
        RequireGroups(identity, groups);
        return Checked(identity with { Users = [.. identity.Users.Select(u => u.Name == user.Name ? u with { Groups = groups } : u)] });
    }

    public static LocalUserSpec User(IdentitySpec identity, string name) =>
        identity.Users.FirstOrDefault(u => u.Name == name) ?? throw new KeyNotFoundException($"There is no local user named '{name}'.");

    private static void RequireName(string field, string name)
    {
        if (InputRules.AccountName(name) is { } error) throw Invalid(field, error);
    }

    private static void RequireGroups(IdentitySpec identity, IReadOnlyList<string> groups)
    {
        for (var i = 0; i < groups.Count; i++)
            if (identity.Groups.All(g => g.Name != groups[i]))
                throw Invalid($"groups[{i}]", $"'{groups[i]}' is not one of the cluster's local groups");
        if (groups.Distinct(StringComparer.Ordinal).Count() != groups.Count) throw Invalid("groups", "names a group twice");
    }

    /// <summary>A change's result, checked as a whole (e.g. a full name with a ':'), errors named as the change's own fields.</summary>
    private static IdentitySpec Checked(IdentitySpec identity)
    {
        var errors = Validate(identity).ToList();
        return errors.Count == 0 ? identity
            : throw new InvalidInputException([.. errors.Select(e => e with { Field = e.Field[(e.Field.LastIndexOf('.') + 1)..] })]);
    }

    private static InvalidInputException Invalid(string field, string message) => new([new ValidationError(field, message)]);
}
