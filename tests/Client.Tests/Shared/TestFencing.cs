using StorageHa.Shared.Console;
using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Client.Tests.Shared;

/// <summary>
/// Fencing in memory over the in-memory inventory's settings: which devices have a password (the page never sees one) and
/// what the next Test answers. The real Test (fence_ipmilan against a BMC) is FenceDeviceLabTests'.
/// </summary>
public sealed class TestFencing(InMemoryInventory inventory) : IFencing
{
    private readonly HashSet<string> _passwords = new(StringComparer.Ordinal);
    private readonly List<FenceTestResult> _tests = [];

    /// <summary>What a Test of a device from a node answers (ok, message); unset pairs pass with "Status: ON".</summary>
    public Func<string, string, (bool Ok, string Message)> Answer { get; set; } = (_, _) => (true, "Status: ON");
    public int Tests { get; private set; }

    /// <summary>The passwords set and Tests run so far, as the plan goes by them.</summary>
    public FenceEvidence Evidence => new(_passwords.ToList(), _tests.ToList());

    public async Task<FencingStatus> GetAsync(long clusterId, CancellationToken ct = default)
    {
        var spec = await SpecAsync(clusterId);
        var evidence = new FenceEvidence(_passwords, _tests);
        return new FencingStatus(spec.Fencing.Devices.Select(d => new FenceDeviceStatus(d.Name, d.Agent, d.Nodes, _passwords.Contains(d.Name),
            evidence.Verdict(spec, d), _tests.Where(t => t.Device == d.Name).ToList())).ToList(), evidence.Proven(spec));
    }

    public Task SetPasswordAsync(long clusterId, string device, string password, CancellationToken ct = default)
    {
        if (password.Contains('\n')) throw new InvalidInputException("password", "A fence password is one line.");
        _passwords.Add(device);
        _tests.RemoveAll(t => t.Device == device);
        return Task.CompletedTask;
    }

    public Task RemovePasswordAsync(long clusterId, string device, CancellationToken ct = default)
    {
        _passwords.Remove(device);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<FenceTestResult>> TestAsync(long clusterId, IReadOnlyList<string>? devices = null, CancellationToken ct = default)
    {
        Tests++;
        var spec = await SpecAsync(clusterId);
        var results = spec.Fencing.Devices.Where(d => devices is null || devices.Contains(d.Name))
            .SelectMany(d => FenceDevices.Testers(spec, d).Select(n => (Device: d, Node: n, Answer: Answer(d.Name, n))))
            .Select(r => new FenceTestResult(r.Device.Name, r.Node, r.Answer.Ok, r.Answer.Message, 1.25, new DateTimeOffset(2026, 12, 6, 20, 30, 0, TimeSpan.Zero))
                { Fingerprint = FenceDevices.Fingerprint(r.Device) }).ToList();
        _tests.RemoveAll(t => results.Any(r => r.Device == t.Device && r.FromNode == t.FromNode));
        _tests.AddRange(results);
        return results;
    }

    private async Task<ClusterSpec> SpecAsync(long clusterId)
    {
        var settings = await inventory.GetSettingsAsync(clusterId);
        var nodes = await inventory.ListNodesAsync(clusterId);
        return new ClusterSpec { Name = "test", Nodes = nodes.Select(n => new NodeSpec { Name = n.Name, Address = n.Address }).ToList(), Fencing = settings.Fencing };
    }
}
