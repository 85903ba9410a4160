using StorageHa.Server.Auth;
using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;
using StorageHa.Shared.Inventory;

namespace StorageHa.Server.Drills;

/// <summary>The drills for the pages: the same runner and store as the API, as the signed-in user (operators start, viewers read).</summary>
public sealed class ConsoleDrills(DrillRunner runner, DrillStore store, ICurrentActor actor) : IDrills
{
    public async Task<DrillReport> StartAsync(long clusterId, DrillTarget target, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Operator);
        try
        {
            return await runner.StartAsync(clusterId, target, await actor.GetUserAsync(), ct);
        }
        catch (DrillRefusedException refused)
        {
            return refused.Report;
        }
    }

    public async Task<IReadOnlyList<DrillReport>> ListAsync(long clusterId, int take = 100, CancellationToken ct = default)
    {
        await actor.RequireAsync(Role.Viewer);
        var stored = await store.ListAsync(clusterId, take, ct);
        return [.. stored.Select(d => runner.AsItStands(clusterId, d))];
    }
}
