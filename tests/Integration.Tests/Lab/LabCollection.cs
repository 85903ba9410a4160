using StorageHa.TestSupport.Lab;

namespace StorageHa.Integration.Tests.Lab;

/// <summary>Every test that needs the lab shares one lab per run and runs one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabFixture>
{
    public const string Name = "lab";
}
