using System.Collections.Immutable;

namespace Determinant.Config.Binding;

/// <summary>Collects errors and warnings while a config is processed, so that users see all of them at once.</summary>
internal sealed class ConfigDiagnostics
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<string> _warnings = [];

    public bool HasErrors => _errors.Count > 0;

    public void Error(string path, string message) => _errors.Add(new ConfigError(path, message));

    public void Warning(string path, string message) => _warnings.Add($"{path}: {message}");

    public ImmutableArray<ConfigError> SortedErrors() =>
        [.. _errors.Distinct().Order(Comparer<ConfigError>.Create(static (a, b) =>
        {
            var byPath = string.CompareOrdinal(a.Path, b.Path);
            return byPath != 0 ? byPath : string.CompareOrdinal(a.Message, b.Message);
        }))];

    public ImmutableArray<string> SortedWarnings() => [.. _warnings.Distinct().Order(StringComparer.Ordinal)];
}
