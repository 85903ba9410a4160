using StorageHa.TestSupport.Lab;

namespace StorageHa.EndToEnd.Tests;

/// <summary>The end-to-end tests' own lab ("sha-e2e"), formed once per run for every test of the collection, with the lab's domain controller.</summary>
public sealed class E2eLab : LabFixture
{
    public E2eLab() : base("sha-e2e", ad: true) { }
}

/// <summary>Every browser test that needs a cluster joins this collection: one lab, tests one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class E2eLabCollection : ICollectionFixture<E2eLab>
{
    public const string Name = "e2e lab";
}
