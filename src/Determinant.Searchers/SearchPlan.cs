using Determinant.Config;

namespace Determinant.Searchers;

/// <summary>What a search will do, computed without running it (REFERENCE.md §3.9).</summary>
public sealed class SearchPlan
{
    /// <summary>Builds a plan from its groups, which are merged (same lengths) and sorted here.</summary>
    /// <exception cref="ArgumentException">A group has no lengths.</exception>
    public SearchPlan(LengthUnit unit, IEnumerable<SearchPlanGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Unit = unit;
        Groups = groups
            .Select(g => g.Lengths is { Count: > 0 } ? g : throw new ArgumentException("every plan group needs at least one length", nameof(groups)))
            .Where(g => g.Trials > 0)
            .GroupBy(g => string.Join(',', g.Lengths))
            .Select(same => new SearchPlanGroup(same.Sum(g => g.Trials), same.First().Lengths))
            .Order(Comparer<SearchPlanGroup>.Create(CompareLengths))
            .ToArray();
        TotalTrials = Groups.Sum(g => g.Trials);
        var byLength = new SortedDictionary<ulong, int>();
        foreach (var group in Groups)
            byLength[group.Lengths[^1]] = byLength.GetValueOrDefault(group.Lengths[^1]) + group.Trials;
        TrialsByLength = byLength;
    }

    /// <summary>The unit of every length in the plan (that of the searcher's max length).</summary>
    public LengthUnit Unit { get; }

    /// <summary>Trials the search creates in total.</summary>
    public int TotalTrials { get; }

    /// <summary>Trials grouped by their operation lengths, ordered lexicographically by those lengths.</summary>
    public IReadOnlyList<SearchPlanGroup> Groups { get; }

    /// <summary>For each final length, how many trials stop there (the "{target: trials ending there}" summary).</summary>
    public IReadOnlyDictionary<ulong, int> TrialsByLength { get; }

    // Lexicographic, a prefix first: [1250] < [1250, 5000] < [5000].
    private static int CompareLengths(SearchPlanGroup a, SearchPlanGroup b)
    {
        for (var i = 0; i < Math.Min(a.Lengths.Count, b.Lengths.Count); i++)
        {
            var order = a.Lengths[i].CompareTo(b.Lengths[i]);
            if (order != 0)
                return order;
        }
        return a.Lengths.Count.CompareTo(b.Lengths.Count);
    }
}
