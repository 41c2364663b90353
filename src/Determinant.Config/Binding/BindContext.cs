namespace Determinant.Config.Binding;

/// <summary>What one bind pass needs besides the tree: where errors go, how complete the config must be, and runtime defaults.</summary>
internal sealed class BindContext(ConfigDiagnostics diagnostics, string root)
{
    public ConfigDiagnostics Diagnostics => diagnostics;

    /// <summary>The label errors start with, e.g. <c>&lt;config&gt;</c>.</summary>
    public string Root => root;

    /// <summary>False for preview and stored configs: then only the searcher and hyperparameters must be complete.</summary>
    public bool RequireEntrypointAndStorage { get; init; }

    /// <summary>Supplies <c>name</c> when it is missing; without it a missing name is an error.</summary>
    public Func<string>? DefaultName { get; init; }

    /// <summary>Supplies <c>reproducibility.experiment_seed</c> when it is missing; without it a missing seed is an error.</summary>
    public Func<uint>? DefaultSeed { get; init; }

    /// <summary>Cluster facts for the checks that need them; null skips those checks.</summary>
    public ConfigLoadOptions? Cluster { get; init; }

    /// <summary>The most trials a searcher may ask for, and what sets it; null for stored configs, which were checked when they were loaded.</summary>
    public (int Limit, string Setting)? MaxTrials { get; init; }

    /// <summary>Every length read so far with its path, for the checks that look at units across the config.</summary>
    public List<(Length Length, string Path, bool IsSearcherLength)> Lengths { get; } = [];

    /// <summary>The searcher name as written, even when the searcher section did not bind.</summary>
    public string? SearcherName { get; set; }
}
