using System.Runtime.InteropServices;

namespace StorageHa.TestSupport;

/// <summary>
/// A program or file that tests run, and the Debian package that installs it. A test calls <see cref="Require"/> first,
/// so a machine without the package fails it at once, naming the package, instead of late with a confusing error.
/// </summary>
/// <param name="Name">As the message names it: the command's name, or what the file is.</param>
/// <param name="Package">The Debian package that installs it (test.sh installs them all).</param>
/// <param name="Paths">Where it is when installed; empty: a command looked up on PATH and in the sbin directories.</param>
public sealed record RequiredTool(string Name, string Package, IReadOnlyList<string> Paths)
{
    public RequiredTool(string command, string package) : this(command, package, []) { }

    /// <summary>resource-agents' OCF checker, which validates meta-data with <see cref="Xmllint"/>.</summary>
    public static RequiredTool OcfTester { get; } = new("ocf-tester", "resource-agents");
    public static RequiredTool Xmllint { get; } = new("xmllint", "libxml2-utils");
    public static RequiredTool SmbClient { get; } = new("smbclient", "smbclient");
    public static RequiredTool NfsCat { get; } = new("nfs-cat", "libnfs-utils");
    public static RequiredTool Chromium { get; } = new("chromium", "chromium", ["/usr/bin/chromium"]);
    /// <summary>Debian's own Python, the one <see cref="SambaPython"/> is built for (not one a user put first on PATH).</summary>
    public static RequiredTool Python { get; } = new("python3", "python3", ["/usr/bin/python3"]);
    /// <summary>Samba's client library for Python: the lab's independent SMB client (docker/lab/outage-client.py).</summary>
    public static RequiredTool SambaPython { get; } =
        new("Samba's Python client library", "python3-samba", ["/usr/lib/python3/dist-packages/samba/samba3/libsmb_samba_internal.py"]);
    /// <summary>The NFS client library behind nfs-cat, which the lab's independent NFS client calls directly.</summary>
    public static RequiredTool LibNfs { get; } = new("libnfs", "libnfs13", [$"/usr/lib/{MultiarchTriplet}/libnfs.so.13", "/usr/lib64/libnfs.so.13"]);

    /// <summary>The module behind the console's `vfs objects = fileid`: without it smbd opens no share.</summary>
    public static RequiredTool SambaFileId { get; } =
        new("Samba's fileid VFS module", "samba-vfs-modules", [$"/usr/lib/{MultiarchTriplet}/samba/vfs/fileid.so", "/usr/lib64/samba/vfs/fileid.so"]);

    /// <summary>The FSAL behind the console's ganesha.conf exports (FSAL { Name = VFS; }).</summary>
    public static RequiredTool GaneshaVfs { get; } =
        new("NFS-Ganesha's VFS FSAL", "nfs-ganesha-vfs", [$"/usr/lib/{MultiarchTriplet}/ganesha/libfsalvfs.so", "/usr/lib64/ganesha/libfsalvfs.so"]);

    /// <summary>The file or command's full path, or null when it is not installed.</summary>
    public string? Find() => Paths.Count > 0 ? Paths.FirstOrDefault(File.Exists) : FindCommand(Name);

    /// <summary>Throws, naming every missing tool and the packages to install, unless all of <paramref name="tools"/> are here.</summary>
    public static void Require(params RequiredTool[] tools)
    {
        if (MissingMessage(tools) is { } message) throw new MissingToolException(message);
    }

    /// <summary>"xmllint is missing: install libxml2-utils (apt-get install …)", or null when nothing is missing.</summary>
    public static string? MissingMessage(IEnumerable<RequiredTool> tools)
    {
        var missing = tools.Where(t => t.Find() is null).ToList();
        if (missing.Count == 0) return null;
        var packages = string.Join(' ', missing.Select(t => t.Package).Distinct());
        return string.Join("; ", missing.Select(t => $"{t.Name} is missing: install {t.Package}")) +
            $" (apt-get install -y --no-install-recommends {packages}; test.sh installs every package the tests use)";
    }

    private static readonly string[] SbinDirectories = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    private static string? FindCommand(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(SbinDirectories)
            .Select(directory => Path.Combine(directory, command))
            .FirstOrDefault(IsExecutableFile);

    private static bool IsExecutableFile(string path) =>
        File.Exists(path) && (OperatingSystem.IsWindows() ||
            (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>Debian's multiarch library directory name for this machine ("x86_64-linux-gnu").</summary>
    private static string MultiarchTriplet => RuntimeInformation.OSArchitecture switch
    {
        Architecture.Arm64 => "aarch64-linux-gnu",
        _ => "x86_64-linux-gnu",
    };
}

/// <summary>A test cannot run here: a program or file it needs is not installed (the message names the package).</summary>
public sealed class MissingToolException(string message) : Exception(message);
