namespace StorageHa.Server.Security;

/// <summary>
/// The data folder and the files in it are the service user's alone (0700, 0600), whatever the umask: they hold the
/// inventory, the audit trail and the key ring that decrypts every node credential.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder 0700, or makes an existing one so; returns its full path.</summary>
    public static string Folder(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(full); return full; }
        Directory.CreateDirectory(full, OwnerOnlyFolder);
        File.SetUnixFileMode(full, OwnerOnlyFolder);
        return full;
    }

    /// <summary>Makes an existing file 0600 (nothing when it does not exist).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(path, OwnerOnlyFile);
    }

    /// <summary>Writes a new file created 0600 from the start, so it is never readable by others, even for a moment.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        using var file = new FileStream(path, options);
        file.Write(content);
    }
}
