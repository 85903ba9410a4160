using StorageHa.Shared.Commands;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning.Steps;

namespace StorageHa.Shared.Provisioning;

/// <summary>
/// The cluster's local SMB users and groups on the nodes: their Unix accounts (the same uid/gid on every node, made by
/// local-accounts.sh) and their passwords in Samba's passdb (smb-password.sh, on one node: with clustering = yes it lives in CTDB).
/// </summary>
public static class LocalAccountSteps
{
    /// <summary>What the console created on a node, so that it deletes only its own accounts, never the admin's.</summary>
    public const string RecordPath = ConfigFiles.StateDirectory + "/local-accounts";

    /// <summary>The node has exactly these accounts of the console's: missing ones made, their memberships set, the console's others deleted.</summary>
    public static IReadOnlyList<string> Apply(IdentitySpec identity) =>
        NodeScript.Named("local-accounts").Command(["apply", RecordPath, .. Accounts(identity)]);

    /// <summary>Exit 0 when the node already has exactly these accounts of the console's.</summary>
    public static IReadOnlyList<string> Check(IdentitySpec identity) =>
        NodeScript.Named("local-accounts").Command(["check", RecordPath, .. Accounts(identity)]);

    /// <summary>Sets USER's SMB password from the first line of standard input.</summary>
    public static IReadOnlyList<string> SetPassword(string user) => NodeScript.Named("smb-password").Command("set", user);

    /// <summary>Removes USER from the passdb (done when it is not there).</summary>
    public static IReadOnlyList<string> DeletePassword(string user) => NodeScript.Named("smb-password").Command("delete", user);

    /// <summary>The accounts as the script takes them: groups first (group:NAME:GID), then users (user:NAME:UID:GROUP,GROUP).</summary>
    public static IReadOnlyList<string> Accounts(IdentitySpec identity) =>
    [
        .. identity.Groups.Select(g => $"group:{g.Name}:{g.Gid}"),
        .. identity.Users.Select(u => $"user:{u.Name}:{u.Uid}:{string.Join(',', u.Groups)}"),
    ];

    /// <summary>Whether the plan keeps local accounts on the nodes: local users chosen and some made.</summary>
    public static bool Wanted(IdentitySpec identity) =>
        identity.Mode == IdentityMode.LocalUsers && (identity.Users.Count > 0 || identity.Groups.Count > 0);

    /// <summary>The plan's step: every node has the accounts before the cluster's services start (a node that joins gets them too).</summary>
    public static PlanStep Prepare(IdentitySpec identity) =>
        new("local-accounts", StepTarget.AllNodes,
            $"Create the local SMB users' and groups' Unix accounts ({identity.Users.Count} user(s), {identity.Groups.Count} group(s)) with the same uid/gid on every node, " +
            "no login shell and no home; remove the ones the console created that are gone (never an account it did not create)",
            new NodeCommand(Apply(identity), Check(identity)));

    /// <summary>Teardown's step: the accounts the console created on the node are deleted; the admin's own stay.</summary>
    public static PlanStep GiveBack(StepTarget target) =>
        new("remove-local-accounts", target, "Delete the local SMB users' and groups' Unix accounts the console created (the node's own accounts stay)",
            new NodeCommand(Apply(new IdentitySpec()), Check(new IdentitySpec())));
}
