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
public sealed class ConsoleFencing(IInventory inventory, ClusterSpecs specs, NodeAccess nodes, ISshRunner ssh, ClusterSecrets secrets,
    FenceTestStore tests, IAuditLog audit, ICurrentActor actor, TimeProvider time) : IFencing
{
    private const string AuditAction = "fencing.test";

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
        var runs = chosen.SelectMany(device => FenceDevices.Testers(spec, device).Select(node =>
            RunAsync(device, inventoryNodes.Single(n => n.Name == node), passwords.GetValueOrDefault(FenceDevices.PasswordSecret(device.Name)), who, ct)));
        var results = await Task.WhenAll(runs);
        await tests.SaveAsync(clusterId, results, ct);
        return results;
    }

    /// <summary>One (device, node): the agent's status on the node. Ok when the agent answered with the power state (0: on, 2: off).</summary>
    private async Task<FenceTestResult> RunAsync(FenceDeviceSpec device, Node node, string? password, string who, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        FenceTestResult Result(bool ok, string message, double seconds) =>
            new(device.Name, node.Name, ok, message, Math.Round(seconds, 2), time.GetUtcNow()) { Fingerprint = FenceDevices.Fingerprint(device) };
        try
        {
            var target = await nodes.TargetAsync(node, ct);
            var ran = await ssh.RunAsync(target, NodeCommands.FenceStatus(device.Agent), new SshRunOptions
            {
                Actor = who, AuditAction = AuditAction, StandardInput = FenceDevices.StatusInput(device, password),
                Timeout = TimeSpan.FromSeconds(NodeCommands.FenceStatusTimeoutSeconds + 15),
            }, ct);
            var message = FenceDevices.AgentMessage(ran.StdOut, ran.StdErr, password);
            return ran.ExitCode switch
            {
                0 or 2 => Result(true, message, ran.Duration.TotalSeconds),
                124 or 137 => Result(false, $"{device.Agent} did not answer within {NodeCommands.FenceStatusTimeoutSeconds} s", ran.Duration.TotalSeconds),
                127 => Result(false, $"{device.Agent} is not installed on {node.Name} (Debian: fence-agents, and ipmitool for fence_ipmilan)", ran.Duration.TotalSeconds),
                _ => Result(false, message.Length > 0 ? message : $"{device.Agent} exited {ran.ExitCode}", ran.Duration.TotalSeconds),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The node itself could not be asked (no login, no answer): the device is not proven from there.
            return Result(false, $"could not run the Test on {node.Name}: {e.Message}", time.GetElapsedTime(started).TotalSeconds);
        }
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
