using System.Globalization;
using StorageHa.Server.Auth;
using StorageHa.Server.Probe;
using StorageHa.Shared.Commands;
using StorageHa.Shared.Console;
using StorageHa.Shared.Inventory;
using StorageHa.Shared.Validation;

namespace StorageHa.Server.ClusterAccess;

/// <summary>The users and groups a cluster's share pickers offer: the spec's local ones, or the domain's as one live node's winbind lists them.</summary>
public sealed class ClusterPrincipals(IInventory inventory, NodeAccess nodes, LiveNodes live, ICurrentActor actor) : IPrincipalDirectory
{
    public const string AuditAction = "principals.list";

    /// <summary>winbind answers from its cache in well under a second; a domain controller it must ask first takes a few.</summary>
    public static readonly LiveNodePolicy Policy = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));

    private static readonly NodeScript Script = NodeScript.Named("list-principals");

    public async Task<PrincipalChoices> ListAsync(long clusterId, PrincipalKind kind, string? search, CancellationToken ct = default)
    {
        var who = await actor.RequireAsync(Role.Viewer);
        if (InputRules.PrincipalSearch(search) is { } bad) throw new InvalidInputException("search", bad);
        if (!Enum.IsDefined(kind)) throw new InvalidInputException("kind", "must be users or groups");
        var cluster = await inventory.GetClusterAsync(clusterId, ct) ?? throw new KeyNotFoundException($"There is no cluster with id {clusterId}.");
        var identity = (await inventory.GetSettingsAsync(clusterId, ct)).Identity;
        switch (identity.Mode)
        {
            case IdentityMode.LocalUsers: return PrincipalChoices.Local(identity, kind, search);
            case IdentityMode.Guest: return new([], PrincipalChoices.GuestReason);
        }
        var reach = await nodes.TargetsAsync(cluster.Name, await inventory.ListNodesAsync(clusterId, ct), ct);
        var answer = await live.FindAsync(reach, Query(kind, search), new Asker(who, AuditAction), Policy, ct);
        return PrincipalChoices.FromWbinfo(answer.Value, kind, search);
    }

    /// <summary>The question to a node: winbind's users or groups matching the search; a node whose winbind fails passes it on.</summary>
    public static ClusterQuery<string> Query(PrincipalKind kind, string? search)
    {
        // One line more than a page: the answer knows that there were more.
        var argv = Script.Command(kind == PrincipalKind.User ? "users" : "groups", search ?? "", (PrincipalChoices.Max + 1).ToString(CultureInfo.InvariantCulture));
        return new ClusterQuery<string>(argv, result => result.Succeeded ? result.StdOut
            : throw new NoAnswerException($"wbinfo exited {result.ExitCode} ({result.StdErr.Trim()}): is winbind running and the domain joined?"));
    }
}
