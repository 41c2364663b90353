using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Determinant.Config.Binding;

/// <summary>Reads the <c>searcher</c> section (REFERENCE.md §2.9); each searcher accepts only its own fields.</summary>
internal static class SearcherBinder
{
    private static readonly string[] Common = ["name", "metric", "smaller_is_better", "source_trial_id", "source_checkpoint_uuid"];

    private static readonly FrozenDictionary<string, FrozenSet<string>> FieldsByName = new Dictionary<string, FrozenSet<string>>
    {
        ["single"] = Fields("max_length"),
        ["random"] = Fields("max_trials", "max_length", "max_concurrent_trials"),
        ["grid"] = Fields("max_length", "max_concurrent_trials"),
        ["adaptive_asha"] = Fields("max_trials", "max_length", "mode", "divisor", "max_rungs", "bracket_rungs", "max_concurrent_trials", "stop_once"),
        ["async_halving"] = Fields("num_rungs", "max_trials", "max_length", "divisor", "max_concurrent_trials", "stop_once"),
        ["pbt"] = Fields("population_size", "num_rounds", "length_per_round", "replace_function", "explore_function"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] Names = ["single", "random", "grid", "adaptive_asha", "async_halving", "pbt"];
    private static readonly FrozenSet<string> Removed = FrozenSet.Create(StringComparer.Ordinal, "adaptive", "adaptive_simple", "sync_halving");

    private static readonly (string, AdaptiveMode)[] Modes =
        [("aggressive", AdaptiveMode.Aggressive), ("standard", AdaptiveMode.Standard), ("conservative", AdaptiveMode.Conservative)];

    public static SearcherConfig? Bind(Section section, BindContext context)
    {
        // A missing section is reported by the caller, a section of the wrong type by Section.Of.
        if (!section.IsPresent)
            return null;
        var name = section.String("name", required: true);
        if (name is null)
            return null;
        context.SearcherName = name;
        if (Removed.Contains(name))
        {
            context.Diagnostics.Error(section.Path, $"the '{name}' searcher has been removed and is not valid for new experiments");
            return null;
        }
        if (!FieldsByName.TryGetValue(name, out var fields))
        {
            context.Diagnostics.Error(section.Path, $"name \"{name}\" is not a known searcher; must be one of {NodeValues.QuoteAll(Names)}");
            return null;
        }
        section.RejectUnknown(fields);

        var metric = section.String("metric", required: true);
        var smallerIsBetter = section.Bool("smaller_is_better") ?? true;
        var sourceTrialId = section.Int("source_trial_id", min: 1);
        var sourceCheckpoint = section.String("source_checkpoint_uuid");
        if (sourceTrialId is not null && sourceCheckpoint is not null)
            context.Diagnostics.Error(section.Path, "give at most one of source_trial_id and source_checkpoint_uuid");

        SearcherConfig? searcher = name switch
        {
            "single" => MaxLength(section, context) is { } length ? new SingleSearcherConfig(length) { Metric = "" } : null,
            "random" => BindRandom(section, context),
            "grid" => MaxLength(section, context) is { } length
                ? new GridSearcherConfig(length, ConcurrentTrials(section)) { Metric = "" }
                : null,
            "adaptive_asha" => BindAdaptiveAsha(section, context),
            "async_halving" => BindAsyncHalving(section, context),
            _ => PbtBinder.Bind(section, context),
        };
        if (searcher is null || metric is null)
            return null;
        return searcher with
        {
            Metric = metric,
            SmallerIsBetter = smallerIsBetter,
            SourceTrialId = sourceTrialId,
            SourceCheckpointUuid = sourceCheckpoint,
        };
    }

    private static RandomSearcherConfig? BindRandom(Section section, BindContext context)
    {
        var maxTrials = section.Int("max_trials", min: 1, required: true);
        var length = MaxLength(section, context);
        var concurrent = ConcurrentTrials(section);
        return maxTrials is null || length is null ? null : new RandomSearcherConfig(maxTrials.Value, length.Value, concurrent) { Metric = "" };
    }

    private static AdaptiveAshaSearcherConfig? BindAdaptiveAsha(Section section, BindContext context)
    {
        var maxTrials = section.Int("max_trials", min: 1, required: true);
        var length = MaxLength(section, context);
        var mode = section.Choice("mode", Modes) ?? AdaptiveMode.Standard;
        var divisor = Divisor(section);
        var maxRungs = section.Int("max_rungs", min: 1) ?? 5;
        var bracketRungs = BracketRungs(section);
        var concurrent = ConcurrentTrials(section);
        var stopOnce = section.Bool("stop_once") ?? false;
        if (maxTrials is null || length is null)
            return null;
        return new AdaptiveAshaSearcherConfig(maxTrials.Value, length.Value, mode, divisor, maxRungs, bracketRungs, concurrent, stopOnce) { Metric = "" };
    }

    private static AsyncHalvingSearcherConfig? BindAsyncHalving(Section section, BindContext context)
    {
        var numRungs = section.Int("num_rungs", min: 1, required: true);
        var maxTrials = section.Int("max_trials", min: 1, required: true);
        var length = MaxLength(section, context);
        var divisor = Divisor(section);
        var concurrent = ConcurrentTrials(section);
        var stopOnce = section.Bool("stop_once") ?? false;
        if (numRungs is null || maxTrials is null || length is null)
            return null;
        return new AsyncHalvingSearcherConfig(numRungs.Value, maxTrials.Value, length.Value, divisor, concurrent, stopOnce) { Metric = "" };
    }

    private static Length? MaxLength(Section section, BindContext context) =>
        LengthBinder.Bind(section, "max_length", context, searcherLength: true, required: true);

    private static int ConcurrentTrials(Section section) => section.Int("max_concurrent_trials", min: 0) ?? 16;

    private static double Divisor(Section section) => section.Number("divisor", min: 1, minExclusive: true) ?? 4;

    private static ImmutableArray<int> BracketRungs(Section section)
    {
        var list = section.Array("bracket_rungs");
        if (list is null)
            return [];
        var rungs = ImmutableArray.CreateBuilder<int>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{section.PathOf("bracket_rungs")}[{i}]";
            if (list[i] is null)
                section.Diagnostics.Error(path, "must be an integer, not null");
            else if (Values.Integer(list[i]!, path, section.Diagnostics, min: 1, max: int.MaxValue) is { } rung)
                rungs.Add((int)rung);
        }
        return rungs.DrainToImmutable();
    }

    private static FrozenSet<string> Fields(params string[] own) => Common.Concat(own).ToFrozenSet(StringComparer.Ordinal);
}
