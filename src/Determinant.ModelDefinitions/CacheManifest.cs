namespace Determinant.ModelDefinitions;

/// <summary>The small JSON file beside a cached <c>model.dll</c>: what it was compiled from and which class is the trial.</summary>
internal sealed record CacheManifest(string TrialTypeName, string Entrypoint, string ContentHash);
