namespace StorageHa.NodeHelper.Tickle;

/// <summary>A VIP's connection list on (possibly shared) storage, replaced atomically so a reader never sees half a list.</summary>
internal static class ListFile
{
    /// <summary>Writes a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it over the list.</summary>
    public static void Replace(string path, string content)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var bytes = System.Text.Encoding.ASCII.GetBytes(content);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true); // fsync: after a crash the list is the old one or the new one, never empty
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The list's text, or null when there is none.</summary>
    public static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
