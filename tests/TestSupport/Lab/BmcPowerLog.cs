using System.Globalization;

namespace StorageHa.TestSupport.Lab;

/// <summary>What a node's BMC did to its power ("power off", "power on", …), from its chassis log
/// ($LAB_DIR/bmc/NODE/chassis.log, "20:03:38.135 power off" a line, UTC).</summary>
public static class BmcPowerLog
{
    public static List<(DateTimeOffset Time, string Action)> Read(LabDescription lab, string node)
    {
        var path = Path.Join(lab.LabDir, "bmc", node, "chassis.log");
        if (!File.Exists(path)) return [];
        var today = DateTime.UtcNow.Date;
        return File.ReadAllLines(path).Select(l => l.Split(' ', 2))
            .Select(p => (new DateTimeOffset(today + TimeSpan.ParseExact(p[0], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture), TimeSpan.Zero), p[1]))
            .ToList();
    }
}
