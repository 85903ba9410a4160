using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Fencing;

/// <summary>One (device, node) of a Test: the agent's <c>status</c> run on <paramref name="FromNode"/>, its verdict and its own words.</summary>
/// <param name="Seconds">How long the agent took, as the node ran it.</param>
/// <param name="Current">The device is still as it was tested (its fingerprint agrees, its password unchanged since).</param>
public sealed record FenceTestResult(string Device, string FromNode, bool Ok, string Message, double Seconds, DateTimeOffset TestedAt, bool Current = true)
{
    /// <summary>The device's <see cref="FenceDevices.Fingerprint"/> when it was tested; kept by the console, not shown.</summary>
    [JsonIgnore] public string Fingerprint { get; init; } = "";
}

/// <summary>How a device stands: what the plan and the red warning go by.</summary>
public enum FenceVerdict { Passed, Failed, Untested, NoPassword }

/// <summary>What the console knows of a cluster's fence devices beyond the spec: which have a password, and their last Tests.</summary>
public sealed record FenceEvidence(IReadOnlyCollection<string> PasswordsSet, IReadOnlyList<FenceTestResult> Tests)
{
    /// <summary>Nothing known: no password set, no Test run.</summary>
    public static FenceEvidence None { get; } = new([], []);

    /// <summary>The results of the device as it now is (a changed device's old results do not count).</summary>
    public IEnumerable<FenceTestResult> CurrentTests(FenceDeviceSpec device) =>
        Tests.Where(t => t.Device == device.Name && t.Fingerprint == FenceDevices.Fingerprint(device));

    public FenceVerdict Verdict(ClusterSpec spec, FenceDeviceSpec device)
    {
        if (FenceDevices.UsesPassword(device) && !PasswordsSet.Contains(device.Name)) return FenceVerdict.NoPassword;
        var current = CurrentTests(device).ToList();
        if (current.Any(t => !t.Ok)) return FenceVerdict.Failed;
        var testers = FenceDevices.Testers(spec, device);
        return testers.Count > 0 && testers.All(n => current.Any(t => t.FromNode == n)) ? FenceVerdict.Passed : FenceVerdict.Untested;
    }

    /// <summary>Fencing that may be trusted: devices exist and every one passed its Test.</summary>
    public bool Proven(ClusterSpec spec) =>
        spec.Fencing.Devices.Count > 0 && spec.Fencing.Devices.All(d => Verdict(spec, d) == FenceVerdict.Passed);

    /// <summary>Why the plan may not run: a device without its password, untested, or failing; a node no device fences.</summary>
    public IEnumerable<string> Blockers(ClusterSpec spec)
    {
        if (spec.Fencing.Devices.Count == 0) yield break;
        foreach (var device in spec.Fencing.Devices)
        {
            var failed = CurrentTests(device).Where(t => !t.Ok).ToList();
            var blocker = Verdict(spec, device) switch
            {
                FenceVerdict.NoPassword => $"Fence device {device.Name} has no password: set it (it is kept encrypted, never in the spec)",
                FenceVerdict.Failed => $"Fence device {device.Name} failed its Test from {string.Join(", ", failed.Select(t => $"{t.FromNode} ({t.Message})"))}: " +
                    "fix it and test again; a device that cannot fence would leave a hung node holding its virtual IPs",
                FenceVerdict.Untested => $"Fence device {device.Name} has not passed its Test from {string.Join(", ", FenceDevices.Testers(spec, device))} " +
                    "(as it now is): run the Test",
                _ => null,
            };
            if (blocker is not null) yield return blocker;
        }
        var covered = spec.Fencing.Devices.SelectMany(d => d.Nodes).ToHashSet(StringComparer.Ordinal);
        foreach (var node in spec.Nodes.Where(n => !covered.Contains(n.Name)))
            yield return $"{node.Name} has no fence device: fencing is turned on only when every node has one (name the node in a device's nodes)";
    }
}

/// <summary>What the console derives from a fence device's spec: its password's place, who must test it, its fingerprint.</summary>
public static class FenceDevices
{
    /// <summary>Where Pacemaker's CIB secrets keep a resource's parameter (cibsecret's directory): root-only, on every node.</summary>
    public const string SecretsDirectory = "/var/lib/pacemaker/lrm/secrets";

    /// <summary>What the CIB holds instead of the value: pacemaker-fenced reads the value from <see cref="SecretFile"/>.</summary>
    public const string SecretReference = "lrm://";

    /// <summary>The name under which the console keeps a device's password (the plan's steps read it on standard input).</summary>
    public static string PasswordSecret(string device) => "fence-password:" + device;

    /// <summary>The agent takes a password and the device does not log in with a key file instead (fence_virsh's identity_file).</summary>
    public static bool UsesPassword(FenceDeviceSpec device) =>
        FenceAgent.Find(device.Agent)?.Parameters.Any(p => p.Name == "password") == true && !device.Options.ContainsKey("identity_file");

    public static string SecretFile(FenceDeviceSpec device) => $"{SecretsDirectory}/{ResourceIds.FenceDevice(device.Name)}/password";

    /// <summary>
    /// The nodes that would have to fence with the device: every node but the one a one-node device fences (a node never
    /// fences itself). A device for several nodes is used by all (each can be the one fenced).
    /// </summary>
    public static IReadOnlyList<string> Testers(ClusterSpec spec, FenceDeviceSpec device) =>
        spec.Nodes.Select(n => n.Name).Where(n => device.Nodes.Count != 1 || device.Nodes[0] != n).ToList();

    /// <summary>SHA-256 of the agent, its options and its nodes: a Test counts for the device only as it was tested.</summary>
    public static string Fingerprint(FenceDeviceSpec device)
    {
        var text = new StringBuilder(device.Agent).Append('\n');
        foreach (var (key, value) in device.Options.OrderBy(o => o.Key, StringComparer.Ordinal)) text.Append(key).Append('=').Append(value).Append('\n');
        text.Append("nodes=").Append(string.Join(' ', device.Nodes));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>
    /// What the agent reads on standard input for a status (as pacemaker-fenced hands it options): key=value lines. The
    /// password is only here, never in an argv.
    /// </summary>
    public static string StatusInput(FenceDeviceSpec device, string? password)
    {
        var lines = new StringBuilder("action=status\n");
        foreach (var (key, value) in device.Options.OrderBy(o => o.Key, StringComparer.Ordinal)) lines.Append(key).Append('=').Append(value).Append('\n');
        if (password is not null) lines.Append("password=").Append(password).Append('\n');
        return lines.ToString();
    }

    /// <summary>The agent's own message from its output: its last line that is not Python's noise, without the log's time stamp.</summary>
    public static string AgentMessage(string stdout, string stderr, string? password)
    {
        var line = (stdout + "\n" + stderr).Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.Contains("DeprecationWarning", StringComparison.Ordinal) && !l.StartsWith("from pipes import", StringComparison.Ordinal))
            .LastOrDefault() ?? "";
        // "2026-12-06 20:02:56,209 ERROR: Failed: …" → "Failed: …"
        var stamped = System.Text.RegularExpressions.Regex.Match(line, @"\A\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+: (.*)\z");
        if (stamped.Success) line = stamped.Groups[1].Value;
        return string.IsNullOrEmpty(password) ? line : line.Replace(password, "***", StringComparison.Ordinal);
    }
}
