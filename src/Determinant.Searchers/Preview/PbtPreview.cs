using Determinant.Config;

namespace Determinant.Searchers.Preview;

/// <summary>
/// PBT's preview. Which trials a round truncates depends on metrics, so the preview assumes the oldest go first
/// (originals before children, in creation order): trials closed after round r then have lengths
/// [lpr, 2·lpr, …, age·lpr] where age is the rounds they trained, and the total is population + k·(rounds − 1).
/// </summary>
internal static class PbtPreview
{
    public static SearchPlan Plan(PbtSearcherConfig config)
    {
        var lengthPerRound = config.LengthPerRound.Units;
        var k = Math.Min((int)Math.Floor(config.TruncateFraction * config.PopulationSize), config.PopulationSize / 2);
        // Rounds trained by each member, oldest first.
        var ages = new List<int>(Enumerable.Repeat(0, config.PopulationSize));
        var groups = new List<SearchPlanGroup>();
        for (var round = 1; round <= config.NumRounds; round++)
        {
            for (var i = 0; i < ages.Count; i++)
                ages[i]++;
            var closing = round == config.NumRounds ? ages.Count : k;
            foreach (var age in ages.Take(closing))
                groups.Add(new SearchPlanGroup(1, Enumerable.Range(1, age).Select(r => lengthPerRound * (ulong)r).ToArray()));
            ages.RemoveRange(0, closing);
            if (round < config.NumRounds)
                ages.AddRange(Enumerable.Repeat(0, k));
        }
        return new SearchPlan(config.LengthPerRound.Unit, groups);
    }
}
