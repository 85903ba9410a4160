using System.Diagnostics;
using StorageHa.Integration.Tests.Provisioning;
using StorageHa.Server.Clients;
using StorageHa.Server.ClusterAccess;
using StorageHa.Shared.Clients;
using StorageHa.Shared.State;
using Xunit.Abstractions;

namespace StorageHa.Integration.Tests.Clients;

/// <summary>
/// The console's reading of the connected clients (<see cref="ConnectedClientsCheck"/> over the console's SSH runner and
/// audit) of a cluster the lab's console built, and the events a watch would tell between readings.
/// </summary>
internal sealed class LabClientsReader(ApplyLab apply, IReadOnlyList<string> vips, ITestOutputHelper output)
{
    private readonly ConnectedClientsCheck _check = new(new LiveNodes(apply.Ssh, TimeProvider.System), TimeProvider.System);
    private ConnectedClientsReport? _known;

    /// <summary>Every event told since the first reading, in order.</summary>
    public List<ClusterEvent> Events { get; } = [];

    public async Task<ConnectedClientsReport> ReadAsync()
    {
        var names = apply.Lab.Nodes.Select(n => n.Name).ToList();
        var report = await _check.ReadAsync(names, new ClusterNodes("lab", [.. names.Select(n => apply.Targets[n])]), vips,
            new Asker("lab-test", ConnectedClientsCheck.AuditAction), CancellationToken.None);
        Events.AddRange(ClientsDiff.Between(_known, report));
        _known = ClientsDiff.Known(_known, report);
        return report;
    }

    /// <summary>Reads until <paramref name="holds"/> (each reading a second apart); throws naming the last reading when it never did.</summary>
    public async Task<ConnectedClientsReport> UntilAsync(string what, TimeSpan within, Func<ConnectedClientsReport, bool> holds)
    {
        var clock = Stopwatch.StartNew();
        ConnectedClientsReport last;
        do
        {
            last = await ReadAsync();
            if (holds(last))
            {
                output.WriteLine($"{clock.Elapsed.TotalSeconds,5:0.0} s: {what}");
                return last;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        while (clock.Elapsed < within);
        throw new TimeoutException($"not within {within.TotalSeconds:0} s: {what}; last reading: " + Describe(last));
    }

    /// <summary>connected-clients.sh's own output on a node, as the samples in Shared.Tests keep it.</summary>
    public async Task<string> RawAsync(string node) => await apply.RunAsync(node, [.. ConnectedClientsRead.NodeCommand]);

    public static string Describe(ConnectedClientsReport report) => string.Join("; ", report.Nodes.Select(n =>
        n.Unreachable is { } why ? $"{n.Node}: unreachable ({why})"
        : $"{n.Node}: SMB [{(n.SmbProblem ?? string.Join(", ", n.Smb.Select(s => $"{s.User}@{s.ClientEnd} via {s.ServerAddress} pid {s.ServerPid}")))}] " +
          $"NFS [{(n.NfsProblem ?? string.Join(", ", n.Nfs.Select(c => $"{c.ClientAddress} v{string.Join("/", c.Versions)} via {string.Join("/", c.ServerAddresses)}")))}]"));
}
