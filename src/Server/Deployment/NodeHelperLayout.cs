using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Deployment;

/// <summary>
/// Where the node helper lives on a node. The root is "/" on real nodes; tests install under a temporary root
/// so they never write to the test machine's /usr.
/// </summary>
public sealed record NodeHelperLayout
{
    public NodeHelperLayout(string root = "/")
    {
        if (!root.StartsWith('/')) throw new ArgumentException($"The install root must be an absolute path, not '{root}'.", nameof(root));
        Root = root;
    }

    public string Root { get; }
    public string BinaryPath => Under(NodeHelperFiles.Binary);
    /// <summary>The OCF provider directory: agents there are ocf:storageha:NAME to Pacemaker.</summary>
    public string AgentDirectory => Under(NodeHelperFiles.AgentDirectory);

    public string PathOf(BundledFile file) => file.Kind == BundledFileKind.Binary ? BinaryPath : $"{AgentDirectory}/{file.Name}";

    private string Under(string absolute) => Root.TrimEnd('/') + absolute;
}

/// <summary>Where the console finds the bundle, and where it installs it on nodes.</summary>
public sealed record NodeHelperSettings
{
    public string BundleDirectory { get; init; } = NodeHelperPackage.DefaultDirectory;
    public NodeHelperLayout Layout { get; init; } = new();
}
