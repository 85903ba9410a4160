using StorageHa.Shared.Fencing;

namespace StorageHa.Shared.Console;

/// <summary>
/// A cluster's fence devices beyond their spec: the password (write-only: only whether one is set comes back) and the
/// Test, the agent's status from every node that would fence with the device (never off, on or reboot).
/// </summary>
public interface IFencing
{
    /// <summary>The devices of the cluster's settings, each with whether it has a password and its last Test.</summary>
    Task<FencingStatus> GetAsync(long clusterId, CancellationToken ct = default);

    /// <summary>Keeps the device's password encrypted; its old Test results no longer count.</summary>
    Task SetPasswordAsync(long clusterId, string device, string password, CancellationToken ct = default);

    Task RemovePasswordAsync(long clusterId, string device, CancellationToken ct = default);

    /// <summary>Tests the devices named (all when null), in parallel and bounded; keeps and returns the results.</summary>
    Task<IReadOnlyList<FenceTestResult>> TestAsync(long clusterId, IReadOnlyList<string>? devices = null, CancellationToken ct = default);
}

/// <param name="Proven">Devices exist and every one passed its Test as it now is: the red "no fencing" warning goes.</param>
public sealed record FencingStatus(IReadOnlyList<FenceDeviceStatus> Devices, bool Proven);

public sealed record FenceDeviceStatus(string Name, string Agent, IReadOnlyList<string> Nodes, bool PasswordSet, FenceVerdict Verdict,
    IReadOnlyList<FenceTestResult> Tests);
