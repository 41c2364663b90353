using System.Collections.Frozen;

namespace Determinant.Config.Binding;

/// <summary>Reads a <c>pbt</c> searcher (REFERENCE.md §2.9): every field is required and none has a default.</summary>
internal static class PbtBinder
{
    private static readonly FrozenSet<string> ReplaceKeys = FrozenSet.Create(StringComparer.Ordinal, "truncate_fraction");
    private static readonly FrozenSet<string> ExploreKeys = FrozenSet.Create(StringComparer.Ordinal, "resample_probability", "perturb_factor");

    public static PbtSearcherConfig? Bind(Section section, BindContext context)
    {
        var population = section.Int("population_size", min: 1, required: true);
        var rounds = section.Int("num_rounds", min: 1, required: true);
        var length = LengthBinder.Bind(section, "length_per_round", context, searcherLength: true, required: true);

        var replace = RequiredObject(section, "replace_function");
        replace.RejectUnknown(ReplaceKeys);
        var truncate = replace.IsPresent ? replace.Number("truncate_fraction", min: 0, max: 0.5, required: true) : null;

        var explore = RequiredObject(section, "explore_function");
        explore.RejectUnknown(ExploreKeys);
        var resample = explore.IsPresent ? explore.Number("resample_probability", min: 0, max: 1, required: true) : null;
        var perturb = explore.IsPresent ? explore.Number("perturb_factor", min: 0, max: 1, required: true) : null;

        if (population is null || rounds is null || length is null || truncate is null || resample is null || perturb is null)
            return null;
        return new PbtSearcherConfig(population.Value, rounds.Value, length.Value, truncate.Value, resample.Value, perturb.Value) { Metric = "" };
    }

    private static Section RequiredObject(Section section, string key)
    {
        if (!section.Has(key))
            section.Missing(key);
        return section.Object(key);
    }
}
