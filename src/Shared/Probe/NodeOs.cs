namespace StorageHa.Shared.Probe;

/// <summary>The node's distribution as its os-release names it: decides the exact command that installs or fixes something there.</summary>
public sealed record NodeOs(string? Id, string? Like, string? VersionId)
{
    public static NodeOs Of(NodeFacts facts) => new(facts.OsId, facts.OsLike, facts.OsVersion);

    /// <summary>Its profile: package names, repositories, unit names, and how far they are tested.</summary>
    public Distribution Distribution => Distribution.Of(Id, Like, VersionId);

    public bool IsDebianLike => Family == DistributionFamily.Debian;

    /// <summary>The family whose package names apply, or null on a distribution we do not know.</summary>
    public DistributionFamily? Family => Distribution.Family;

    /// <summary>The cluster's service units there (smbd or smb, chrony or chronyd…).</summary>
    public ServiceUnits Units => Distribution.Units;

    /// <summary>Whether installing the cluster packages there starts a one-node cluster of the package's own (Debian, Ubuntu).</summary>
    public bool DefaultClusterAfterInstall => Distribution.DefaultClusterAfterInstall;

    /// <summary>The install command for these probe package names, or null on a distribution we do not know.</summary>
    public string? InstallCommand(IEnumerable<string> packages) => Distribution.InstallCommand(packages);

    /// <summary>Starts a service now and at every boot.</summary>
    public static string EnableCommand(params string[] units) => $"systemctl enable --now {string.Join(' ', units)}";

    /// <summary>Stops a service now and keeps it from starting at boot (the cluster starts it instead).</summary>
    public static string DisableCommand(params string[] units) => $"systemctl disable --now {string.Join(' ', units)}";

    /// <summary>Installs and starts chrony, the time service every supported distribution ships.</summary>
    public string? TimeSyncFix => InstallCommand(["chrony"]) is { } install ? $"{install} && {EnableCommand(Units.TimeSync)}" : null;

    /// <summary>Frees the usual reclaimable space: the package cache and old journal files.</summary>
    public string? CleanupCommand => Distribution.CleanupCommand;
}
