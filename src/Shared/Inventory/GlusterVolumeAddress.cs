namespace StorageHa.Shared.Inventory;

/// <summary>
/// A GlusterFS device string, SERVER[,SERVER…]:/VOLUME[/SUBDIRECTORY] (mount.glusterfs also takes SERVER:VOLUME), taken
/// apart: the volume the health check asks glusterd about, and where Ganesha's GLUSTER backend reaches it through libgfapi.
/// </summary>
/// <param name="Server">The first server named: the one Ganesha asks for the volume's layout.</param>
/// <param name="Volume">The volume's name.</param>
/// <param name="Subdirectory">The directory of the volume that is mounted ("/" for its root).</param>
public sealed record GlusterVolumeAddress(string Server, string Volume, string Subdirectory)
{
    /// <summary>Null when <paramref name="device"/> names no server and volume (validation says why).</summary>
    public static GlusterVolumeAddress? Parse(string? device)
    {
        if (device is null) return null;
        var split = device.IndexOf(":/", StringComparison.Ordinal) is var rooted and >= 0 ? rooted : device.LastIndexOf(':');
        if (split <= 0) return null;
        var server = device[..split].Split(',')[0];
        var path = device[(split + 1)..].Trim('/');
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
