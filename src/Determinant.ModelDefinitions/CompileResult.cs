using System.Collections.Immutable;

namespace Determinant.ModelDefinitions;

/// <summary>The outcome of compiling a model definition: the cached assembly and trial class, or the errors.</summary>
/// <param name="Success">Whether the code compiled and the entrypoint names a usable trial class.</param>
/// <param name="Errors">
/// One line per error, as <c>file.cs(line,col): error CSxxxx: message</c> for compiler errors and
/// <c>file.cs: error DETxxxx: message</c> for the checks on the trial class; empty on success. Warnings never appear.
/// </param>
/// <param name="AssemblyPath">The compiled assembly, <c>&lt;CacheDirectory&gt;/&lt;hash&gt;/model.dll</c>; null on failure.</param>
/// <param name="TrialTypeName">The trial class's full name as reflection spells it (<c>Namespace.Outer+Inner</c>); null on failure.</param>
/// <param name="ContentHash">The lowercase hex SHA-256 that names the cache entry; computed on failure too.</param>
/// <param name="FromCache">Whether the assembly was found in the cache rather than compiled now.</param>
public sealed record CompileResult(
    bool Success,
    ImmutableArray<string> Errors,
    string? AssemblyPath,
    string? TrialTypeName,
    string ContentHash,
    bool FromCache);
