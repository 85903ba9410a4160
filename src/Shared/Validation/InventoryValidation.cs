using StorageHa.Shared.Inventory;

namespace StorageHa.Shared.Validation;

/// <summary>Validates whole inventory records; field names are the JSON names the API and the forms use.</summary>
public static class InventoryValidation
{
    public static IReadOnlyList<ValidationError> Check(Cluster c) => Collect(
        ("name", InputRules.Name(c.Name)),
        ("description", InputRules.Text(c.Description)),
        ("purpose", Enum.IsDefined(c.Purpose) ? null : "must be Smb, Nfs or Both"));

    public static IReadOnlyList<ValidationError> Check(Node n) => Collect(
        ("name", InputRules.Name(n.Name)),
        ("address", InputRules.HostAddress(n.Address)),
        ("sshPort", InputRules.Port(n.SshPort)),
        ("sshUser", InputRules.UserName(n.SshUser)));

    public static IReadOnlyList<ValidationError> Check(VirtualIp v) => Collect(
        ("address", InputRules.VirtualIpAddress(v.Address)),
        ("prefix", InputRules.Prefix(v.Prefix, v.Address)),
        ("nic", InputRules.InterfaceName(v.Nic)));

    public static IReadOnlyList<ValidationError> Check(Share s) => Collect(
        ("name", InputRules.ShareName(s.Name)),
        ("path", InputRules.ServedPath(s.Path)),
        ("comment", InputRules.ConfigText(s.Comment)),
        ("validUsers", ListSize(s.ValidUsers)), ("readList", ListSize(s.ReadList)), ("writeList", ListSize(s.WriteList)), ("adminUsers", ListSize(s.AdminUsers)),
        ("owner", s.Owner is { Kind: PrincipalKind.Group } ? $"{s.Owner} is a group: a folder's owner is a user" : null),
        ("group", s.Group is { Kind: PrincipalKind.User } ? $"{s.Group} is a user: write the folder's group as @name" : null),
        ("mode", InputRules.FolderMode(s.Mode)));

    private static string? ListSize(IReadOnlyList<SmbPrincipal>? list) =>
        list is null ? "must be a list (empty for none)"
        : list.Count > SharePrincipals.MaxPerList ? $"must name at most {SharePrincipals.MaxPerList} users and groups (use a group)" : null;

    public static IReadOnlyList<ValidationError> Check(Export e) => Collect(
        ("path", InputRules.ServedPath(e.Path)),
        ("clients", InputRules.ExportClients(e.Clients)),
        ("access", Enum.IsDefined(e.Access) ? null : "must be ReadWrite or ReadOnly"));

    /// <summary>Throws <see cref="InvalidInputException"/> listing every error, or returns the value unchanged.</summary>
    public static T Ensure<T>(T value, Func<T, IReadOnlyList<ValidationError>> check)
    {
        var errors = check(value);
        return errors.Count == 0 ? value : throw new InvalidInputException(errors);
    }

    private static IReadOnlyList<ValidationError> Collect(params (string Field, string? Message)[] results) =>
        results.Where(r => r.Message is not null).Select(r => new ValidationError(r.Field, r.Message!)).ToList();
}
