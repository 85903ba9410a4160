using StorageHa.Shared.Validation;

namespace StorageHa.Client.Model;

/// <summary>A local SMB user as the Users page's dialog collects it; the password only passes through to the nodes.</summary>
public sealed record NewSmbUser(string Name, string? FullName, IReadOnlyList<string> Groups, string Password)
{
    /// <summary>Never the password: a record would print it.</summary>
    public override string ToString() => Name;

    public FieldErrors Check()
    {
        var errors = new FieldErrors();
        errors.Add("name", InputRules.AccountName(Name));
        errors.Add("fullName", InputRules.Text(FullName));
        errors.Add("password", InputRules.SmbPassword(Password));
        return errors;
    }
}

/// <summary>A local SMB user's new password.</summary>
public sealed record NewSmbPassword(string Password)
{
    public override string ToString() => "a new SMB password";

    public FieldErrors Check()
    {
        var errors = new FieldErrors();
        errors.Add("password", InputRules.SmbPassword(Password));
        return errors;
    }
}

/// <summary>A local SMB group's name.</summary>
public sealed record NewSmbGroup(string Name)
{
    public FieldErrors Check()
    {
        var errors = new FieldErrors();
        errors.Add("name", InputRules.AccountName(Name));
        return errors;
    }
}

/// <summary>The local groups a user is in.</summary>
public sealed record SmbMembership(IReadOnlyList<string> Groups);
