namespace Determinant.ModelDefinitions.Tests;

/// <summary>The tests sharing one warm <see cref="CompilerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class SharedCompiler : ICollectionFixture<CompilerFixture>
{
    public const string Name = "compiler";
}
