using System.Globalization;
using System.Text.RegularExpressions;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Model;

/// <summary>
/// The cluster settings as the settings tab edits them: lists of "name=value" lines as text, the storage in its own form
/// (the wizard's), and every refusal (the form's own or the server's) filed under the field or the fence device it names.
/// </summary>
public sealed partial class ClusterSettingsForm
{
    public string? Nic { get; set; }
    public int? TokenMs { get; set; }
    /// <summary>The cluster filesystem and the shared state on it, with their own messages.</summary>
    public StorageForm Storage { get; private set; } = StorageForm.From(null, null);
    public bool NetBios { get; set; }
    /// <summary>CTDB tunables, one "Name=value" a line.</summary>
    public string Tunables { get; set; } = "";
    public bool NoFencingAcknowledged { get; set; }
    public List<FenceDeviceForm> Devices { get; } = [];

    /// <summary>Messages for the cluster-wide fields; device messages live with each device.</summary>
    public FieldErrors Errors { get; } = new();

    public bool HasErrors => Errors.Any || Storage.Errors.Any || Devices.Any(d => d.Errors.Any);

    public static IReadOnlyList<string> ShownFields => ["nic", "tokenMs", "ctdbTunables", "fencing", "noFencingAcknowledged"];

    public static ClusterSettingsForm From(ClusterSettings settings)
    {
        var form = new ClusterSettingsForm
        {
            Nic = settings.Nic,
            TokenMs = settings.Corosync.TokenMs,
            Storage = StorageForm.From(settings.Storage, settings.SharedState),
            NetBios = settings.NetBios,
            Tunables = Lines(settings.CtdbTunables.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value.ToString(CultureInfo.InvariantCulture)))),
            NoFencingAcknowledged = settings.Fencing.NoFencingAcknowledged,
        };
        form.Devices.AddRange(settings.Fencing.Devices.Select(FenceDeviceForm.From));
        return form;
    }

    /// <summary>The settings the form describes; lines that do not parse are left out and reported under their field.</summary>
    public ClusterSettings Build()
    {
        ClearErrors();
        var tunables = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, value) in ParseLines(Tunables, Errors, "ctdbTunables"))
        {
            if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) tunables[name] = number;
            else Errors.Add("ctdbTunables", $"{name}: '{value}' is not a whole number");
        }
        var devices = Devices.Select(d => d.Build()).ToList();
        return new ClusterSettings
        {
            Nic = Blank(Nic),
            Corosync = new CorosyncSpec { TokenMs = TokenMs },
            SharedState = Storage.BuildSharedState(),
            Storage = Storage.BuildStorage(),
            Fencing = new FencingSpec { Devices = devices, NoFencingAcknowledged = NoFencingAcknowledged },
            NetBios = NetBios,
            CtdbTunables = tunables,
        };
    }

    /// <summary>
    /// Files each error under the field it names: "fencing.devices[1].agent" under device 1's agent, an option or tunable under
    /// its list, "storage.device" or "sharedState.recoveryLock" in the storage form.
    /// </summary>
    public void Show(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (StorageForm.Owns(error.Field))
            {
                Storage.Show([error]);
                continue;
            }
            var device = DeviceField().Match(error.Field);
            if (device.Success && int.Parse(device.Groups[1].Value, CultureInfo.InvariantCulture) is var index && index < Devices.Count)
            {
                var field = device.Groups[2].Value;
                if (field.StartsWith("options.", StringComparison.Ordinal))
                    Devices[index].Errors.Add("options", $"{field["options.".Length..]}: {error.Message}");
                else
                    Devices[index].Errors.Add(field, error.Message);
            }
            else if (error.Field.StartsWith("ctdbTunables.", StringComparison.Ordinal))
                Errors.Add("ctdbTunables", $"{error.Field["ctdbTunables.".Length..]}: {error.Message}");
            else
                Errors.Add(error.Field, error.Message);
        }
        Errors.KeepOnly(ShownFields);
        foreach (var d in Devices) d.Errors.KeepOnly(FenceDeviceForm.ShownFields);
    }

    public void ClearErrors()
    {
        Errors.Clear();
        Storage.Errors.Clear();
        foreach (var d in Devices) d.Errors.Clear();
    }

    internal static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    internal static string Lines(IEnumerable<(string Name, string Value)> pairs) => string.Join("\n", pairs.Select(p => $"{p.Name}={p.Value}"));

    /// <summary>"name=value" lines (blank lines skipped); a line without '=' is reported under <paramref name="field"/>.</summary>
    internal static List<(string Name, string Value)> ParseLines(string? text, FieldErrors errors, string field)
    {
        var pairs = new List<(string, string)>();
        foreach (var line in (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            var equals = line.IndexOf('=');
            if (equals <= 0) errors.Add(field, $"'{line}' is not name=value");
            else pairs.Add((line[..equals].Trim(), line[(equals + 1)..].Trim()));
        }
        return pairs;
    }

    /// <summary>
    /// The common case, quickly: each node's own BMC, one fence_ipmilan device per node that has none yet, with the
    /// options that work with most BMCs (lanplus, cipher 3); the admin fills in each BMC's address and user.
    /// </summary>
    public void AddIpmiPerNode(IEnumerable<string> nodes)
    {
        var fenced = Devices.SelectMany(d => d.Nodes).ToHashSet(StringComparer.Ordinal);
        foreach (var node in nodes.Where(n => !fenced.Contains(n)))
            Devices.Add(new FenceDeviceForm { Name = $"ipmi-{node}", Agent = "fence_ipmilan", Nodes = [node], Options = "ip=\nusername=\nlanplus=1\ncipher=3" });
    }

    [GeneratedRegex(@"^fencing\.devices\[(\d+)\]\.(.+)$")]
    private static partial Regex DeviceField();
}

/// <summary>One fence device as the form edits it: its options as "name=value" lines.</summary>
public sealed class FenceDeviceForm
{
    public string Name { get; set; } = "";
    public string Agent { get; set; } = "fence_";
    public string Options { get; set; } = "";
    public IReadOnlyCollection<string> Nodes { get; set; } = [];
    public FieldErrors Errors { get; } = new();

    public static IReadOnlyList<string> ShownFields => ["name", "agent", "options", "nodes"];

    public static FenceDeviceForm From(FenceDeviceSpec device) => new()
    {
        Name = device.Name,
        Agent = device.Agent,
        Options = ClusterSettingsForm.Lines(device.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => (o.Key, o.Value))),
        Nodes = device.Nodes.ToList(),
    };

    public FenceDeviceSpec Build()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in ClusterSettingsForm.ParseLines(Options, Errors, "options")) options[name] = value;
        return new FenceDeviceSpec { Name = (Name ?? "").Trim(), Agent = (Agent ?? "").Trim(), Options = options, Nodes = Nodes.ToList() };
    }
}
