using System.Globalization;

namespace StorageHa.Client.Model;

/// <summary>How times and sizes read on every page: UTC with seconds, sizes in binary units.</summary>
public static class Display
{
    public static string Time(DateTimeOffset? at, string never = "never")
        => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : never;

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }
}
