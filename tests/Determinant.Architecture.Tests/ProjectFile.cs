namespace Determinant.Architecture.Tests;

/// <summary>What one .csproj declares: its SDK, project references, package references and framework references.</summary>
internal sealed record ProjectFile(
    string Name,
    string Sdk,
    IReadOnlySet<string> ProjectReferences,
    IReadOnlySet<string> PackageReferences,
    IReadOnlySet<string> FrameworkReferences);
