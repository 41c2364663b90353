using System.Text.Json;

namespace Determinant.Config.Serialization;

/// <summary>Writes the <c>searcher</c> section with every field of its kind, defaults included.</summary>
internal static class SearcherJsonWriter
{
    public static void Write(Utf8JsonWriter w, SearcherConfig searcher)
    {
        w.WriteStartObject();
        w.WriteString("name", searcher.Name);
        w.WriteString("metric", searcher.Metric);
        w.WriteBoolean("smaller_is_better", searcher.SmallerIsBetter);
        ConfigJsonWriter.NullableNumber(w, "source_trial_id", searcher.SourceTrialId);
        w.WriteString("source_checkpoint_uuid", searcher.SourceCheckpointUuid);
        switch (searcher)
        {
            case SingleSearcherConfig single:
                ConfigJsonWriter.Length(w, "max_length", single.MaxLength);
                break;
            case RandomSearcherConfig random:
                w.WriteNumber("max_trials", random.MaxTrials);
                ConfigJsonWriter.Length(w, "max_length", random.MaxLength);
                w.WriteNumber("max_concurrent_trials", random.MaxConcurrentTrials);
                break;
            case GridSearcherConfig grid:
                ConfigJsonWriter.Length(w, "max_length", grid.MaxLength);
                w.WriteNumber("max_concurrent_trials", grid.MaxConcurrentTrials);
                break;
            case AdaptiveAshaSearcherConfig asha:
                WriteAdaptiveAsha(w, asha);
                break;
            case AsyncHalvingSearcherConfig halving:
                w.WriteNumber("num_rungs", halving.NumRungs);
                w.WriteNumber("max_trials", halving.MaxTrials);
                ConfigJsonWriter.Length(w, "max_length", halving.MaxLength);
                w.WriteNumber("divisor", halving.Divisor);
                w.WriteNumber("max_concurrent_trials", halving.MaxConcurrentTrials);
                w.WriteBoolean("stop_once", halving.StopOnce);
                break;
            case PbtSearcherConfig pbt:
                WritePbt(w, pbt);
                break;
            default:
                throw new InvalidOperationException($"unknown searcher {searcher.GetType().Name}");
        }
        w.WriteEndObject();
    }

    private static void WriteAdaptiveAsha(Utf8JsonWriter w, AdaptiveAshaSearcherConfig asha)
    {
        w.WriteNumber("max_trials", asha.MaxTrials);
        ConfigJsonWriter.Length(w, "max_length", asha.MaxLength);
        w.WriteString("mode", asha.Mode switch
        {
            AdaptiveMode.Aggressive => "aggressive",
            AdaptiveMode.Conservative => "conservative",
            _ => "standard",
        });
        w.WriteNumber("divisor", asha.Divisor);
        w.WriteNumber("max_rungs", asha.MaxRungs);
        w.WriteStartArray("bracket_rungs");
        foreach (var rungs in asha.BracketRungs.IsDefault ? [] : asha.BracketRungs)
            w.WriteNumberValue(rungs);
        w.WriteEndArray();
        w.WriteNumber("max_concurrent_trials", asha.MaxConcurrentTrials);
        w.WriteBoolean("stop_once", asha.StopOnce);
    }

    private static void WritePbt(Utf8JsonWriter w, PbtSearcherConfig pbt)
    {
        w.WriteNumber("population_size", pbt.PopulationSize);
        w.WriteNumber("num_rounds", pbt.NumRounds);
        ConfigJsonWriter.Length(w, "length_per_round", pbt.LengthPerRound);
        w.WriteStartObject("replace_function");
        w.WriteNumber("truncate_fraction", pbt.TruncateFraction);
        w.WriteEndObject();
        w.WriteStartObject("explore_function");
        w.WriteNumber("resample_probability", pbt.ResampleProbability);
        w.WriteNumber("perturb_factor", pbt.PerturbFactor);
        w.WriteEndObject();
    }
}
