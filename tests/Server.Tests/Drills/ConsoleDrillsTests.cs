using Microsoft.Extensions.DependencyInjection;
using StorageHa.Server.Drills;
using StorageHa.Server.Tests.Shared;
using StorageHa.Shared.Console;
using StorageHa.Shared.Drills;

namespace StorageHa.Server.Tests.Drills;

/// <summary>The drills as the pages reach them (IDrills): nothing for anyone not signed in (the role checks are the actor's, as for every page service).</summary>
public sealed class ConsoleDrillsTests : IDisposable
{
    private readonly TestConsole _console = new();

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task NobodySignedIn_CannotStartADrill_NorListThem_AndNothingIsStored()
    {
        using var scope = _console.Services.CreateScope();
        var drills = scope.ServiceProvider.GetRequiredService<IDrills>();

        var refused = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => drills.StartAsync(1, DrillTarget.Vip("192.0.2.101")));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => drills.ListAsync(1));

        Assert.Equal("You are not signed in.", refused.Message);
        Assert.Empty(await _console.AsSystem<ConsoleDrills>(scope).ListAsync(1));
    }
}
