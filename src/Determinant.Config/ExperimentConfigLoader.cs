using System.Text.Json.Nodes;
using Determinant.Config.Binding;
using Determinant.Config.Defaults;
using Determinant.Config.Merging;
using Determinant.Config.Parsing;

namespace Determinant.Config;

/// <summary>
/// Reads an experiment config: YAML, then type and key checks, merging with the master's defaults, defaults,
/// completeness and semantic checks (REFERENCE.md §2.1). Every error is collected and located by its field path.
/// </summary>
/// <remarks>Never throws for bad input: problems come back in <see cref="ConfigLoadResult.Errors"/>.</remarks>
public static class ExperimentConfigLoader
{
    /// <summary>Loads a config for creating an experiment: <c>entrypoint</c> and <c>checkpoint_storage</c> must end up set.</summary>
    /// <param name="yaml">The config text, YAML or JSON.</param>
    /// <param name="options">Master defaults, clock, randomness and cluster facts; <see cref="ConfigLoadOptions.Default"/> when null.</param>
    public static ConfigLoadResult Load(string yaml, ConfigLoadOptions? options = null) => Run(yaml, options, forCreate: true);

    /// <summary>
    /// Loads a config for previewing its search (REFERENCE.md §3.9): only <c>searcher</c> and <c>hyperparameters</c> must
    /// be complete, but whatever else is present is still checked.
    /// </summary>
    /// <param name="yaml">The config text, YAML or JSON.</param>
    /// <param name="options">As for <see cref="Load"/>.</param>
    public static ConfigLoadResult LoadForPreview(string yaml, ConfigLoadOptions? options = null) => Run(yaml, options, forCreate: false);

    private static ConfigLoadResult Run(string yaml, ConfigLoadOptions? options, bool forCreate)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        options ??= ConfigLoadOptions.Default;
        var diagnostics = new ConfigDiagnostics();
        var root = ReadObject(yaml, options.SourceName, diagnostics);
        if (root is not null && options.Template is not null && ReadObject(options.Template, "<template>", diagnostics) is { } template)
            ConfigMerger.Merge(root, template);
        if (root is not null && options.MasterDefaults is not null && MasterDefaultsCache.Get(options.MasterDefaults, diagnostics) is { } defaults)
            ConfigMerger.Merge(root, defaults);
        if (root is null || diagnostics.HasErrors)
            return new ConfigLoadResult(null, diagnostics.SortedErrors(), diagnostics.SortedWarnings());

        var context = new BindContext(diagnostics, options.SourceName)
        {
            RequireEntrypointAndStorage = forCreate,
            DefaultName = () => PetName.Generate(options.Random),
            DefaultSeed = () => unchecked((uint)options.Time.GetUtcNow().ToUnixTimeSeconds()),
            Cluster = options,
            MaxTrials = (options.MaxTrials, options.MaxTrialsSetting),
        };
        var config = ExperimentBinder.Bind(root, context);
        return new ConfigLoadResult(config, diagnostics.SortedErrors(), diagnostics.SortedWarnings());
    }

    /// <summary>Parses YAML that must hold an object; empty text is an empty object. Null after a reported error.</summary>
    internal static JsonObject? ReadObject(string text, string label, ConfigDiagnostics diagnostics)
    {
        if (!YamlTreeReader.TryRead(text, label, diagnostics, out var node))
            return null;
        if (node is null or JsonObject)
            return node as JsonObject ?? [];
        diagnostics.Error(label, $"must be an object (a YAML mapping), not {NodeValues.Describe(node)}");
        return null;
    }
}
