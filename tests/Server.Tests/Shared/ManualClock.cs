namespace StorageHa.Server.Tests.Shared;

/// <summary>A clock the test moves by hand: expiry and refill without sleeping.</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    public override DateTimeOffset GetUtcNow() => Now;
}
