using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>
/// A formed 3-node lab with a BMC per node (prefix sha-fh) of its own, for the lab-level fencing tests and the fence by hand
/// (FenceByHandLabTests): its tests turn fencing on, which the shared lab's
/// tests do not expect (a crash there would end in a fence), and leave it on for the next test of this collection.
/// </summary>
public sealed class FencingLabFixture() : LabFixture("sha-fh", bmc: true);

[CollectionDefinition(Name)]
public sealed class FencingLabCollection : ICollectionFixture<FencingLabFixture>
{
    public const string Name = "fencing lab";
}
