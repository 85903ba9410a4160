using StorageHa.Shared.Provisioning;

namespace StorageHa.Shared.Tests.Provisioning;

/// <summary>The two ways cibadmin refuses a pushed difference that collides with a change made meanwhile (as it printed them on this machine).</summary>
public sealed class CibPushTests
{
    [Theory]
    [InlineData("Error: unable to push cib\nCall failed: Application of update diff failed", true)]  // what the batch changes is gone
    [InlineData("Error: unable to push cib\nCall failed: Update does not conform to the configured schema", true)]  // both created one id
    [InlineData("Error: unable to push cib\nCall failed: Transport endpoint is not connected", false)]
    [InlineData("", false)]
    public void Collided_OnlyForARefusedDifference(string pcsOutput, bool collided) =>
        Assert.Equal(collided, CibPush.Collided(pcsOutput));
}
