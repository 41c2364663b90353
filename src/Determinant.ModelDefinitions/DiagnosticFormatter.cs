using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Determinant.ModelDefinitions;

/// <summary>Writes errors the way the .NET SDK does: <c>file.cs(line,col): error CODE: message</c>, paths relative to the definition.</summary>
internal static class DiagnosticFormatter
{
    public static string Format(Diagnostic diagnostic) =>
        Format(diagnostic.Location, diagnostic.Id, diagnostic.GetMessage(CultureInfo.InvariantCulture));

    /// <summary>An error at a source location; a location outside the sources gives a line with no file.</summary>
    public static string Format(Location location, string code, string message)
    {
        if (!location.IsInSource)
            return $"error {code}: {message}";
        var span = location.GetLineSpan();
        var start = span.StartLinePosition;
        return string.Create(CultureInfo.InvariantCulture, $"{span.Path}({start.Line + 1},{start.Character + 1}): error {code}: {message}");
    }

    /// <summary>An error about a whole file, or about no file when <paramref name="file"/> is null.</summary>
    public static string FormatInFile(string? file, string code, string message) =>
        file is null ? $"error {code}: {message}" : $"{file}: error {code}: {message}";

    /// <summary>At most <paramref name="max"/> errors, with a last line counting the others.</summary>
    public static IEnumerable<string> Limit(IReadOnlyList<string> errors, int max) =>
        errors.Count <= max || max < 1
            ? errors
            : errors.Take(max).Append(string.Create(CultureInfo.InvariantCulture, $"error {ModelDefinitionErrors.TooManyErrors}: {errors.Count - max} more errors not shown"));
}
