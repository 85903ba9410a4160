namespace StorageHa.Shared.Provisioning.Steps;

/// <summary>
/// The cluster filesystem checked on every node: something mounted exactly at <paramref name="MountPoint"/> (waiting up
/// to <paramref name="WaitSeconds"/> s while the cluster mounts it) and writable. It always runs and changes nothing;
/// each node prints what it mounted there, and the runner fails the step when the nodes disagree (<see cref="Disagreement"/>).
/// </summary>
public sealed record CheckMounted(string MountPoint, int WaitSeconds) : StepAction
{
    public override IReadOnlyList<string> Argv => NodeCommands.StorageMounted(MountPoint, WaitSeconds);
    public override string Kind => "storage-check";

    /// <summary>
    /// Null when every node mounted the same device with the same type (from the last line each printed); otherwise which
    /// nodes mount what. Samba's fileid module gives the same file ids on every node only from the same device string.
    /// </summary>
    public string? Disagreement(IReadOnlyList<(string Node, string Output)> runs)
    {
        var mounts = runs.Select(r => (r.Node, Mount: MountedFilesystem.Parse(r.Output))).ToList();
        var groups = mounts.GroupBy(m => m.Mount).ToList();
        if (groups.Count <= 1) return null;
        var what = groups.Select(g => $"{string.Join(", ", g.Select(m => m.Node))} {(g.Count() == 1 ? "mounts" : "mount")} {g.Key}");
        return $"The nodes mount different filesystems at {MountPoint}: {string.Join("; ", what)}. Every node must mount the same device, " +
            "written the same (Samba's fileid module gives the same file ids on every node only then): mount it the same way on every node.";
    }
}

/// <summary>What a node has mounted at the mount point, as storage-mounted.sh prints it ("SOURCE FSTYPE", findmnt's raw escapes undone).</summary>
public sealed partial record MountedFilesystem(string Source, string Type)
{
    public static MountedFilesystem Parse(string output)
    {
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
        var fields = line.Split(' ', 2);
        return new(Unescape(fields[0]), fields.Length > 1 ? Unescape(fields[1]) : "");
    }

    public override string ToString() => $"{Source} ({Type})";

    // findmnt -r writes a space, tab, newline or backslash as \xHH.
    private static string Unescape(string raw) => Escape().Replace(raw, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    [System.Text.RegularExpressions.GeneratedRegex(@"\\x([0-9a-fA-F]{2})")]
    private static partial System.Text.RegularExpressions.Regex Escape();
}
