using System.Globalization;
using System.Text.RegularExpressions;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Text;

namespace StorageHa.Shared.Probe;

/// <summary>Reads the probe script's output into <see cref="NodeFacts"/>, findings included. Pure: same text, same facts.</summary>
public static partial class ProbeReport
{
    /// <param name="purpose">Which file services the node's cluster runs: decides whether Samba/CTDB and Ganesha are needed.</param>
    public static NodeFacts Parse(string output, DateTimeOffset probedAt, ClusterPurpose purpose = ClusterPurpose.Both)
    {
        var sections = Sections(output);
        var os = KeyValues(sections.GetValueOrDefault("os-release", []));
        var processes = Words(sections.GetValueOrDefault("processes", []));
        var (synchronized, source) = TimeSync(sections, processes);
        var facts = new NodeFacts
        {
            ProbedAt = probedAt,
            Hostname = FirstLine(sections, "hostname"),
            OsName = os.GetValueOrDefault("PRETTY_NAME") ?? os.GetValueOrDefault("NAME"),
            OsId = os.GetValueOrDefault("ID"),
            OsLike = os.GetValueOrDefault("ID_LIKE"),
            OsVersion = os.GetValueOrDefault("VERSION_ID"),
            Kernel = FirstLine(sections, "kernel"),
            InitProcess = FirstLine(sections, "init"),
            Interfaces = Interfaces(sections.GetValueOrDefault("links", []), sections.GetValueOrDefault("addresses", [])),
            Packages = Packages(sections.GetValueOrDefault("packages", [])),
            Services = processes.Where(p => ClusterProcesses.Contains(p.Key))
                .Select(p => new ServiceState(p.Key, p.Value == "running")).ToList(),
            TimeSynchronized = synchronized,
            TimeSyncSource = source,
            Filesystems = Filesystems(sections.GetValueOrDefault("df", [])),
            Mounts = sections.TryGetValue("mounts", out var mounts) ? StorageHa.Shared.Storage.Mountinfo.Parse(mounts) : null,
            Units = sections.TryGetValue("systemd-units", out var units) && units.Count > 0 ? Units(units) : null,
            ExistingCluster = ExistingCluster(sections.GetValueOrDefault("existing-cluster", []), processes),
            Domain = sections.TryGetValue("ad-domain", out var domain) && domain.Any(l => l.Trim().Length > 0) ? Domain(domain) : null,
            SambaVfsModules = sections.GetValueOrDefault("samba-vfs") is { Count: > 0 } modules
                ? modules.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList() : null,
        };
        return facts with { Findings = ProbeFindings.For(facts, purpose, complete: sections.ContainsKey("end")) };
    }

    private static readonly HashSet<string> ClusterProcesses = ["corosync", "pacemakerd", "ctdbd", "smbd", "ganesha.nfsd", "pcsd"];

    /// <summary>Every probed package, in probe order: the listing names only the installed ones ("name version").</summary>
    private static List<PackageState> Packages(List<string> lines)
    {
        var installed = Words(lines).Where(w => w.Value is not ("" or "-")).GroupBy(w => w.Key).ToDictionary(g => g.Key, g => g.First().Value);
        return NodeProbe.Packages.Select(name => new PackageState(name, installed.GetValueOrDefault(name))).ToList();
    }

    /// <summary>"UNIT ENABLEMENT ACTIVITY yes|no" lines.</summary>
    private static List<UnitState> Units(List<string> lines) =>
        lines.Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length == 4)
            .Select(w => new UnitState(w[0], w[1], w[2] == "active", w[3] == "yes")).ToList();

    /// <summary>"KEY VALUE" lines: conf-md5, package-md5, cluster_name, ring0_addr (one per node), cib, nodes_configured, resources_configured.</summary>
    /// <summary>
    /// "asked: REALM", "resolvers: ADDRESS …" (the node's DNS servers), then `net ads info` as probe.sh prints it, then "exit N": "LDAP server name: dc.example.com", "LDAP server: ADDRESS",
    /// "Realm: EXAMPLE.COM", "Server time offset: N" when the DC answered; Samba's complaint otherwise.
    /// </summary>
    private static DomainLookup Domain(List<string> lines)
    {
        var fields = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.Ordinal);
        var exit = lines.LastOrDefault(l => l.StartsWith("exit ", StringComparison.Ordinal))?[5..].Trim();
        var controller = fields.GetValueOrDefault("LDAP server name") is { Length: > 0 } name && exit == "0" ? name : null;
        int? offset = int.TryParse(fields.GetValueOrDefault("Server time offset"), System.Globalization.NumberStyles.AllowLeadingSign,
            System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : null;
        var said = string.Join(" ", lines.Where(l => l.Trim().Length > 0 && !l.StartsWith("exit ", StringComparison.Ordinal)
                && !l.StartsWith("asked:", StringComparison.Ordinal) && !l.StartsWith("resolvers:", StringComparison.Ordinal))
            .Select(l => l.Trim())).Trim();
        var problem = controller is not null ? null
            : exit == "127" ? "net is not installed (package samba-common-bin)"
            : exit == "124" ? "Samba's lookup of the domain did not finish within 20 s"
            : said.Length > 0 ? Excerpt.Of(said, 300) : $"net ads info failed (exit {exit})";
        return new DomainLookup(fields.GetValueOrDefault("asked") ?? "", controller, fields.GetValueOrDefault("LDAP server"), offset, problem)
        {
            Resolvers = (fields.GetValueOrDefault("resolvers") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } resolvers
                ? resolvers.Distinct(StringComparer.Ordinal).ToArray() : [],
        };
    }

    private static ExistingCluster? ExistingCluster(List<string> lines, List<KeyValuePair<string, string>> processes)
    {
        var values = Words(lines);
        string? Value(string key) => values.FirstOrDefault(v => v.Key == key).Value;
        int? Number(string key) => int.TryParse(Value(key), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        var md5 = Value("conf-md5");
        if (md5 is null) return null;
        var packageMd5 = Value("package-md5");
        return new ExistingCluster(
            Name: Value("cluster_name"),
            Addresses: values.Where(v => v.Key == "ring0_addr").Select(v => v.Value).ToList(),
            PackageDefault: packageMd5 is not null && packageMd5 == md5,
            Running: processes.Any(p => p.Key == "corosync" && p.Value == "running"),
            HasCib: Value("cib") == "yes",
            NodesConfigured: Number("nodes_configured"),
            ResourcesConfigured: Number("resources_configured"));
    }

    /// <summary>The output's sections by name ("@@storageha:NAME" lines), each with its non-empty lines: the node scripts' one format.</summary>
    public static Dictionary<string, List<string>> Sections(string output)
    {
        var sections = new Dictionary<string, List<string>>();
        List<string>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(NodeProbe.SectionMarker, StringComparison.Ordinal))
                sections[line[NodeProbe.SectionMarker.Length..].Trim()] = current = [];
            else if (current is not null && line.Length > 0)
                current.Add(line);
        }
        return sections;
    }

    private static string? FirstLine(Dictionary<string, List<string>> sections, string name) =>
        sections.GetValueOrDefault(name, []).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);

    /// <summary>os-release and timedatectl lines: KEY=value, the value maybe in quotes with backslash escapes.</summary>
    private static Dictionary<string, string> KeyValues(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=');
            if (eq <= 0 || line.TrimStart().StartsWith('#')) continue;
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
                value = Regex.Replace(value[1..^1], @"\\(.)", "$1");
            values[line[..eq].Trim()] = value;
        }
        return values;
    }

    /// <summary>"name value" lines, in their order.</summary>
    private static List<KeyValuePair<string, string>> Words(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 0)
            .Select(w => KeyValuePair.Create(w[0], w.Length > 1 ? w[1].Trim() : ""))
            .ToList();

    // "2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 … link/ether 52:54:00:12:34:56 brd …"
    [GeneratedRegex(@"^\d+:\s+(?<name>[^:@\s]+)(@\S+)?:\s+<(?<flags>[^>]*)>(.*?link/\S+\s+(?<mac>[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5})\b)?")]
    private static partial Regex LinkLine();

    // "4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\       valid_lft forever …"
    [GeneratedRegex(@"^\d+:\s+(?<name>[^\s@]+)(@\S+)?\s+inet6?\s+(?<address>\S+)")]
    private static partial Regex AddressLine();

    private static List<NetworkInterface> Interfaces(List<string> links, List<string> addresses)
    {
        var byName = addresses.Select(l => AddressLine().Match(l)).Where(m => m.Success)
            .GroupBy(m => m.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Groups["address"].Value).ToList());
        var interfaces = new List<NetworkInterface>();
        foreach (var match in links.Select(l => LinkLine().Match(l)).Where(m => m.Success))
        {
            var name = match.Groups["name"].Value;
            var flags = match.Groups["flags"].Value.Split(',');
            var mac = match.Groups["mac"].Success ? match.Groups["mac"].Value.ToLowerInvariant() : null;
            interfaces.Add(new NetworkInterface(name, mac, flags.Contains("UP") && flags.Contains("LOWER_UP"), byName.GetValueOrDefault(name, [])));
        }
        // Addresses of interfaces that `ip -o link` did not list (should not happen, but keep what we saw).
        foreach (var (name, list) in byName.Where(a => interfaces.All(i => i.Name != a.Key)))
            interfaces.Add(new NetworkInterface(name, null, true, list));
        return interfaces;
    }

    private static (bool? Synchronized, string? Source) TimeSync(Dictionary<string, List<string>> sections, List<KeyValuePair<string, string>> processes)
    {
        bool Running(string p) => processes.Any(x => x.Key == p && x.Value == "running");

        // chronyc tracking: "Leap status     : Normal" when synchronised, "Not synchronised" when not.
        var leap = sections.GetValueOrDefault("chrony", []).FirstOrDefault(l => l.StartsWith("Leap status", StringComparison.Ordinal));
        if (leap is not null) return (!leap.Contains("Not synchronised", StringComparison.Ordinal), "chrony");

        var timedatectl = KeyValues(sections.GetValueOrDefault("timedatectl", []));
        if (timedatectl.TryGetValue("NTPSynchronized", out var synced))
        {
            var source = Running("chronyd") ? "chrony" : Running("ntpd") ? "ntpd" : Running("systemd-timesyn") ? "systemd-timesyncd" : "timedatectl";
            return (synced == "yes", source);
        }

        // ntpq -pn: the peer the clock follows is marked with '*'.
        var peers = sections.GetValueOrDefault("ntp", []);
        if (peers.Count > 0) return (peers.Any(l => l.StartsWith('*')), "ntpd");
        return (null, null);
    }

    private static List<FilesystemSpace> Filesystems(List<string> lines)
    {
        if (lines.Count == 0) return [];
        // The header says the block size: "1-blocks" with -B1, "1024-blocks" with -k.
        var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var blockSize = header.Length > 1 && long.TryParse(header[1].Split('-')[0], out var size) ? size : 1024;
        var filesystems = new List<FilesystemSpace>();
        foreach (var line in lines.Skip(1))
        {
            var cols = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (cols.Length < 6 || IsPseudo(cols[0], cols[5])) continue;
            if (!long.TryParse(cols[1], NumberStyles.None, CultureInfo.InvariantCulture, out var blocks)
                || !long.TryParse(cols[3], NumberStyles.None, CultureInfo.InvariantCulture, out var free)) continue;
            filesystems.Add(new FilesystemSpace(cols[5].Trim(), blocks * blockSize, free * blockSize));
        }
        return filesystems;
    }

    private static bool IsPseudo(string device, string mount) =>
        device is "tmpfs" or "devtmpfs" or "udev" or "none" or "shm" or "overlay" or "proc" or "sysfs" or "efivarfs"
        || mount.StartsWith("/dev", StringComparison.Ordinal) || mount.StartsWith("/run", StringComparison.Ordinal)
        || mount.StartsWith("/sys", StringComparison.Ordinal) || mount.StartsWith("/proc", StringComparison.Ordinal);
}
