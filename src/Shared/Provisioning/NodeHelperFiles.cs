namespace StorageHa.Shared.Provisioning;

/// <summary>Where the console installs its node helper on every node, and the OCF agents of it that the plan uses.</summary>
public static class NodeHelperFiles
{
    public const string Binary = "/usr/local/sbin/storageha-node";
    /// <summary>The OCF provider directory: an agent there is ocf:storageha:NAME to Pacemaker.</summary>
    public const string AgentDirectory = "/usr/lib/ocf/resource.d/storageha";

    /// <summary>Every file a teardown removes: the binary and each agent a plan refers to.</summary>
    public static IReadOnlyList<string> All => [Binary, $"{AgentDirectory}/tickle", $"{AgentDirectory}/ganesha-grace"];
}
