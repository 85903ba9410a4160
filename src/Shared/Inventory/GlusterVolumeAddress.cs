namespace StorageHa.Shared.Inventory;

/// <summary>
/// A GlusterFS device string, SERVER[,SERVER…]:/VOLUME[/SUBDIRECTORY], taken apart for Ganesha's GLUSTER backend, which
/// reaches the volume through libgfapi instead of the FUSE mount.
/// </summary>
/// <param name="Server">The first server named: the one Ganesha asks for the volume's layout.</param>
/// <param name="Volume">The volume's name.</param>
/// <param name="Subdirectory">The directory of the volume that is mounted ("/" for its root).</param>
public sealed record GlusterVolumeAddress(string Server, string Volume, string Subdirectory)
{
    /// <summary>Null when <paramref name="device"/> is not SERVER:/VOLUME[/…] (validation says why).</summary>
    public static GlusterVolumeAddress? Parse(string? device)
    {
        var split = device?.IndexOf(":/", StringComparison.Ordinal) ?? -1;
        if (split <= 0) return null;
        var server = device![..split].Split(',')[0];
        var path = device[(split + 2)..].Trim('/');
        if (server.Length == 0 || path.Length == 0) return null;
        var slash = path.IndexOf('/');
        return slash < 0 ? new(server, path, "/") : new(server, path[..slash], "/" + path[(slash + 1)..]);
    }

    /// <summary>Where <paramref name="path"/>, a path under <paramref name="mountPoint"/> where this volume is mounted, lies inside the volume.</summary>
    public string PathInVolume(string mountPoint, string path)
    {
        var below = path.Length > mountPoint.Length ? path[mountPoint.Length..].TrimStart('/') : "";
        return below.Length == 0 ? Subdirectory : Subdirectory.TrimEnd('/') + "/" + below;
    }
}
