using StorageHa.Server.Auth;
using StorageHa.Server.Inventory;
using StorageHa.Server.Probe;
using StorageHa.Server.Provisioning;
using StorageHa.Server.Ssh;
using StorageHa.Shared.Console;
using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Fencing;

/// <summary>
/// The pages' and the API's door to fence devices: their password (kept encrypted, never given back) and their Test,
/// run over SSH from each node that would fence with the device, the password only on the agent's standard input.
/// </summary>
public sealed class ConsoleFencing(IInventory inventory, ClusterSpecs specs, NodeAccess nodes, FenceTester tester, ClusterSecrets secrets,
    FenceTestStore tests, IAuditLog audit, ICurrentActor actor, TimeProvider time) : IFencing
{
    public async Task<FencingStatus> GetAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        var spec = await SpecAsync(clusterId, ct);
        var evidence = await EvidenceAsync(clusterId, ct);
        return new FencingStatus(spec.Fencing.Devices.Select(d => new FenceDeviceStatus(d.Name, d.Agent, d.Nodes, evidence.PasswordsSet.Contains(d.Name),
                evidence.Verdict(spec, d),
                evidence.Tests.Where(t => t.Device == d.Name).Select(t => t with { Current = t.Fingerprint == FenceDevices.Fingerprint(d) }).ToList())).ToList(),
            evidence.Proven(spec));
    }

    /// <summary>What the plan goes by: the passwords set and the Tests kept (no role check: the caller's plan did that).</summary>
    internal async Task<FenceEvidence> EvidenceAsync(long clusterId, CancellationToken ct) =>
        new(await secrets.FencePasswordsSetAsync(clusterId, ct), await tests.ListAsync(clusterId, ct));

    public async Task SetPasswordAsync(long clusterId, string device, string password, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (cluster, _) = await DeviceAsync(clusterId, device, ct);
        if (string.IsNullOrEmpty(password)) throw new InvalidInputException("password", "Give the device's password.");
        if (password.Length > 256 || password.Any(char.IsControl) || password != password.Trim())
            throw new InvalidInputException("password", "A fence password is one line of at most 256 characters, without control characters or spaces at its ends.");
        await secrets.SetFencePasswordAsync(clusterId, device, password, ct);
        await tests.ForgetAsync(clusterId, device, ct);
        await AuditAsync(who, cluster, $"password of fence device {device} set (its Test results forgotten)", ct);
    }

    public async Task RemovePasswordAsync(long clusterId, string device, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var (cluster, _) = await DeviceAsync(clusterId, device, ct);
        await secrets.RemoveFencePasswordAsync(clusterId, device, ct);
        await tests.ForgetAsync(clusterId, device, ct);
        await AuditAsync(who, cluster, $"password of fence device {device} removed", ct);
    }

    public async Task<IReadOnlyList<FenceTestResult>> TestAsync(long clusterId, IReadOnlyList<string>? devices = null, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        var spec = await SpecAsync(clusterId, ct);
        var chosen = devices is null ? spec.Fencing.Devices.ToList() : devices.Select(name => spec.Fencing.Devices.FirstOrDefault(d => d.Name == name)
            ?? throw new InvalidInputException("devices", $"'{name}' is not a fence device of {spec.Name} ({string.Join(", ", spec.Fencing.Devices.Select(d => d.Name))})")).ToList();
        if (chosen.Count == 0) throw new InvalidInputException("devices", $"{spec.Name} has no fence device to test: add one in its settings.");
        var passwords = await secrets.FencePasswordsAsync(clusterId, ct);
        foreach (var device in chosen.Where(d => FenceDevices.UsesPassword(d) && !passwords.ContainsKey(FenceDevices.PasswordSecret(d.Name))))
            throw new InvalidInputException("devices", $"Fence device {device.Name} has no password yet: set it, then test.");

        var inventoryNodes = await inventory.ListNodesAsync(clusterId, ct);
        Task<SshTarget> Target(string node, CancellationToken token) => nodes.TargetAsync(inventoryNodes.Single(n => n.Name == node), token);
        var results = (await Task.WhenAll(chosen.Select(device =>
            tester.TestAsync(spec, device, passwords.GetValueOrDefault(FenceDevices.PasswordSecret(device.Name)), Target, who, ct)))).SelectMany(r => r).ToList();
        await tests.SaveAsync(clusterId, results, ct);
        return results;
    }

    private async Task<ClusterSpec> SpecAsync(long clusterId, CancellationToken ct) =>
        await specs.ExportAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");

    private async Task<(ClusterSpec Cluster, FenceDeviceSpec Device)> DeviceAsync(long clusterId, string device, CancellationToken ct)
    {
        var spec = await SpecAsync(clusterId, ct);
        return (spec, spec.Fencing.Devices.FirstOrDefault(d => d.Name == device)
            ?? throw new KeyNotFoundException($"{spec.Name} has no fence device '{device}': add it in the cluster's settings first."));
    }

    private Task AuditAsync(string who, ClusterSpec cluster, string detail, CancellationToken ct) =>
        audit.WriteAsync(new AuditEntry { At = time.GetUtcNow(), Actor = who, Action = "fencing.password", Target = cluster.Name, ExitCode = 0, Detail = detail }, ct);
}
