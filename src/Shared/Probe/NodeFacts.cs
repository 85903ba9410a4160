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
    /// <summary>The VFS modules smbd can load (built in, or a file in its module directory); null when smbd is not installed.</summary>
    public IReadOnlyList<string>? SambaVfsModules { get; init; }
    /// <summary>What is missing or wrong, each with the command that fixes it.</summary>
    public IReadOnlyList<ProbeFinding> Findings { get; init; } = [];
}

public sealed record NetworkInterface(string Name, string? Mac, bool Up, IReadOnlyList<string> Addresses);

/// <summary>An installed (Version set) or missing (Version null) package.</summary>
public sealed record PackageState(string Name, string? Version);

public sealed record ServiceState(string Name, bool Running);

public sealed record FilesystemSpace(string MountPoint, long SizeBytes, long FreeBytes);

public enum FindingSeverity { Info, Warning, Blocker }

public sealed record ProbeFinding(FindingSeverity Severity, string Message, string? FixCommand);
