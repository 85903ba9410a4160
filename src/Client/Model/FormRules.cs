using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Model;

/// <summary>
/// The checks a form makes before it bothers the server, so the admin sees a mistake at once. They are the
/// server's own rules (StorageHa.Shared.Validation), so a form never accepts what the server refuses.
/// </summary>
public static class FormRules
{
    public static FieldErrors Check(Cluster cluster) => From(InventoryValidation.Check(cluster));

    public static FieldErrors Check(Node node) => From(InventoryValidation.Check(node));

    public static FieldErrors Check(VirtualIp vip) => From(InventoryValidation.Check(vip));

    public static FieldErrors Check(Share share) => From(InventoryValidation.Check(share));

    public static FieldErrors Check(Export export) => From(InventoryValidation.Check(export));

    public static FieldErrors Check(NewCredential credential)
    {
        var errors = new FieldErrors();
        errors.Add("name", InputRules.Name(credential.Name));
        switch (credential.Source)
        {
            case CredentialSource.PrivateKey when string.IsNullOrWhiteSpace(credential.Secret):
                errors.Add("privateKey", "Paste the private key, from -----BEGIN to the END----- line.");
                break;
            case CredentialSource.PrivateKey when !credential.Secret!.Contains("PRIVATE KEY-----", StringComparison.Ordinal):
                errors.Add("privateKey", "This is not a private key: it must start with a -----BEGIN … PRIVATE KEY----- line.");
                break;
            case CredentialSource.Password when string.IsNullOrEmpty(credential.Secret):
                errors.Add("password", "Enter the password.");
                break;
        }
        return errors;
    }

    public static FieldErrors Check(NewUser user)
    {
        var errors = new FieldErrors();
        errors.Add("userName", InputRules.UserName(user.UserName));
        errors.Add("password", InputRules.Password(user.Password));
        return errors;
    }

    public static FieldErrors Check(NewPassword password)
    {
        var errors = new FieldErrors();
        errors.Add("password", InputRules.Password(password.Password));
        return errors;
    }

    public static FieldErrors Check(NewApiToken token)
    {
        var errors = new FieldErrors();
        if (token.UserId == 0)
            errors.Add("userId", "Choose the user the token acts as.");
        if (string.IsNullOrWhiteSpace(token.Name))
            errors.Add("name", "Name the token after what uses it, e.g. backup-script.");
        else if (token.Name.Length > 100 || token.Name.Any(char.IsControl))
            errors.Add("name", "A token name is one line of up to 100 characters.");
        return errors;
    }

    private static FieldErrors From(IReadOnlyList<ValidationError> found)
    {
        var errors = new FieldErrors();
        foreach (var e in found) errors.Add(e.Field, e.Message);
        return errors;
    }
}
