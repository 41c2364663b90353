namespace Determinant.ModelDefinitions;

/// <summary>
/// What a compile worker answers to its setup or to a request; a line of JSON on its stdout. With
/// <see cref="CompileWorkerOutcome.Compiled"/> the fields after <see cref="Message"/> are those of <see cref="CompileResult"/>;
/// with any other outcome but <see cref="CompileWorkerOutcome.Ready"/>, <see cref="Message"/> says what went wrong.
/// </summary>
internal sealed record CompileWorkerResponse(
    CompileWorkerOutcome Outcome,
    string? Message = null,
    bool Success = false,
    IReadOnlyList<string>? Errors = null,
    string? AssemblyPath = null,
    string? TrialTypeName = null,
    string ContentHash = "",
    bool FromCache = false);
