namespace StorageHa.Client.Model;

/// <summary>The role names the pages check, as the server puts them in the sign-in cookie (ClaimTypes.Role).</summary>
public static class ConsoleRoles
{
    public const string Viewer = "Viewer";
    public const string Operator = "Operator";
    public const string Admin = "Admin";
    /// <summary>Who may change the inventory and run probes.</summary>
    public const string Operators = "Operator,Admin";
}
