namespace Determinant.ModelDefinitions;

/// <summary>One compilation asked of a compile worker; a line of JSON on its stdin.</summary>
internal sealed record CompileWorkerRequest(string Entrypoint, IReadOnlyList<SourceFile> Files);
