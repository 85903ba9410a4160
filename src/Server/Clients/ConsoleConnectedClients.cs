using StorageHa.Server.Auth;
using StorageHa.Server.ClusterAccess;
using StorageHa.Server.Monitoring;
using StorageHa.Server.Operations;
using StorageHa.Shared.Clients;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.Clients;

/// <summary>The connected clients as the pages and the API ask for them: viewers read; operators disconnect an SMB session, audited.</summary>
public sealed class ConsoleConnectedClients(IMonitoredClusters clusters, ConnectedClientsWatch watch, LiveNodes live, IAuditLog audit,
    ICurrentActor actor, TimeProvider time) : IConnectedClients
{
    public const string DisconnectAction = "clients.disconnect";

    /// <summary>smbstatus under its own 10 s bound, then smbcontrol: well under this on a live node.</summary>
    public static readonly TimeSpan DisconnectTimeout = TimeSpan.FromSeconds(30);

    public async Task<ConnectedClientsReport> ListAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return watch.Latest(clusterId) is { } recent && time.GetUtcNow() - recent.CheckedAt < ConnectedClientsWatch.Interval * 2
            ? recent : await watch.ReadNowAsync(clusterId, ct);
    }

    public async Task<IDisposable> WatchAsync(long clusterId, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        return watch.Watch(clusterId);
    }

    public async Task<SmbDisconnected> DisconnectSmbAsync(long clusterId, SmbSessionRef session, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Operator);
        if (SmbSessionDisconnect.Errors(session) is { Count: > 0 } errors) throw new InvalidInputException(errors);
        var cluster = (await clusters.ListAsync(ct)).FirstOrDefault(c => c.Id == clusterId) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var target = cluster.Nodes.FirstOrDefault(n => n.Name == session.Node)
            ?? throw new InvalidInputException("node", $"{session.Node} is not a node of {cluster.Name} that the console can log in to{(cluster.Problem is null ? "" : $" ({cluster.Problem})")}");
        var argv = SmbSessionDisconnect.Command(session);
        var summary = $"Disconnect {Describe(clusterId, session)} (smbd {session.ServerPid} on {target.Name})";
        var result = await live.AskAsync(target, ClusterQueries.Operation(argv), new Asker(who, DisconnectAction), DisconnectTimeout, ct);
        var said = FirstLine(result.StdOut) ?? FirstLine(result.StdErr);
        await audit.WriteAsync(new AuditEntry
        {
            At = time.GetUtcNow(), Actor = who, Action = DisconnectAction, Target = cluster.Name, ExitCode = result.ExitCode,
            Detail = $"{summary}: {(result.Succeeded ? "done" : result.ExitCode == SmbSessionDisconnect.Gone ? "it had already ended" : said ?? "failed")}",
        }, CancellationToken.None);
        if (result.ExitCode == SmbSessionDisconnect.Gone)
            throw new ConflictException("session", $"The SMB session of {session.ClientEnd} on {target.Name} has already ended: {said}");
        if (!result.Succeeded)
            throw new OperationFailedException(target.Display, $"{summary} failed: {ShellCommand.Join(argv)} exited with {result.ExitCode}: {said ?? "it printed nothing"}");
        // Read again at once, so that every page sees the session gone without waiting for the next reading.
        _ = Task.Run(() => watch.ReadNowAsync(clusterId, CancellationToken.None));
        return new SmbDisconnected(target.Name, ShellCommand.Join(argv), summary);
    }

    /// <summary>"alice's SMB session from 192.0.2.50" when the last reading knows it; else the client's end.</summary>
    private string Describe(long clusterId, SmbSessionRef session) =>
        watch.Latest(clusterId)?.Nodes.FirstOrDefault(n => n.Node == session.Node)?.Smb
            .FirstOrDefault(s => s.ServerPid == session.ServerPid && s.ClientEnd == session.ClientEnd) is { } known
            ? $"{known.User}'s SMB session from {known.ClientAddress}" : $"the SMB session of {session.ClientEnd}";

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
