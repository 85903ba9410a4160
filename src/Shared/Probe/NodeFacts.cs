namespace StorageHa.Shared.Probe;

/// <summary>What a probe learned about a node: the server as it is, before StorageHa changes it.</summary>
public sealed record NodeFacts
{
    public DateTimeOffset ProbedAt { get; init; }
    public string? Hostname { get; init; }
    /// <summary>PRETTY_NAME from /etc/os-release, e.g. "Debian GNU/Linux 12 (bookworm)".</summary>
    public string? OsName { get; init; }
    /// <summary>ID from /etc/os-release (debian, rhel, ubuntu…): decides the install command.</summary>
    public string? OsId { get; init; }
    /// <summary>ID_LIKE from /etc/os-release ("rhel centos fedora"): the family of a derivative, for its install command.</summary>
    public string? OsLike { get; init; }
    public string? OsVersion { get; init; }
    public string? Kernel { get; init; }
    /// <summary>The name of PID 1 ("systemd", or e.g. "init" / a container's entry point): which service agents can work.</summary>
    public string? InitProcess { get; init; }
    public IReadOnlyList<NetworkInterface> Interfaces { get; init; } = [];
    public IReadOnlyList<PackageState> Packages { get; init; } = [];
    public IReadOnlyList<ServiceState> Services { get; init; } = [];
    /// <summary>True when the clock is synchronised (timedatectl, chrony or ntp), null when unknown.</summary>
    public bool? TimeSynchronized { get; init; }
    public string? TimeSyncSource { get; init; }
    public IReadOnlyList<FilesystemSpace> Filesystems { get; init; } = [];
    /// <summary>The real filesystems mounted on the node (source, mount point, type); null when the probe that read this did not list them.</summary>
    public IReadOnlyList<StorageHa.Shared.Storage.MountedFilesystem>? Mounts { get; init; }
    /// <summary>The VFS modules smbd can load (built in, or a file in its module directory); null when smbd is not installed.</summary>
    public IReadOnlyList<string>? SambaVfsModules { get; init; }
    /// <summary>The cluster daemons' systemd units; null where systemd does not run the node.</summary>
    public IReadOnlyList<UnitState>? Units { get; init; }
    /// <summary>The cluster this node is already set up for (it has a corosync.conf); null when it has none.</summary>
    public ExistingCluster? ExistingCluster { get; init; }
    /// <summary>The Active Directory domain as this node sees it (its DC, the DC's clock); null when the cluster joins none.</summary>
    public DomainLookup? Domain { get; init; }
    /// <summary>What is missing or wrong, each with the command that fixes it.</summary>
    public IReadOnlyList<ProbeFinding> Findings { get; init; } = [];
}

public sealed record NetworkInterface(string Name, string? Mac, bool Up, IReadOnlyList<string> Addresses);

/// <summary>An installed (Version set) or missing (Version null) package.</summary>
public sealed record PackageState(string Name, string? Version);

public sealed record ServiceState(string Name, bool Running);

/// <summary>A systemd unit: whether it starts at boot ("enabled", "disabled", "masked", "not-found"…), runs, and runs under the cluster.</summary>
public sealed record UnitState(string Name, string Enablement, bool Active, bool ClusterControlled)
{
    public bool Installed => Enablement != "not-found";
    public bool Enabled => Enablement == "enabled";
}

/// <summary>
/// The cluster a node's corosync.conf describes, and what Pacemaker has configured in it (null: not known). A freshly
/// installed Debian or Ubuntu server has one: the corosync package's own corosync.conf, a one-node cluster it starts.
/// </summary>
/// <param name="PackageDefault">corosync.conf is the file the package installed, unchanged.</param>
/// <param name="HasCib">Pacemaker has a CIB on disk: the cluster has run here.</param>
public sealed record ExistingCluster(string? Name, IReadOnlyList<string> Addresses, bool PackageDefault, bool Running, bool HasCib,
    int? NodesConfigured, int? ResourcesConfigured)
{
    /// <summary>Provably what installing the package made: its own file, one node at most, nothing configured.</summary>
    public bool IsPackageDefault => PackageDefault && Addresses.Count <= 1 && NodesConfigured is null or <= 1 && ResourcesConfigured is null or 0;

    /// <summary>The package's default cluster, running or run once (it has a CIB): the console must end it before forming its own.</summary>
    public bool IsRunningPackageDefault => IsPackageDefault && (Running || HasCib);

    /// <summary>Someone configured this cluster: a corosync.conf the package did not write, or its default with nodes or resources added.</summary>
    public bool IsConfigured => !IsPackageDefault;

    public string Describe() =>
        $"cluster '{Name ?? "(no name)"}' ({Addresses.Count} node(s) in corosync.conf" +
        (ResourcesConfigured is { } r ? $", {r} resource(s) configured" : "") + (Running ? ", running" : ", not running") + ")";
}

public sealed record FilesystemSpace(string MountPoint, long SizeBytes, long FreeBytes);

public enum FindingSeverity { Info, Warning, Blocker }

public sealed record ProbeFinding(FindingSeverity Severity, string Message, string? FixCommand);

/// <summary>
/// What Samba's own lookup of an Active Directory domain found from a node: the DC its SRV records lead to and how far the
/// DC's clock is from the node's.
/// </summary>
/// <param name="Realm">The realm the probe looked up.</param>
/// <param name="Controller">The DC that answered (its DNS name), null when none was found.</param>
/// <param name="ClockOffsetSeconds">The DC's time minus the node's, as net reports it; null when unknown.</param>
/// <param name="Problem">Samba's own words when the lookup failed.</param>
public sealed record DomainLookup(string Realm, string? Controller, string? ControllerAddress, int? ClockOffsetSeconds, string? Problem)
{
    /// <summary>Kerberos's default: tickets from a clock further off are refused, so the join and every login fail.</summary>
    public const int MaxClockSkewSeconds = 300;

    public bool Found => Controller is not null;

    /// <summary>The DNS servers the node's resolver asks (systemd-resolved's upstreams behind its stub); empty when unknown.</summary>
    public IReadOnlyList<string> Resolvers { get; init; } = [];

    /// <summary>Whom the node's resolver asks, for a message: " (it asks 10.0.0.1, 10.0.0.2)", or nothing when unknown.</summary>
    public string AsksFor => Resolvers.Count == 0 ? "" : $" (it asks {string.Join(", ", Resolvers)})";
}
