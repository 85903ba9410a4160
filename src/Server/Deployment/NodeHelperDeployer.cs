using System.Security.Cryptography;
using System.Text.RegularExpressions;
using StorageHa.Shared.Console;
using StorageHa.Server.Ssh;

namespace StorageHa.Server.Deployment;

/// <summary>
/// Puts storageha-node and its OCF agents on a node: compares SHA-256 first (a current node gets no upload),
/// uploads beside the target, verifies on the node, then renames into place so no one ever runs a half-written file.
/// </summary>
public sealed partial class NodeHelperDeployer(ISshRunner ssh, NodeHelperSettings settings)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private NodeHelperLayout Layout => settings.Layout;

    /// <summary>Which storageha-node the node runs and whether it is exactly the bundled one; changes nothing.</summary>
    public Task<NodeHelperStatus> CheckAsync(SshTarget target, string actor, CancellationToken ct = default) =>
        CheckAsync(target, NodeHelperPackage.Load(settings.BundleDirectory), actor, ct);

    public async Task<NodeHelperStatus> CheckAsync(SshTarget target, NodeHelperPackage package, string actor, CancellationToken ct = default) =>
        (await InspectAsync(target, package, actor, ct)).Status(package, []);

    /// <summary>Installs what differs from the bundle; a node that already has every file byte for byte gets nothing but the check.</summary>
    public Task<NodeHelperStatus> DeployAsync(SshTarget target, string actor, CancellationToken ct = default) =>
        DeployAsync(target, NodeHelperPackage.Load(settings.BundleDirectory), actor, ct);

    /// <summary>Installs this package; its SHA-256 values are the truth the node's copies are verified against.</summary>
    public async Task<NodeHelperStatus> DeployAsync(SshTarget target, NodeHelperPackage package, string actor, CancellationToken ct = default)
    {
        var before = await InspectAsync(target, package, actor, ct);
        var stale = package.Files.Where(f => before.Sums.GetValueOrDefault(Layout.PathOf(f)) != f.Sha256)
            .Select(f => new Upload(f, Layout.PathOf(f), TempBeside(Layout.PathOf(f))))
            .ToList();
        if (stale.Count == 0) return before.Status(package, []);

        await RunCheckedAsync(target, ["mkdir", "-p", "--", .. stale.Select(u => Parent(u.Destination)).Distinct()], actor, ct);
        var written = new List<string>();
        try
        {
            foreach (var upload in stale)
            {
                written.Add(upload.Temp);
                await using var content = File.OpenRead(upload.File.LocalPath);
                await ssh.UploadAsync(target, content, upload.Temp, new SshUploadOptions { Actor = actor }, ct);
            }
            await VerifyAsync(target, stale, actor, ct);
            await RunCheckedAsync(target, ["chmod", "0755", "--", .. written], actor, ct);
            foreach (var upload in stale)
            {
                // rename(2) on the same filesystem: a running agent or helper keeps the old file, the next start gets the new one.
                await RunCheckedAsync(target, ["mv", "-f", "-T", "--", upload.Temp, upload.Destination], actor, ct);
                written.Remove(upload.Temp);
            }
        }
        catch
        {
            if (written.Count > 0) await RemoveAsync(target, written, actor);
            throw;
        }

        var after = await InspectAsync(target, package, actor, ct);
        if (after.Problem is not null)
            throw new NodeHelperDeployException(target.Display,
                $"storageha-node was installed on {target.Display} but does not run there: {after.Problem} " +
                "The bundled build needs Linux on x86-64 with glibc 2.34 or newer (Debian 12, RHEL 9, Ubuntu 22.04).");
        return after.Status(package, [.. stale.Select(u => u.Destination)]);
    }

    /// <summary>The installed files' SHA-256, and the version the installed binary reports.</summary>
    private async Task<Installation> InspectAsync(SshTarget target, NodeHelperPackage package, string actor, CancellationToken ct)
    {
        var paths = package.Files.Select(Layout.PathOf).ToList();
        var sums = await RunAsync(target, ["sha256sum", "--", .. paths], actor, "node.helper-check", ct);
        // sha256sum exits 1 when some file is missing, which is what a first deploy finds.
        if (sums.ExitCode is not (0 or 1))
            throw new NodeHelperDeployException(target.Display,
                $"sha256sum failed on {target.Display} (exit {sums.ExitCode}): {sums.StdErr.Trim()} It is part of coreutils, which every supported node has.");
        var installed = ParseSums(sums.StdOut);
        var current = package.Files.All(f => installed.GetValueOrDefault(Layout.PathOf(f)) == f.Sha256);
        if (!installed.ContainsKey(Layout.BinaryPath)) return new Installation(installed, current, null, null);

        var version = await RunAsync(target, [Layout.BinaryPath, "version"], actor, "node.helper-check", ct);
        var parsed = version.ExitCode == 0 ? NodeHelperPackage.ParseVersion(version.StdOut) : null;
        var problem = parsed is not null ? null
            : $"`{Layout.BinaryPath} version` exited {version.ExitCode}: {FirstLine(version.StdErr + version.StdOut)}";
        return new Installation(installed, current, parsed, problem);
    }

    private async Task VerifyAsync(SshTarget target, IReadOnlyList<Upload> uploads, string actor, CancellationToken ct)
    {
        var result = await RunAsync(target, ["sha256sum", "--", .. uploads.Select(u => u.Temp)], actor, "node.helper-deploy", ct);
        var arrived = ParseSums(result.StdOut);
        var corrupted = uploads
            .Select(u => (Upload: u, Got: arrived.GetValueOrDefault(u.Temp)))
            .Where(x => x.Got != x.Upload.File.Sha256)
            .ToList();
        if (corrupted.Count == 0) return;
        throw new CorruptedUploadException(target.Display,
            string.Join("; ", corrupted.Select(x => $"corrupted upload of {x.Upload.Destination} on {target.Display}: expected {x.Upload.File.Sha256} got {x.Got ?? "no file"}")) +
            ". Nothing was installed and the uploaded copies were removed; deploy again.");
    }

    private async Task RemoveAsync(SshTarget target, IReadOnlyList<string> temps, string actor)
    {
        // Best effort, even after cancellation: a leftover would only be a hidden file beside the target.
        try { await RunAsync(target, ["rm", "-f", "--", .. temps], actor, "node.helper-deploy", CancellationToken.None); }
        catch (NodeSshException) { }
    }

    private async Task RunCheckedAsync(SshTarget target, IReadOnlyList<string> argv, string actor, CancellationToken ct)
    {
        var result = await RunAsync(target, argv, actor, "node.helper-deploy", ct);
        if (!result.Succeeded)
            throw new NodeHelperDeployException(target.Display,
                $"`{argv[0]}` failed on {target.Display} (exit {result.ExitCode}): {FirstLine(result.StdErr)} Installing the node helper needs root on the node.");
    }

    private Task<CommandResult> RunAsync(SshTarget target, IReadOnlyList<string> argv, string actor, string action, CancellationToken ct) =>
        ssh.RunAsync(target, argv, new SshRunOptions { Actor = actor, Timeout = CommandTimeout, AuditAction = action }, ct);

    /// <summary>sha256sum's "HASH  PATH" lines by path; escaped names (leading backslash) are left out, so they count as different.</summary>
    private static Dictionary<string, string> ParseSums(string output) =>
        output.Split('\n').Select(line => SumLine().Match(line)).Where(m => m.Success)
            .GroupBy(m => m.Groups[2].Value).ToDictionary(g => g.Key, g => g.First().Groups[1].Value);

    [GeneratedRegex("^([0-9a-f]{64}) [ *](.+)$")]
    private static partial Regex SumLine();

    // Same directory, so the final rename stays on one filesystem; hidden, so no one mistakes it for an agent.
    private static string TempBeside(string destination) =>
        $"{Parent(destination)}/.{Path.GetFileName(destination)}.upload-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    private static string Parent(string path) => path[..path.LastIndexOf('/')] is { Length: > 0 } parent ? parent : "/";

    private static string FirstLine(string text) => text.Trim().Split('\n')[0];

    private sealed record Upload(BundledFile File, string Destination, string Temp);

    private sealed record Installation(Dictionary<string, string> Sums, bool IsCurrent, string? Version, string? Problem)
    {
        public NodeHelperStatus Status(NodeHelperPackage package, IReadOnlyList<string> replaced) =>
            new(Version, package.Version, IsCurrent && Problem is null, replaced, Problem);
    }
}

/// <summary>The node helper could not be installed on a node; the message says what the node answered.</summary>
public class NodeHelperDeployException(string node, string message) : NodeSshException(node, message);

/// <summary>What arrived on the node is not what the console sent: nothing was installed.</summary>
public sealed class CorruptedUploadException(string node, string message) : NodeHelperDeployException(node, message);
