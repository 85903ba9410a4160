using StorageHa.Server.Ssh;
using StorageHa.Shared.Fencing;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Server.Fencing;

/// <summary>
/// A device's Test: the agent's status (never off, on or reboot) on every node that would fence with it, in parallel,
/// each bounded; options and password on the agent's standard input, so no argv, audit line or job shows the password.
/// </summary>
public sealed class FenceTester(ISshRunner ssh, TimeProvider time)
{
    private const string AuditAction = "fencing.test";

    /// <param name="target">How the console reaches a node by name; a node it cannot reach fails its part of the Test.</param>
    public async Task<IReadOnlyList<FenceTestResult>> TestAsync(ClusterSpec spec, FenceDeviceSpec device, string? password,
        Func<string, CancellationToken, Task<SshTarget>> target, string who, CancellationToken ct) =>
        await Task.WhenAll(FenceDevices.Testers(spec, device).Select(node => RunAsync(device, node, password, target, who, ct)));

    /// <summary>One (device, node). Ok when the agent answered with the power state (exit 0: on, 2: off).</summary>
    private async Task<FenceTestResult> RunAsync(FenceDeviceSpec device, string node, string? password,
        Func<string, CancellationToken, Task<SshTarget>> target, string who, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        FenceTestResult Result(bool ok, string message, TimeSpan took) =>
            new(device.Name, node, ok, message, Math.Round(took.TotalSeconds, 2), time.GetUtcNow()) { Fingerprint = FenceDevices.Fingerprint(device) };
        try
        {
            var ran = await ssh.RunAsync(await target(node, ct), NodeCommands.FenceStatus(device.Agent), new SshRunOptions
            {
                Actor = who, AuditAction = AuditAction, StandardInput = FenceDevices.StatusInput(device, password),
                Timeout = TimeSpan.FromSeconds(NodeCommands.FenceStatusTimeoutSeconds + 15),
            }, ct);
            var message = FenceDevices.AgentMessage(ran.StdOut, ran.StdErr, password);
            return ran.ExitCode switch
            {
                0 or 2 => Result(true, message, ran.Duration),
                124 or 137 => Result(false, $"{device.Agent} did not answer within {NodeCommands.FenceStatusTimeoutSeconds} s", ran.Duration),
                127 => Result(false, $"{device.Agent} is not installed on {node} (Debian: fence-agents, and ipmitool for fence_ipmilan)", ran.Duration),
                _ => Result(false, message.Length > 0 ? message : $"{device.Agent} exited {ran.ExitCode}", ran.Duration),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The node itself could not be asked (no login, no answer): the device is not proven from there.
            return Result(false, $"could not run the Test on {node}: {e.Message}", time.GetElapsedTime(started));
        }
    }
}
