namespace Determinant.Testing;

/// <summary>The test classes that share one master (each test makes its own users and experiments).</summary>
[CollectionDefinition(Name)]
public sealed class SharedMaster : ICollectionFixture<TestMaster>
{
    public const string Name = "master";
}
